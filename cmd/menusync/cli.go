package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/menusync/menusync/client"
)

// The client subcommands: what a person uses from a terminal. Menus are
// read by the server (POST /v1/menus/parse and /scan), so the CLI, the
// web app and the photo path read prices the same way.
type cli struct {
	c   *client.Client
	f   cliFlags
	in  io.Reader // stdin, for a menu given as -
	out io.Writer
}

// cliFlags are the flags of every client subcommand (each uses some).
type cliFlags struct {
	ttl                      time.Duration
	name, currency, lang, as string
	dryRun, yes              bool
	note                     string
	shared, keep             bool
}

var subcommands = map[string]func(cli, context.Context, []string) error{
	"parse":  cli.parse,
	"create": cli.create,
	"join":   cli.join,
	"choose": cli.choose,
	"note":   cli.setNote,
	"done":   cli.done,
	"lock":   cli.lock,
	"unlock": cli.unlock,
	"remove": cli.remove,
	"close":  cli.close,
	"order":  cli.order,
	"watch":  cli.watch,
}

const cliUsage = `usage:
  menusync [flags]                              run the server (settings below)
  menusync parse [-currency C] [-lang L] MENU   show how the server reads a menu; creates nothing
  menusync create [-as NAME] [-name TABLE] [-currency C] [-lang L] [-ttl 3h] [-yes] MENU
                                                open a table with MENU; with -as you are its host
  menusync join ROOM NAME                       join; prints export MENUSYNC_TOKEN=...
  menusync choose [-note TEXT] [-shared] ROOM DISH QUANTITY
                                                set your quantity of a dish (0 removes it)
  menusync note ROOM DISH TEXT                  set the note on your choice of a dish
  menusync done ROOM [no]                       say you are done choosing (or not)
  menusync lock ROOM | unlock ROOM              lock or unlock the order (host)
  menusync remove [-keep] ROOM MEMBER           take a member out, by name or id (host)
  menusync close ROOM [WORDS]                   close the table for everyone (host)
  menusync order ROOM                           print the order for the staff
  menusync watch ROOM                           print the order and the split as they change
  menusync healthcheck                          ask the local server's /healthz (the container's probe)
  menusync help                                 this text
MENU is a file of pasted lines, CSV or JSON, a photo (.jpg .png .webp), or - for
stdin. create shows the draft first and stops when the server was unsure of a line
(its warnings); fix the file, or pass -yes to open the table anyway.
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
	var f cliFlags
	fs.DurationVar(&f.ttl, "ttl", 0, "room lifetime without activity (create)")
	fs.StringVar(&f.name, "name", "", "the table's name (create)")
	fs.StringVar(&f.currency, "currency", "", "the prices' ISO 4217 code (parse, create)")
	fs.StringVar(&f.lang, "lang", "", "the menu's language (parse, create)")
	fs.StringVar(&f.as, "as", "", "your name: join the new table as its host (create)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "show the draft, create nothing (create)")
	fs.BoolVar(&f.yes, "yes", false, "open the table although the draft has warnings (create)")
	fs.StringVar(&f.note, "note", "", "a note for the kitchen (choose)")
	fs.BoolVar(&f.shared, "shared", false, "for the table: its cost is split (choose)")
	fs.BoolVar(&f.keep, "keep", false, "keep their choices in the order (remove)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := client.New(*url, nil)
	if err != nil {
		return err
	}
	return subcommands[name](cli{c: c.WithToken(*token), f: f, in: os.Stdin, out: stdout}, ctx, fs.Args())
}

func need(args []string, n int, what string) error {
	if len(args) != n {
		return fmt.Errorf("want %s\n%s", what, cliUsage)
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
