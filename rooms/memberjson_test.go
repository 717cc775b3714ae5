package rooms

import (
	"encoding/json"
	"testing"

	"github.com/menusync/menusync"
)

// sameMemberAsJSON fails unless decodeMember and encoding/json agree on
// body: both refuse it, or both give the same member.
func sameMemberAsJSON(t *testing.T, body string) {
	t.Helper()
	got, err := decodeMember(body)
	var want menusync.Member
	werr := json.Unmarshal([]byte(body), &want)
	if (err == nil) != (werr == nil) || (err == nil && got != want) {
		t.Fatalf("%q: decodeMember %+v %v, encoding/json %+v %v", body, got, err, want, werr)
	}
}

// TestDecodeMemberAsJSON: the direct reading of the scripts' member JSON
// gives what encoding/json gives, for what the scripts write (taken
// directly) and for anything else (left to encoding/json).
func TestDecodeMemberAsJSON(t *testing.T) {
	fast := []string{
		`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":7}`,
		`{"id":"0123456789abcdef","name":"김밥 천국 🍙","online":false,"done":false,"joined":123456789012345678}`,
		`{"id":"x","name":"","online":true,"done":true,"joined":0}`,
		`{"id":"","name":"<b>&amp;</b>","online":false,"done":true,"joined":1}`,
	}
	for _, b := range fast {
		if _, ok := memberFast(b); !ok {
			t.Errorf("the scripts' form %q was not read directly", b)
		}
		sameMemberAsJSON(t, b)
	}
	others := []string{
		`{"id":"0123456789abcdef","name":"A\"na","online":false,"done":false,"joined":7}`,
		`{"id":"0123456789abcdef","name":"A\u00e9","online":false,"done":false,"joined":7}`,
		`{"id":"0123456789abcdef","name":"A\\","online":false,"done":false,"joined":7}`,
		"{\"id\":\"0123456789abcdef\",\"name\":\"A\tb\",\"online\":false,\"done\":false,\"joined\":7}",
		"{\"id\":\"0123456789abcdef\",\"name\":\"A\xffb\",\"online\":false,\"done\":false,\"joined\":7}",
		"{\"id\":\"\xc3\",\"name\":\"Ab\",\"online\":false,\"done\":false,\"joined\":7}",
		`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":07}`,
		`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":-7}`,
		`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":7.5}`,
		`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":99999999999999999999}`,
		`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":18446744073709551615}`,
		`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":7}x`,
		`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":7} `,
		`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":7,"name":"Bo"}`,
		`{"id":"0123456789abcdef","name":"Ana","online":null,"done":false,"joined":7}`,
		`{"id":"0123456789abcdef","name":"Ana","online":fals,"done":false,"joined":7}`,
		`{"name":"Ana","id":"0123456789abcdef","online":false,"done":false,"joined":7}`,
		`{"ID":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":7}`,
		`{"id":"0123456789abcdef","name":"Ana"}`,
		`{"id": "0123456789abcdef","name":"Ana","online":false,"done":false,"joined":7}`,
		`{"id":"0123456789abcdef","name":"Ana`,
		``,
		`null`,
	}
	for _, b := range others {
		sameMemberAsJSON(t, b)
	}
}

// FuzzDecodeMember: for any stored value, decodeMember agrees with
// encoding/json.
func FuzzDecodeMember(f *testing.F) {
	f.Add(`{"id":"0123456789abcdef","name":"Ana","online":false,"done":false,"joined":7}`)
	f.Add(`{"id":"0123456789abcdef","name":"A\"na","online":true,"done":false,"joined":7}`)
	f.Add("{\"id\":\"a\",\"name\":\"\xff\",\"online\":false,\"done\":false,\"joined\":0}")
	f.Fuzz(func(t *testing.T, body string) { sameMemberAsJSON(t, body) })
}

// BenchmarkDecodeMember: the scripts' form, directly and by encoding/json.
func BenchmarkDecodeMember(b *testing.B) {
	body := `{"id":"0123456789abcdef","name":"Ana Lee","online":false,"done":false,"joined":17}`
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeMember(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m menusync.Member
			if err := json.Unmarshal([]byte(body), &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
