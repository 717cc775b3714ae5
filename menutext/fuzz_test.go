package menutext

import (
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/menusync/menusync"
)

// FuzzParse checks what must hold for any input: no panic, the limits,
// prices within range and only with a currency, warnings in line order.
func FuzzParse(f *testing.F) {
	for _, tc := range menuLines {
		f.Add(tc.in, tc.opt.Currency, tc.opt.Lang)
	}
	f.Fuzz(func(t *testing.T, text, cur, lang string) {
		d := Parse(text, Options{Currency: cur, Lang: lang})
		switch d.Format {
		case "lines", "csv", "json":
		default:
			t.Fatalf("format %q", d.Format)
		}
		if len(d.Items) > MaxItems || len(d.Warnings) > MaxWarnings {
			t.Fatalf("%d items, %d warnings", len(d.Items), len(d.Warnings))
		}
		if d.Currency != "" {
			if _, err := menusync.ParseCurrency(d.Currency); err != nil {
				t.Fatalf("currency %q: %v", d.Currency, err)
			}
		}
		lines := strings.Count(text, "\n") + strings.Count(text, "\r") + 1
		for _, it := range d.Items {
			if p := it.PriceMinor; p != nil && (*p < 0 || *p > menusync.MaxPriceMinor || d.Currency == "") {
				t.Fatalf("price %d in %q", *p, d.Currency)
			}
			if it.Name == "" || utf8.RuneCountInString(it.Name) > MaxNameLen || !utf8.ValidString(it.Name) {
				t.Fatalf("name %q", it.Name)
			}
			if utf8.RuneCountInString(it.Description) > MaxDescriptionLen || utf8.RuneCountInString(it.ID) > MaxIDLen {
				t.Fatalf("description or id too long")
			}
			if len(it.Names) > MaxNames {
				t.Fatalf("%d names", len(it.Names))
			}
			if it.Line < 1 || it.Line > lines {
				t.Fatalf("item line %d of %d", it.Line, lines)
			}
		}
		if !sort.SliceIsSorted(d.Warnings, func(i, j int) bool { return d.Warnings[i].Line < d.Warnings[j].Line }) {
			t.Fatalf("warnings out of order")
		}
		for _, w := range d.Warnings {
			if w.Code == "" || w.Message == "" || w.Line < 0 || w.Line > lines || utf8.RuneCountInString(w.Message) > 500 {
				t.Fatalf("warning %+v", w)
			}
		}
	})
}
