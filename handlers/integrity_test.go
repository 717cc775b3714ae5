package handlers_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
)

// TestLateRequestIsNotCarriedOut: a change that reached this replica long
// after the proxy received it (X-Request-Start; the replica was frozen,
// say) is refused without a key once the proxy has surely given up, and
// allowed with one (a late copy then meets the record of its first run).
func TestLateRequestIsNotCarriedOut(t *testing.T) {
	// The test's requests come from loopback, where a proxy would be.
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	f := newFixture(t, handlers.Config{Limits: handlers.Limits{TrustedProxies: loopback}})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	before := f.version(t, p)
	old := fmt.Sprintf("t=%.3f", float64(time.Now().Add(-30*time.Second).UnixMilli())/1000)
	r := f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 3}, "X-Request-Start", old)
	if r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), `"code":"request_expired"`) || r.header.Get("Retry-After") == "" {
		t.Fatalf("late keyless change: %d %s", r.status, r.body)
	}
	if v := f.version(t, p); v != before {
		t.Fatalf("a refused late change moved the room from %d to %d", before, v)
	}
	fresh := fmt.Sprintf("t=%.3f", float64(time.Now().UnixMilli())/1000)
	if r := f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 3}, "X-Request-Start", fresh); r.status != 200 {
		t.Fatalf("change in time: %d %s", r.status, r.body)
	}
	if r := f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 4}, "X-Request-Start", old, "Idempotency-Key", "k-late"); r.status != 200 {
		t.Fatalf("late change with a key: %d %s", r.status, r.body)
	}
	// A proxy we do not trust cannot set anyone's deadline.
	g := newFixture(t, handlers.Config{Limits: handlers.Limits{TrustedProxies: nil}})
	q := g.party()
	if r := g.do("POST", "/v1/rooms/"+q.room.ID+"/choices", q.tokenA, map[string]any{"menuId": "tea", "quantity": 3}, "X-Request-Start", old); r.status != 200 {
		t.Fatalf("an untrusted X-Request-Start was believed: %d %s", r.status, r.body)
	}
}

// TestKeylessJoinRetry: a join without a key that is retried (its first
// answer was lost) finds the member its first attempt created instead of
// adding the same person twice.
func TestKeylessJoinRetry(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	path := "/v1/rooms/" + p.room.ID + "/members"
	var first, retry, other struct {
		Member menusync.Member `json:"member"`
	}
	f.do("POST", path, "", map[string]string{"name": "Chen"}).json(t, &first)
	r := f.do("POST", path, "", map[string]string{"name": "Chen"})
	r.json(t, &retry)
	if r.status != http.StatusCreated || retry.Member.ID != first.Member.ID || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("keyless retry: %d %s, first was %s", r.status, r.body, first.Member.ID)
	}
	f.do("POST", path, "", map[string]string{"name": "Dara"}).json(t, &other)
	if other.Member.ID == first.Member.ID {
		t.Fatal("another name joined as the same member")
	}
	var snap menusync.Snapshot
	f.do("GET", "/v1/rooms/"+p.room.ID, p.tokenA, nil).json(t, &snap)
	if len(snap.Members) != 4 {
		t.Fatalf("%d members after a retried join, want 4", len(snap.Members))
	}
}

// TestLeave: a member leaves; everyone's stream gets the left event, the
// member's own stream ends after it, and their token stops working at
// once for reads, streams and writes.
func TestLeave(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 2})
	ana := f.stream(base+"/events", "Authorization", "Bearer "+p.tokenA)
	bo := f.stream(base+"/events", "Authorization", "Bearer "+p.tokenB)
	ana.next(t)
	for ev := bo.next(t); !strings.Contains(ev.Data, `"online":true`) || ev.Event != "snapshot"; ev = bo.next(t) {
	}
	if r := f.do("DELETE", base+"/members/"+p.a.ID, p.tokenB, nil); r.status != http.StatusForbidden {
		t.Fatalf("taking another member out: %d %s", r.status, r.body)
	}
	r := f.do("DELETE", base+"/members/me?choices=keep", p.tokenB, nil)
	if r.status != 200 {
		t.Fatalf("leave: %d %s", r.status, r.body)
	}
	for name, s := range map[string]*sseReader{"Ana": ana, "Bo": bo} {
		var ev sseEvent
		for ev = s.next(t); ev.Event != "left"; ev = s.next(t) {
		}
		if !strings.Contains(ev.Data, `"memberId":"`+p.b.ID+`"`) || !strings.Contains(ev.Data, `"keepChoices":true`) {
			t.Fatalf("%s: left event %+v", name, ev)
		}
	}
	for {
		ev, ok := bo.raw(t)
		if !ok {
			break
		}
		if ev.Event != "" && ev.Event != "heartbeat" {
			t.Fatalf("Bo's stream went on after he left: %+v", ev)
		}
	}
	for _, try := range []response{
		f.do("GET", base, p.tokenB, nil),
		f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 1}),
		f.do("GET", base+"/changes?wait=0", p.tokenB, nil),
	} {
		if try.status != http.StatusForbidden || !strings.Contains(string(try.body), "member_not_found") {
			t.Fatalf("Bo's token after leaving: %d %s", try.status, try.body)
		}
	}
	if s := f.stream(base+"/events", "Authorization", "Bearer "+p.tokenB); s.resp.StatusCode != http.StatusForbidden {
		t.Fatalf("Bo's stream after leaving: %d", s.resp.StatusCode)
	}
	var snap menusync.Snapshot
	f.do("GET", base, p.tokenA, nil).json(t, &snap)
	if len(snap.Members) != 1 || len(snap.Left) != 1 || len(snap.Choices) != 1 || snap.Summary.Quantity != 2 {
		t.Fatalf("after Bo left keeping his choices: %+v", snap)
	}
}
