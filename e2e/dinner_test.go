package e2e

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client"
	"github.com/menusync/menusync/internal/testproc"
)

// diner is one member at the table: their client and what their Watch
// saw last.
type diner struct {
	name string
	c    *client.Client
	id   string
	last chan client.Event // the watch's events, in order
}

func (d *diner) watch(t *testing.T, ctx context.Context, roomID string) {
	t.Helper()
	events, err := d.c.Watch(ctx, roomID)
	if err != nil {
		t.Fatalf("%s watches: %v", d.name, err)
	}
	d.last = make(chan client.Event, 4096)
	go func() {
		defer close(d.last)
		for ev := range events {
			d.last <- ev
		}
	}()
}

// final drains the watch until it ends and returns its last state and
// its last event.
func (d *diner) final(t *testing.T) (*client.State, client.Event) {
	t.Helper()
	var state *client.State
	var last client.Event
	timeout := time.After(20 * time.Second)
	for {
		select {
		case ev, ok := <-d.last:
			if !ok {
				return state, last
			}
			last = ev
			if ev.State != nil {
				state = ev.State
			}
		case <-timeout:
			t.Fatalf("%s's watch did not end", d.name)
		}
	}
}

// TestWholeDinner runs a dinner on two replicas behind nginx: a host and
// three guests, choices with notes and dishes for the table, a stranger
// taken out, everyone done, the order locked, the staff order, the table
// closed; every listener's final state, the split and the staff order
// text are checked against a hand-computed expectation.
func TestWholeDinner(t *testing.T) {
	_, reps := startCluster(t, 2)
	ng := testproc.StartNginx(t, reps[0].Addr, reps[1].Addr)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, err := client.New(ng.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	price := func(p int64) *int64 { return &p }
	room, err := base.CreateRoom(ctx, client.NewRoom{Name: "Dinner at Gwangjang", Currency: "KRW", CreatorName: "Hana", Menu: []menusync.MenuItem{
		{ID: "bibimbap", Name: "비빔밥", PriceMinor: price(12000)},
		{ID: "jjigae", Name: "김치찌개", PriceMinor: price(9000)},
		{ID: "pajeon", Name: "해물파전", PriceMinor: price(15000)},
		{ID: "soju", Name: "소주", PriceMinor: price(5000)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if b := room.Menu[0]; b.SuggestedNames["en"] != "Bibimbap" || b.Romanized != "bibimbap" || room.Menu[1].Romanized != "kimchi-jjigae" {
		t.Fatalf("the glossary's suggestions: %+v", room.Menu)
	}
	hana := &diner{name: "Hana", c: base.WithToken(room.Creator.Token), id: room.Creator.Member.ID}
	diners := []*diner{hana}
	for _, name := range []string{"Ana", "Bo", "Chen", "Zed"} {
		j, err := base.Join(ctx, room.ID, name)
		if err != nil {
			t.Fatal(err)
		}
		diners = append(diners, &diner{name: name, c: base.WithToken(j.Token), id: j.Member.ID})
	}
	ana, bo, chen, zed := diners[1], diners[2], diners[3], diners[4]
	for _, d := range diners {
		d.watch(t, ctx, room.ID)
	}
	choose := func(d *diner, dish string, q int, note string, shared bool) {
		t.Helper()
		if _, err := d.c.SetChoice(ctx, room.ID, menusync.Choice{MenuID: dish, Quantity: q, Note: note, Shared: shared}); err != nil {
			t.Fatalf("%s chooses %s: %v", d.name, dish, err)
		}
	}
	choose(ana, "bibimbap", 1, "no egg", false)
	choose(ana, "soju", 1, "", true)
	choose(bo, "jjigae", 2, "not spicy", false)
	choose(chen, "bibimbap", 1, "", false)
	choose(chen, "pajeon", 1, "", true)
	choose(hana, "jjigae", 1, "", false)
	choose(zed, "soju", 3, "", false)

	// The stranger goes, with his choices; his watch ends refused.
	if _, err := zed.c.Remove(ctx, room.ID, ana.id, false); !isStatus(err, http.StatusForbidden) {
		t.Fatalf("a guest removing another: %v", err)
	}
	if _, err := hana.c.Remove(ctx, room.ID, zed.id, false); err != nil {
		t.Fatal(err)
	}
	if _, ev := zed.final(t); !isStatus(ev.Err, http.StatusForbidden) {
		t.Fatalf("the stranger's watch ended with %+v", ev)
	}
	for _, d := range diners[:4] {
		if _, err := d.c.SetDone(ctx, room.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	locked, ten := true, menusync.Percent(1000)
	if _, err := hana.c.UpdateRoom(ctx, room.ID, menusync.Settings{Locked: &locked, ServiceChargePercent: &ten}); err != nil {
		t.Fatal(err)
	}
	if _, err := ana.c.Choose(ctx, room.ID, "soju", 2); !isStatus(err, http.StatusConflict) {
		t.Fatalf("a choice on a locked order: %v", err)
	}
	order, err := bo.c.OrderText(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	const wantOrder = "Dinner at Gwangjang · 7 dishes · order locked\n2 × 비빔밥\n    1: no egg (Ana)\n3 × 김치찌개\n    2: not spicy (Bo)\n" +
		"1 × 해물파전 (for the table)\n1 × 소주 (for the table)\n"
	if order != wantOrder {
		t.Fatalf("staff order:\n%s\nwant:\n%s", order, wantOrder)
	}
	if _, err := hana.c.Close(ctx, room.ID, "잘 먹었습니다!"); err != nil {
		t.Fatal(err)
	}
	truth, err := bo.c.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkSplit(t, truth)
	for _, d := range diners[:4] {
		st, ev := d.final(t)
		if ev.Type != menusync.TypeClosed || st == nil || !st.Room.Closed || st.Position != truth.Pos() {
			t.Fatalf("%s's watch ended with %s at %v (closed %v), want closed at %v", d.name, ev.Type, st.Position, st != nil && st.Room.Closed, truth.Pos())
		}
		if !slices.Equal(st.Choices, truth.Choices) || !slices.Equal(st.Members, truth.Members) || !st.AllDone {
			t.Fatalf("%s's final state differs from the server's:\n%+v\n%+v", d.name, st.Snapshot, truth)
		}
		checkSplit(t, &st.Snapshot)
	}
}

// checkSplit: 비빔밥 2 × 12,000 + 김치찌개 3 × 9,000 + 해물파전 15,000
// and 소주 5,000 for the table (each split four ways: 3,750 and 1,250) =
// 71,000; 10% service 7,100, split in proportion to what each ate.
func checkSplit(t *testing.T, s *menusync.Snapshot) {
	t.Helper()
	sum := s.Summary
	if *sum.SubtotalMinor != 71000 || *sum.ServiceMinor != 7100 || *sum.TotalMinor != 78100 || sum.Currency != "KRW" {
		t.Fatalf("table totals: %+v", sum)
	}
	want := map[string][2]int64{"Hana": {14000, 15400}, "Ana": {17000, 18700}, "Bo": {23000, 25300}, "Chen": {17000, 18700}}
	for _, m := range sum.Members {
		w, ok := want[m.Name]
		if !ok || *m.SubtotalMinor != w[0] || *m.TotalMinor != w[1] {
			t.Fatalf("%s: subtotal %d total %d, want %v", m.Name, *m.SubtotalMinor, *m.TotalMinor, w)
		}
	}
}

func isStatus(err error, status int) bool {
	var e *client.Error
	return errors.As(err, &e) && e.Status == status
}
