package menusync

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzValidateMenu: any JSON menu is either rejected or meets every limit.
func FuzzValidateMenu(f *testing.F) {
	f.Add([]byte(`[{"name":"비빔밥","priceMinor":12000,"names":{"en":"Bibimbap"}},{"id":"tea","name":"tea","description":"hot\nsweet"}]`))
	f.Add([]byte(`[{"id":"a|b","name":"x"}]`))
	f.Add([]byte(`[{"name":"\u0000"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var menu []MenuItem
		if json.Unmarshal(data, &menu) != nil {
			return
		}
		out, err := ValidateMenu(menu)
		if err != nil {
			return
		}
		if len(out) == 0 || len(out) > MaxMenuItems {
			t.Fatalf("%d items accepted", len(out))
		}
		seen := map[string]bool{}
		for _, it := range out {
			if seen[it.ID] || it.ID == "" || CheckItemID(it.ID) != nil {
				t.Fatalf("bad id %q accepted", it.ID)
			}
			seen[it.ID] = true
			n := utf8.RuneCountInString(it.Name)
			if n < 1 || n > MaxItemNameLen || strings.IndexFunc(it.Name, unicode.IsControl) >= 0 {
				t.Fatalf("bad name %q accepted", it.Name)
			}
			if it.PriceMinor != nil && (*it.PriceMinor < 0 || *it.PriceMinor > MaxPriceMinor) {
				t.Fatalf("bad price %v accepted", *it.PriceMinor)
			}
			if len(it.Names) > MaxNamesPerItem {
				t.Fatalf("%d names accepted", len(it.Names))
			}
		}
	})
}
