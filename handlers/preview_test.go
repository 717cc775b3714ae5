package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/menusync/menusync/handlers"
)

// TestPreview: the link shows the table's name, menu and who is there
// before joining, without ids, choices or a token; an unknown table is
// 404, a closed one says so, and the address's read limit counts it.
func TestPreview(t *testing.T) {
	f := newFixture(t, handlers.Config{Limits: handlers.Limits{ReadIPRate: 0.01, ReadIPBurst: 3}})
	var room struct {
		ID      string
		Creator struct{ Token string }
	}
	f.do("POST", "/v1/rooms", "", `{"name":"Dinner","currency":"KRW","creatorName":"Hana","menu":[{"name":"비빔밥","price":"12000"}]}`).json(t, &room)
	var j struct{ Token string }
	f.do("POST", "/v1/rooms/"+room.ID+"/members", "", `{"name":"Ana"}`).json(t, &j)
	f.do("POST", "/v1/rooms/"+room.ID+"/choices", j.Token, `{"menuId":"1","quantity":2}`)

	r := f.do("GET", "/v1/rooms/"+room.ID+"/preview", "", nil)
	if r.status != 200 {
		t.Fatalf("preview: %d %s", r.status, r.body)
	}
	var p struct {
		Name     string
		Currency string
		Menu     []struct{ Name string }
		Members  []map[string]any
		Closed   bool
	}
	r.json(t, &p)
	if p.Name != "Dinner" || p.Currency != "KRW" || len(p.Menu) != 1 || p.Menu[0].Name != "비빔밥" || len(p.Members) != 2 || p.Members[0]["name"] != "Hana" || p.Closed {
		t.Errorf("preview %s", r.body)
	}
	for _, m := range p.Members {
		if len(m) != 2 {
			t.Errorf("a member in the preview shows %v", m)
		}
	}
	for _, leak := range []string{"memberId", "choices", "hostId", "online", j.Token} {
		if strings.Contains(string(r.body), leak) {
			t.Errorf("the preview shows %s: %s", leak, r.body)
		}
	}
	f.want(f.do("GET", "/v1/rooms/AAAAAAAAAAAAAAAAAAAAAA/preview", "", nil), 404, "room_not_found")

	f.do("POST", "/v1/rooms/"+room.ID+"/close", room.Creator.Token, `{}`)
	r = f.do("GET", "/v1/rooms/"+room.ID+"/preview", "", nil)
	if r.status == http.StatusTooManyRequests {
		t.Fatal("limited before the burst was spent")
	}
	var closed struct{ Closed bool }
	_ = json.Unmarshal(r.body, &closed)
	if r.status != 200 || !closed.Closed {
		t.Errorf("a closed table's preview: %d %s", r.status, r.body)
	}
	if r := f.do("GET", "/v1/rooms/"+room.ID+"/preview", "", nil); r.status != http.StatusTooManyRequests {
		t.Errorf("past the read burst: %d, want 429", r.status)
	}
}
