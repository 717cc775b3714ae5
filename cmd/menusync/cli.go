package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client"
)

// The client subcommands: what a person uses from a terminal.
type cli struct {
	c   *client.Client
	ttl time.Duration
	out io.Writer
}

var subcommands = map[string]func(cli, context.Context, []string) error{
	"create": cli.create,
	"join":   cli.join,
	"choose": cli.choose,
	"watch":  cli.watch,
}

const cliUsage = `usage:
  menusync [flags]                              run the server (settings below)
  menusync create [-ttl 3h] MENU.json|MENU.csv   open a room; prints its id
  menusync join ROOM NAME                       join; prints export MENUSYNC_TOKEN=...
  menusync choose ROOM DISH QUANTITY            set your quantity of a dish (0 removes it)
  menusync watch ROOM                           print the order summary as it changes
  menusync healthcheck                          ask the local server's /healthz (the container's probe)
  menusync help                                 this text
the client subcommands take, before their arguments: -url (MENUSYNC_URL, default
http://localhost:8080), -token (MENUSYNC_TOKEN)`

func runClient(ctx context.Context, name string, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("menusync "+name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() { fmt.Fprintln(stdout, cliUsage) }
	base := getenv("MENUSYNC_URL")
	if base == "" {
		base = "http://localhost:8080"
	}
	url := fs.String("url", base, "menusync base URL")
	token := fs.String("token", getenv("MENUSYNC_TOKEN"), "member token")
	ttl := fs.Duration("ttl", 0, "room lifetime without activity (create)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := client.New(*url, nil)
	if err != nil {
		return err
	}
	return subcommands[name](cli{c: c.WithToken(*token), ttl: *ttl, out: stdout}, ctx, fs.Args())
}

func need(args []string, n int, what string) error {
	if len(args) != n {
		return fmt.Errorf("want %s\n%s", what, cliUsage)
	}
	return nil
}

func (x cli) create(ctx context.Context, args []string) error {
	if err := need(args, 1, "a menu file (.json or .csv)"); err != nil {
		return err
	}
	menu, err := readMenu(args[0])
	if err != nil {
		return err
	}
	room, err := x.c.CreateRoom(ctx, menu, x.ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(x.out, "room %s\n%d dishes, expires %s without activity\n", room.ID, len(room.Menu), room.ExpiresAt.Format(time.RFC3339))
	for _, it := range room.Menu {
		fmt.Fprintf(x.out, "  %-12s %s%s\n", it.ID, it.Name, priceSuffix(it.Price))
	}
	return nil
}

func (x cli) join(ctx context.Context, args []string) error {
	if err := need(args, 2, "ROOM NAME"); err != nil {
		return err
	}
	j, err := x.c.Join(ctx, args[0], args[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(x.out, "member %s (%s)\nexport MENUSYNC_TOKEN=%s\n", j.Member.ID, j.Member.Name, j.Token)
	return nil
}

func (x cli) choose(ctx context.Context, args []string) error {
	if err := need(args, 3, "ROOM DISH QUANTITY"); err != nil {
		return err
	}
	q, err := strconv.Atoi(args[2])
	if err != nil {
		return fmt.Errorf("quantity %q is not a number", args[2])
	}
	pos, err := x.c.Choose(ctx, args[0], args[1], q)
	if err != nil {
		return err
	}
	name := args[1]
	if snap, err := x.c.Snapshot(ctx, args[0]); err == nil {
		for _, it := range snap.Room.Menu {
			if it.ID == args[1] {
				name = it.Name
			}
		}
	}
	fmt.Fprintf(x.out, "version %d: %d × %s\n", pos.Version, q, name)
	return nil
}

func (x cli) watch(ctx context.Context, args []string) error {
	if err := need(args, 1, "ROOM"); err != nil {
		return err
	}
	events, err := x.c.Watch(ctx, args[0])
	if err != nil {
		return err
	}
	for ev := range events {
		switch {
		case ev.Err != nil:
			return ev.Err
		case ev.Type == menusync.TypeClosed:
			fmt.Fprintln(x.out, "the room has closed")
			return nil
		case ev.State != nil:
			printSummary(x.out, ev.State)
		}
	}
	return nil
}

// printSummary is what one shows the waiter.
func printSummary(w io.Writer, s *client.State) {
	sum := s.Summary()
	names := map[string]string{}
	for _, it := range s.Room.Menu {
		names[it.ID] = it.Name
	}
	fmt.Fprintf(w, "— version %d: %d dishes%s\n", s.Position.Version, sum.Quantity, totalSuffix(sum.Total))
	for _, it := range sum.Items {
		fmt.Fprintf(w, "  %2d × %s%s\n", it.Quantity, it.Name, totalSuffix(it.Total))
	}
	for _, m := range sum.Members {
		var parts []string
		for _, c := range m.Items {
			parts = append(parts, fmt.Sprintf("%d × %s", c.Quantity, names[c.MenuID]))
		}
		if len(parts) == 0 {
			parts = []string{"nothing yet"}
		}
		fmt.Fprintf(w, "  %s: %s%s\n", m.Name, strings.Join(parts, ", "), totalSuffix(m.Total))
	}
}

func totalSuffix(t *float64) string {
	if t == nil {
		return ""
	}
	return fmt.Sprintf("  (%.2f)", *t)
}

func priceSuffix(p *float64) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("  %.2f", *p)
}

// readMenu reads a JSON menu (an array of items, or {"menu": [...]}) or a
// CSV with a header naming its columns: name (required), id, price,
// description.
func readMenu(path string) ([]menusync.MenuItem, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return parseCSVMenu(string(b))
	}
	var items []menusync.MenuItem
	if err := json.Unmarshal(b, &items); err != nil {
		var wrapped struct {
			Menu []menusync.MenuItem `json:"menu"`
		}
		if err2 := json.Unmarshal(b, &wrapped); err2 != nil || wrapped.Menu == nil {
			return nil, fmt.Errorf("%s: want a JSON array of {id?, name, price?, description?} or {\"menu\": [...]}: %w", path, err)
		}
		items = wrapped.Menu
	}
	return items, nil
}

func parseCSVMenu(text string) ([]menusync.MenuItem, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\uFEFF")))
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("menu CSV: %w", err)
	}
	if len(rows) < 2 {
		return nil, errors.New("menu CSV: want a header row (name, and optionally id, price, description) and at least one dish")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	if _, ok := col["name"]; !ok {
		return nil, errors.New("menu CSV: the header has no name column")
	}
	get := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var items []menusync.MenuItem
	for n, row := range rows[1:] {
		it := menusync.MenuItem{Name: get(row, "name")}
		it.ID = get(row, "id")
		it.Description = get(row, "description")
		if p := get(row, "price"); p != "" {
			f, err := strconv.ParseFloat(p, 64)
			if err != nil {
				return nil, fmt.Errorf("menu CSV line %d: price %q is not a number", n+2, p)
			}
			it.Price = &f
		}
		items = append(items, it)
	}
	return items, nil
}
