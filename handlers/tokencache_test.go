package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/testproc"
)

// TestRemovedMemberOutOnEveryReplica: the verified-token cache remembers
// a token's signature check only, never that its member is at the table.
// Bo uses his token on two replicas (so both have it cached) and follows
// the table on the second; the host takes him out through the first; at
// once, on both, every read, write, long-poll and stream with his token
// is refused, and his open stream on the second ends.
func TestRemovedMemberOutOnEveryReplica(t *testing.T) {
	rd := testproc.StartRedis(t)
	a := newFixtureOn(t, rd, handlers.Config{})
	b := newFixtureOn(t, rd, handlers.Config{})
	tb := a.table()
	for _, f := range []*fixture{a, b} {
		for range 2 { // the second from the cache
			if r := f.do("POST", tb.base+"/choices", tb.bo, `{"menuId":"tea","quantity":1}`); r.status != http.StatusOK {
				t.Fatalf("Bo's choice before: %d %s", r.status, r.body)
			}
			if r := f.do("GET", tb.base, tb.bo, nil); r.status != http.StatusOK {
				t.Fatalf("Bo's read before: %d %s", r.status, r.body)
			}
		}
	}
	bo := b.stream(tb.base+"/events", "Authorization", "Bearer "+tb.bo)
	bo.next(t) // snapshot
	if r := a.do("DELETE", tb.base+"/members/"+tb.boID, tb.host, nil); r.status != http.StatusOK {
		t.Fatalf("remove: %d %s", r.status, r.body)
	}
	for _, f := range []*fixture{b, a} { // b first: the replica that did not handle the removal
		f.want(f.do("POST", tb.base+"/choices", tb.bo, `{"menuId":"pajeon","quantity":1}`), 403, "member_not_found")
		f.want(f.do("GET", tb.base, tb.bo, nil), 403, "member_not_found")
		f.want(f.do("GET", tb.base+"/changes?wait=0", tb.bo, nil), 403, "member_not_found")
		if s := f.stream(tb.base+"/events", "Authorization", "Bearer "+tb.bo); s.resp.StatusCode != http.StatusForbidden {
			t.Fatalf("Bo's new stream after removal: %d", s.resp.StatusCode)
		}
	}
	for {
		ev, ok := bo.raw(t)
		if !ok {
			break // ended
		}
		if ev.Event != "" && ev.Event != "heartbeat" && ev.Event != "presence" && ev.Event != "left" {
			t.Fatalf("Bo's stream went on after his removal: %+v", ev)
		}
	}
	// and the others' tokens still work from the cache
	if r := b.do("GET", tb.base, tb.ana, nil); r.status != http.StatusOK || strings.Contains(string(r.body), tb.boID) {
		t.Fatalf("Ana's read after: %d %s", r.status, r.body)
	}
}
