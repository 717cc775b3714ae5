package rooms

import (
	"strings"
	"testing"

	"github.com/menusync/menusync"
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
		if ev.Version == 0 || strings.ContainsAny(string(ev.Data), "\r\n") || strings.ContainsAny(ev.Type, "\r\n: ") || !menusync.ValidEpoch(ev.Epoch) {
			t.Fatalf("accepted unsafe event %+v", ev)
		}
	})
}
