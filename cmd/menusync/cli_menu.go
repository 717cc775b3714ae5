package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client"
)

// maxMenuFile bounds what the CLI reads: a photo's limit.
const maxMenuFile = 8 << 20

// parse is create -dry-run: the draft alone.
func (x cli) parse(ctx context.Context, args []string) error {
	x.f.dryRun = true
	return x.create(ctx, args)
}

func (x cli) create(ctx context.Context, args []string) error {
	if err := need(args, 1, "a menu: a text, CSV or JSON file, a photo, or -"); err != nil {
		return err
	}
	d, err := x.draft(ctx, args[0])
	if err != nil {
		return err
	}
	printDraft(x.out, d)
	switch {
	case x.f.dryRun:
		return nil
	case len(d.Items) == 0:
		return fmt.Errorf("no dishes were read from %s", args[0])
	case unsure(d) > 0 && !x.f.yes:
		return fmt.Errorf("the server was unsure of %d line(s) above (!): fix the menu, or pass -yes to open the table as drafted", unsure(d))
	}
	in := client.NewRoom{Name: x.f.name, Currency: d.Currency, CreatorName: x.f.as, TTL: x.f.ttl}
	for _, it := range d.Items {
		in.Menu = append(in.Menu, it.MenuItem)
	}
	room, err := x.c.CreateRoom(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(x.out, "room %s\n%d dishes, expires %s without activity\n", room.ID, len(room.Menu), room.ExpiresAt.Format(time.RFC3339))
	if room.Creator != nil {
		fmt.Fprintf(x.out, "you are the host, %s (%s)\nexport MENUSYNC_TOKEN=%s\n", room.Creator.Member.Name, room.Creator.Member.ID, room.Creator.Token)
	}
	return nil
}

// draft asks the server to read a menu: a photo goes to the scanner,
// anything else to the parser as text.
func (x cli) draft(ctx context.Context, path string) (*menusync.Draft, error) {
	var r io.Reader = x.in
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxMenuFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxMenuFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxMenuFile)
	}
	if ct := imageType(path, b); ct != "" {
		return x.c.ScanMenu(ctx, bytes.NewReader(b), ct, x.f.currency, x.f.lang)
	}
	return x.c.ParseMenu(ctx, string(b), x.f.currency, x.f.lang)
}

// imageType is the photo's media type, or "" for text.
func imageType(path string, b []byte) string {
	switch ct := http.DetectContentType(b); ct {
	case "image/jpeg", "image/png", "image/webp":
		return ct
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".webp":
		return "image/webp"
	}
	return ""
}

// printDraft shows the draft as a table to check: each dish's id, its price
// in the currency, how to say it and its English name when known, and
// the lines the server was unsure of.
func printDraft(w io.Writer, d *menusync.Draft) {
	cur := menusync.Currency{Code: d.Currency, Digits: d.CurrencyDigits}
	what := d.Currency
	if what == "" {
		what = "no currency"
	}
	fmt.Fprintf(w, "%d dishes (%s, read as %s)\n", len(d.Items), what, d.Format)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, it := range d.Items {
		price := "-"
		if it.PriceMinor != nil {
			price = menusync.FormatAmountGrouped(*it.PriceMinor, cur)
		}
		var say []string
		if it.Romanized != "" {
			say = append(say, it.Romanized)
		}
		if en, _ := it.NameIn("en"); en != it.Name {
			say = append(say, en)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", it.ID, it.Name, price, strings.Join(say, " · "))
	}
	_ = tw.Flush()
	for _, wn := range d.Warnings {
		mark := "!"
		if informational(wn.Code) {
			mark = "·"
		}
		fmt.Fprintf(w, "  %s line %d: %s\n", mark, wn.Line, wn.Message)
	}
}

// informational warnings say how a line was read, not that it may be
// wrong: a heading, a description under a dish.
func informational(code string) bool { return code == "heading" || code == "description_line" }

// unsure counts the warnings a person must look at.
func unsure(d *menusync.Draft) int {
	n := 0
	for _, w := range d.Warnings {
		if !informational(w.Code) {
			n++
		}
	}
	return n
}
