package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/testproc"
)

// table is a room opened by its host, with two guests.
type table struct {
	room                menusync.Room
	base                string
	host, ana, bo       string // tokens
	hostID, anaID, boID string
}

func (f *fixture) table() table {
	f.t.Helper()
	r := f.do("POST", "/v1/rooms", "", map[string]any{
		"name": "Dinner at Gwangjang", "currency": "KRW", "creatorName": "Hana",
		"menu": []map[string]any{
			{"id": "bibimbap", "name": "비빔밥", "price": "12000"},
			{"id": "pajeon", "name": "해물파전", "priceMinor": 15000},
			{"id": "tea", "name": "보리차", "price": 2000, "names": map[string]string{"en": "Barley tea"}},
		},
	})
	if r.status != http.StatusCreated {
		f.t.Fatalf("create: %d %s", r.status, r.body)
	}
	var created struct {
		menusync.Room
		Creator struct {
			Member menusync.Member `json:"member"`
			Token  string          `json:"token"`
		} `json:"creator"`
	}
	r.json(f.t, &created)
	tb := table{room: created.Room, base: "/v1/rooms/" + created.ID, host: created.Creator.Token, hostID: created.Creator.Member.ID}
	var j struct {
		Member menusync.Member `json:"member"`
		Token  string          `json:"token"`
	}
	f.do("POST", tb.base+"/members", "", map[string]string{"name": "Ana"}).json(f.t, &j)
	tb.ana, tb.anaID = j.Token, j.Member.ID
	f.do("POST", tb.base+"/members", "", map[string]string{"name": "Bo"}).json(f.t, &j)
	tb.bo, tb.boID = j.Token, j.Member.ID
	return tb
}

func (f *fixture) want(r response, status int, code string) {
	f.t.Helper()
	var p struct{ Code string }
	_ = json.Unmarshal(r.body, &p)
	if r.status != status || p.Code != code {
		f.t.Fatalf("got %d %s, want %d %s", r.status, r.body, status, code)
	}
}

// TestCreatingIsJoining: the creator is the host, with a token; money is
// exact in the room's currency; the glossary's suggestions come with the
// dishes it knows.
func TestCreatingIsJoining(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	tb := f.table()
	r := tb.room
	if r.HostID != tb.hostID || r.Version != 2 || r.Currency != "KRW" || r.CurrencyDigits != 0 || r.Name != "Dinner at Gwangjang" {
		t.Fatalf("room: %+v", r)
	}
	if *r.Menu[0].PriceMinor != 12000 || *r.Menu[1].PriceMinor != 15000 || *r.Menu[2].PriceMinor != 2000 {
		t.Fatalf("prices: %+v", r.Menu)
	}
	b := r.Menu[0]
	if b.SuggestedNames["en"] != "Bibimbap" || b.Romanized != "bibimbap" || b.Glossary == nil || b.Glossary.Kind != "exact" {
		t.Fatalf("glossary: %+v", b)
	}
	if r.Menu[2].Names["en"] != "Barley tea" || r.Menu[2].SuggestedNames["en"] != "" {
		t.Fatalf("the menu's own name lost to a suggestion: %+v", r.Menu[2])
	}
	// A price with more decimals than the currency has is refused.
	bad := f.do("POST", "/v1/rooms", "", `{"currency":"KRW","menu":[{"name":"x","price":"12.5"}]}`)
	f.want(bad, 422, "invalid_value")
	f.want(f.do("POST", "/v1/rooms", "", `{"currency":"XYZ","menu":[{"name":"x"}]}`), 422, "invalid_value")
	f.want(f.do("POST", "/v1/rooms", "", `{"currency":"USD","menu":[{"name":"x","price":"1.50","priceMinor":140}]}`), 422, "invalid_value")
}

// TestHostControlsAreTheHosts: every control answers 403 not_host to a
// guest, and changes nothing.
func TestHostControlsAreTheHosts(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	tb := f.table()
	for _, c := range []struct{ method, path, body string }{
		{"PATCH", tb.base, `{"locked":true}`},
		{"POST", tb.base + "/close", `{}`},
		{"PUT", tb.base + "/menu", `{"menu":[{"name":"x"}]}`},
		{"DELETE", tb.base + "/members/" + tb.boID, ""},
		{"PATCH", tb.base, `{"hostId":"` + tb.anaID + `"}`},
	} {
		var body any
		if c.body != "" {
			body = c.body
		}
		f.want(f.do(c.method, c.path, tb.ana, body), 403, "not_host")
	}
	f.want(f.do("PATCH", tb.base+"/members/"+tb.boID, tb.ana, `{"done":true}`), 403, "forbidden")
	var snap menusync.Snapshot
	f.do("GET", tb.base, tb.ana, nil).json(t, &snap)
	if snap.Version != 4 || snap.Room.Locked || len(snap.Members) != 3 {
		t.Fatalf("a refused control changed the room: %+v", snap)
	}
}

// TestLockAndClose: locked, choices and joins get 409 order_locked; closed,
// every change gets 409 room_closed, reads still work, and a stream on
// the closed table sends its snapshot and ends.
func TestLockAndClose(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	tb := f.table()
	choice := `{"menuId":"bibimbap","quantity":1}`
	if r := f.do("PATCH", tb.base, tb.host, `{"locked":true,"serviceChargePercent":12.5}`); r.status != 200 {
		t.Fatalf("lock: %d %s", r.status, r.body)
	}
	f.want(f.do("POST", tb.base+"/choices", tb.ana, choice), 409, "order_locked")
	f.want(f.do("POST", tb.base+"/members", "", `{"name":"Late"}`), 409, "order_locked")
	f.want(f.do("PATCH", tb.base, tb.host, `{"tipPercent":101}`), 422, "invalid_value")
	f.do("PATCH", tb.base, tb.host, `{"locked":false}`)
	if r := f.do("POST", tb.base+"/choices", tb.ana, choice); r.status != 200 {
		t.Fatalf("choice after unlocking: %d %s", r.status, r.body)
	}
	open := f.stream(tb.base+"/events", "Authorization", "Bearer "+tb.ana)
	open.next(t) // snapshot
	if r := f.do("POST", tb.base+"/close", tb.host, `{"reason":"Paid, thanks!"}`); r.status != 200 {
		t.Fatalf("close: %d %s", r.status, r.body)
	}
	for ev := open.next(t); ev.Event != "closed"; ev = open.next(t) {
		if ev.Event != "presence" {
			t.Fatalf("before closed: %+v", ev)
		}
	}
	for {
		if _, ok := open.raw(t); !ok {
			break // the stream ended after the closed event
		}
	}
	f.want(f.do("POST", tb.base+"/choices", tb.ana, choice), 409, "room_closed")
	f.want(f.do("PATCH", tb.base+"/members/me", tb.ana, `{"done":true}`), 409, "room_closed")
	f.want(f.do("POST", tb.base+"/members", "", `{"name":"Late"}`), 409, "room_closed")
	var snap menusync.Snapshot
	f.do("GET", tb.base, tb.bo, nil).json(t, &snap)
	if !snap.Room.Closed || snap.Room.ClosedReason != "Paid, thanks!" || snap.Room.ServiceChargePercent != 1250 {
		t.Fatalf("closed room: %+v", snap.Room)
	}
	s := f.stream(tb.base+"/events", "Authorization", "Bearer "+tb.bo)
	if ev := s.next(t); ev.Event != "snapshot" || !strings.Contains(ev.Data, `"closed":true`) {
		t.Fatalf("first event on a closed table: %+v", ev)
	}
	for {
		if _, ok := s.raw(t); !ok {
			break // the stream ended
		}
	}
}

// TestRemovedMemberIsOut: the host takes Bo out keeping his choices; his
// stream gets the left event and ends, his token stops working, and the
// order still has his dish.
func TestRemovedMemberIsOut(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	tb := f.table()
	f.do("POST", tb.base+"/choices", tb.bo, `{"menuId":"pajeon","quantity":1,"note":"extra crispy"}`)
	bo := f.stream(tb.base+"/events", "Authorization", "Bearer "+tb.bo)
	bo.next(t) // snapshot
	if r := f.do("DELETE", tb.base+"/members/"+tb.boID+"?choices=keep", tb.host, nil); r.status != 200 {
		t.Fatalf("remove: %d %s", r.status, r.body)
	}
	ev := bo.next(t)
	if ev.Event == "presence" {
		ev = bo.next(t)
	}
	if ev.Event != "left" || !strings.Contains(ev.Data, `"reason":"removed"`) || !strings.Contains(ev.Data, `"hostId":"`+tb.hostID+`"`) {
		t.Fatalf("Bo's stream: %+v", ev)
	}
	for {
		if _, ok := bo.raw(t); !ok {
			break
		}
	}
	f.want(f.do("POST", tb.base+"/choices", tb.bo, `{"menuId":"tea","quantity":1}`), 403, "member_not_found")
	f.want(f.do("GET", tb.base, tb.bo, nil), 403, "member_not_found")
	r := f.do("GET", tb.base+"/order", tb.ana, nil, "Accept", "text/plain")
	if r.status != 200 || string(r.body) != "Dinner at Gwangjang · 1 dish\n1 × 해물파전\n    1: extra crispy (Bo)\n" {
		t.Fatalf("order: %d %q", r.status, r.body)
	}
}

// TestMembersOwnChanges: done, rename (distinct names), a dish's name in
// a language for everyone; each a versioned event on the stream.
func TestMembersOwnChanges(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	tb := f.table()
	s := f.stream(tb.base+"/events", "Authorization", "Bearer "+tb.host)
	s.next(t) // snapshot
	skipPresence := func() sseEvent {
		for {
			if ev := s.next(t); ev.Event != "presence" {
				return ev
			}
		}
	}
	f.do("PATCH", tb.base+"/members/me", tb.ana, `{"done":true}`)
	if ev := skipPresence(); ev.Event != "done" || !strings.Contains(ev.Data, `"done":true`) {
		t.Fatalf("done: %+v", ev)
	}
	var m struct{ Name string }
	f.do("PATCH", tb.base+"/members/me", tb.bo, `{"name":"hana"}`).json(t, &m)
	if m.Name != "hana 2" {
		t.Fatalf("rename to a taken name: %+v", m)
	}
	if ev := skipPresence(); ev.Event != "renamed" || !strings.Contains(ev.Data, `"name":"hana 2"`) {
		t.Fatalf("renamed: %+v", ev)
	}
	f.want(f.do("PATCH", tb.base+"/members/me", tb.bo, `{"name":"x","done":true}`), 422, "invalid_value")
	if r := f.do("PUT", tb.base+"/menu/bibimbap/names/EN", tb.ana, `{"name":"Mixed rice bowl"}`); r.status != 200 || !strings.Contains(string(r.body), `"lang":"en"`) {
		t.Fatalf("name a dish: %d %s", r.status, r.body)
	}
	if ev := skipPresence(); ev.Event != "dishname" {
		t.Fatalf("dishname: %+v", ev)
	}
	f.want(f.do("PUT", tb.base+"/menu/nope/names/en", tb.ana, `{"name":"x"}`), 422, "unknown_menu_item")
	f.want(f.do("PUT", tb.base+"/menu/bibimbap/names/not a tag", tb.ana, `{"name":"x"}`), 422, "invalid_value")
	var snap menusync.Snapshot
	f.do("GET", tb.base, tb.bo, nil).json(t, &snap)
	b := snap.Room.Menu[0]
	if b.Names["en"] != "Mixed rice bowl" || b.SuggestedNames["en"] != "Bibimbap" || !snap.Members[1].Done || snap.AllDone {
		t.Fatalf("snapshot after the members' changes: %+v %+v", b, snap.Members)
	}
}

// TestMenuEditAndSplit: the host reprices a dish, drops one (its choices
// go) and adds one; the split adds up with service and tip.
func TestMenuEditAndSplit(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	tb := f.table()
	f.do("POST", tb.base+"/choices", tb.ana, `{"menuId":"pajeon","quantity":1,"shared":true}`)
	f.do("POST", tb.base+"/choices", tb.bo, `{"menuId":"bibimbap","quantity":2}`)
	f.do("POST", tb.base+"/choices", tb.bo, `{"menuId":"tea","quantity":1}`)
	var edited struct {
		Menu []menusync.MenuItem `json:"menu"`
	}
	r := f.do("PUT", tb.base+"/menu", tb.host, `{"menu":[{"id":"bibimbap","name":"비빔밥","price":"11000"},{"id":"pajeon","name":"해물파전","price":"15000"},{"name":"김치찌개","price":"9000"}]}`)
	if r.status != 200 {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	r.json(t, &edited)
	if len(edited.Menu) != 3 || edited.Menu[2].ID != "1" || edited.Menu[2].Romanized != "kimchi-jjigae" {
		t.Fatalf("edited menu: %+v", edited.Menu)
	}
	f.do("PATCH", tb.base, tb.host, `{"serviceChargePercent":10,"tipPercent":5}`)
	var snap menusync.Snapshot
	f.do("GET", tb.base, tb.ana, nil).json(t, &snap)
	sum := snap.Summary
	// 2 × 11,000 + 15,000 = 37,000; 10% service 3,700; 5% tip 1,850.
	if len(snap.Choices) != 2 || *sum.SubtotalMinor != 37000 || *sum.ServiceMinor != 3700 || *sum.TipMinor != 1850 || *sum.TotalMinor != 42550 {
		t.Fatalf("split: %+v", sum)
	}
	var total int64
	for _, m := range sum.Members {
		total += *m.TotalMinor
	}
	if total != *sum.TotalMinor {
		t.Fatalf("the members' totals add up to %d, the table's is %d", total, *sum.TotalMinor)
	}
}

// TestRoomGoneAnswers404: a control on a room that expired.
func TestRoomGoneAnswers404(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	room, tok := f.expiringRoom()
	base := "/v1/rooms/" + room
	testproc.WaitFor(t, 10e9, "the room expires", func() bool { return f.rdb.Exists(t.Context(), "room:{"+room+"}").Val() == 0 })
	f.want(f.do("PATCH", base, tok, `{"locked":true}`), 404, "room_not_found")
	f.want(f.do("POST", base+"/close", tok, `{}`), 404, "room_not_found")
	f.want(f.do("PATCH", base+"/members/me", tok, `{"done":true}`), 404, "room_not_found")
	f.want(f.do("GET", base+"/order", tok, nil), 404, "room_not_found")
}
