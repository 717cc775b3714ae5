package pubsub

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/menusync/menusync"
)

// parseBlocks reads an event stream the way the SSE spec says: lines end
// at CRLF, LF or CR; a blank line ends an event.
func parseBlocks(stream string) []map[string]string {
	stream = strings.ReplaceAll(stream, "\r\n", "\n")
	stream = strings.ReplaceAll(stream, "\r", "\n")
	var out []map[string]string
	cur := map[string]string{}
	for _, line := range strings.Split(stream, "\n") {
		if line == "" {
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = map[string]string{}
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		if _, dup := cur[field]; dup {
			cur[field+"#dup"] = value
		}
		cur[field] = value
	}
	return out
}

// FuzzFrame: a member name (any text a user can send) framed as an event
// is exactly one event with exactly id, event and data, and the data is
// the JSON that was framed. Nothing can inject a field.
func FuzzFrame(f *testing.F) {
	f.Add("Ana", uint64(3))
	f.Add("evil\ndata: {\"injected\":true}\n\nid: 999", uint64(7))
	f.Add("a\rretry: 1\r\revent: closed", uint64(1))
	f.Add("\u2028\u2029\x00", uint64(42))
	f.Fuzz(func(t *testing.T, name string, version uint64) {
		data, err := json.Marshal(map[string]any{"member": map[string]string{"id": "0123456789abcdef", "name": name}, "version": version})
		if err != nil {
			t.Skip()
		}
		blocks := parseBlocks(string(EncodeFrame(menusync.Position{Epoch: "AAAAAAAAAAA", Version: version}, "member", data)))
		if len(blocks) != 1 || len(blocks[0]) != 3 {
			t.Fatalf("framing %q gave %v", name, blocks)
		}
		b := blocks[0]
		if b["data"] != string(data) || b["event"] != "member" {
			t.Fatalf("framing %q gave %v", name, b)
		}
	})
}
