package handlers_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
)

func (f *fixture) version(t *testing.T, p party) uint64 {
	t.Helper()
	var s menusync.Snapshot
	f.do("GET", "/v1/rooms/"+p.room.ID, p.tokenA, nil).json(t, &s)
	return s.Version
}

// TestIdempotentChoiceUnderConcurrentRetries: ten copies of one request
// with one Idempotency-Key, sent at once, change the room once and all get
// the same answer.
func TestIdempotentChoiceUnderConcurrentRetries(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	before := f.version(t, p)
	var wg sync.WaitGroup
	answers := make([]response, 10)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = f.do("POST", "/v1/rooms/"+p.room.ID+"/choices", p.tokenA,
				map[string]any{"menuId": "tea", "quantity": 3}, "Idempotency-Key", "order-42")
		}()
	}
	wg.Wait()
	replayed := 0
	for _, a := range answers {
		if a.status != 200 || string(a.body) != string(answers[0].body) {
			t.Fatalf("answers differ: %d %s vs %s", a.status, a.body, answers[0].body)
		}
		if a.header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	if replayed != len(answers)-1 {
		t.Fatalf("%d answers marked replayed, want %d", replayed, len(answers)-1)
	}
	if after := f.version(t, p); after != before+1 {
		t.Fatalf("version went from %d to %d; want one bump", before, after)
	}
}

// TestIdempotencyKeyKeepsTheFirstAnswer: a late retry of an old request
// must not undo a newer one.
func TestIdempotencyKeyKeepsTheFirstAnswer(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	first := f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 2}, "Idempotency-Key", "a")
	f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 5}, "Idempotency-Key", "b")
	retry := f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 2}, "Idempotency-Key", "a")
	if string(retry.body) != string(first.body) {
		t.Fatalf("retry answered %s, first %s", retry.body, first.body)
	}
	var s menusync.Snapshot
	f.do("GET", base, p.tokenA, nil).json(t, &s)
	if len(s.Choices) != 1 || s.Choices[0].Quantity != 5 {
		t.Fatalf("a late retry changed the room: %+v", s.Choices)
	}
	// The same key from another member is that member's own key.
	if r := f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 1}, "Idempotency-Key", "a"); r.status != 200 || r.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("another member's key collided: %d %v", r.status, r.header)
	}
	// Reusing a key for a different request is refused.
	r := f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 9}, "Idempotency-Key", "a")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "idempotency_key_reused") {
		t.Fatalf("key reuse: %d %s", r.status, r.body)
	}
	if r := f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 1}, "Idempotency-Key", "spaces are not allowed"); r.status != 400 {
		t.Fatalf("bad key: %d", r.status)
	}
}

func TestIdempotentJoinAndRefresh(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	var a, b struct {
		Member menusync.Member
		Token  string
	}
	f.do("POST", base+"/members", "", map[string]string{"name": "Chloé"}, "Idempotency-Key", "join-1").json(t, &a)
	f.do("POST", base+"/members", "", map[string]string{"name": "Chloé"}, "Idempotency-Key", "join-1").json(t, &b)
	if a.Member.ID == "" || a.Member != b.Member {
		t.Fatalf("retried join made %+v then %+v", a.Member, b.Member)
	}
	var s menusync.Snapshot
	f.do("GET", base, b.Token, nil).json(t, &s)
	if len(s.Members) != 3 {
		t.Fatalf("%d members after a retried join", len(s.Members))
	}
	v := s.Version
	for range 3 {
		f.do("POST", base+"/refresh", p.tokenA, nil, "Idempotency-Key", "r1")
	}
	if got := f.version(t, p); got != v+1 {
		t.Fatalf("three retried refreshes bumped %d times", got-v)
	}
}

func TestIdempotentRoomCreation(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	body := `{"menu":[{"name":"Soup"}]}`
	var wg sync.WaitGroup
	answers := make([]response, 6)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = f.do("POST", "/v1/rooms", "", body, "Idempotency-Key", "new-table-7")
		}()
	}
	wg.Wait()
	var first menusync.Room
	answers[0].json(t, &first)
	for _, a := range answers {
		var r menusync.Room
		a.json(t, &r)
		if a.status != 201 || r.ID != first.ID {
			t.Fatalf("retried creates made different rooms: %d %s vs %s", a.status, r.ID, first.ID)
		}
	}
	if n := len(f.rdb.Keys(t.Context(), "room:{*}").Val()); n != 1 {
		t.Fatalf("%d rooms exist after retried creates", n)
	}
	if r := f.do("POST", "/v1/rooms", "", `{"menu":[{"name":"Other"}]}`, "Idempotency-Key", "new-table-7"); r.status != 422 {
		t.Fatalf("key reused for another menu: %d", r.status)
	}
}
