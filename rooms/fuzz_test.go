package rooms

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParseEvent: whatever is published on a room channel, parsing never
// panics and never yields data that could break out of one SSE data line.
func FuzzParseEvent(f *testing.F) {
	f.Add("Ep0ch\n7\nchoice\n1700000000000000\n{\"menuId\":\"a\",\"version\":7}")
	f.Add("Ep0ch\n1\nrefresh\n0\n{}\ndata: injected")
	f.Add("Ep0ch\n0\nx\n0\n{}")
	f.Add("Ep.ch\n1\nx\n0\n{}")
	f.Fuzz(func(t *testing.T, payload string) {
		ev, err := ParseEvent(payload)
		if err != nil {
			return
		}
		if ev.Version == 0 || strings.ContainsAny(string(ev.Data), "\r\n") || strings.ContainsAny(ev.Type, "\r\n: ") || !ValidEpoch(ev.Epoch) {
			t.Fatalf("accepted unsafe event %+v", ev)
		}
	})
}

// FuzzValidateMenu: any JSON menu is either rejected or meets every limit.
func FuzzValidateMenu(f *testing.F) {
	f.Add([]byte(`[{"name":"비빔밥","price":12.5},{"id":"tea","name":"tea","description":"hot\nsweet"}]`))
	f.Add([]byte(`[{"id":"a|b","name":"x"}]`))
	f.Add([]byte(`[{"name":"\u0000"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var menu []MenuItem
		if json.Unmarshal(data, &menu) != nil {
			return
		}
		out, err := validateMenu(menu)
		if err != nil {
			return
		}
		if len(out) == 0 || len(out) > MaxMenuItems {
			t.Fatalf("%d items accepted", len(out))
		}
		seen := map[string]bool{}
		for _, it := range out {
			if seen[it.ID] || it.ID == "" || checkItemID(it.ID) != nil {
				t.Fatalf("bad id %q accepted", it.ID)
			}
			seen[it.ID] = true
			n := utf8.RuneCountInString(it.Name)
			if n < 1 || n > MaxItemNameLen || strings.IndexFunc(it.Name, unicode.IsControl) >= 0 {
				t.Fatalf("bad name %q accepted", it.Name)
			}
			if it.Price != nil && (*it.Price < 0 || *it.Price > MaxPrice) {
				t.Fatalf("bad price %v accepted", *it.Price)
			}
		}
	})
}
