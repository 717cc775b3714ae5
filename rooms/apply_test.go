package rooms_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/rooms"
)

// TestApplyingEventsGivesTheSnapshot: a client that starts from a
// snapshot and applies every event of the room's channel, as the Go
// client does, ends with exactly what a fresh snapshot says: every kind
// of change, members leaving in another order than they joined, a menu
// edit that reorders dishes, the table closing.
func TestApplyingEventsGivesTheSnapshot(t *testing.T) {
	ctx := context.Background()
	s, c := newStore(t)
	room, host, ana, bo := newTable(t, s)
	cara, _, _ := s.Join(ctx, room.ID, "Cara", rooms.WriteOpts{})
	start, err := s.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	sub := c.Subscribe(ctx, rooms.Channel(room.ID))
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil { // the subscription's confirmation
		t.Fatal(err)
	}
	no := rooms.WriteOpts{}
	steps := []func() error{
		func() error {
			_, err := s.SetChoice(ctx, room.ID, ana.ID, rooms.ChoiceInput{MenuID: "d2", Quantity: 2, Note: "no egg"}, no)
			return err
		},
		func() error {
			_, err := s.SetChoice(ctx, room.ID, bo.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 1, Shared: true}, no)
			return err
		},
		func() error {
			_, err := s.SetChoice(ctx, room.ID, cara.ID, rooms.ChoiceInput{MenuID: "d1", Quantity: 3}, no)
			return err
		},
		func() error {
			_, err := s.SetChoice(ctx, room.ID, ana.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 1}, no)
			return err
		},
		func() error { _, err := s.SetDone(ctx, room.ID, cara.ID, true, no); return err },
		func() error { _, _, err := s.Rename(ctx, room.ID, bo.ID, "ANA", no); return err },
		func() error { _, _, err := s.NameDish(ctx, room.ID, ana.ID, "d1", "en", "Dish one", no); return err },
		func() error {
			_, err := s.UpdateRoom(ctx, room.ID, host.ID, menusync.Settings{ServiceChargePercent: ptr(menusync.Percent(750))}, no)
			return err
		},
		// Bo (joined after Ana) leaves first, then Ana, both keeping their
		// choices: the left list is still in join order.
		func() error { _, err := s.Leave(ctx, room.ID, bo.ID, bo.ID, true, no); return err },
		func() error { _, err := s.Leave(ctx, room.ID, host.ID, ana.ID, true, no); return err },
		func() error {
			m := menu(3)
			m[0], m[2] = m[2], m[0] // the host reorders the menu
			_, _, err := s.ReplaceMenu(ctx, room.ID, host.ID, m, no)
			return err
		},
		func() error { _, err := s.Close(ctx, room.ID, host.ID, "Thanks!", no); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	final, err := s.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	local := start.Clone()
	for local.Version < final.Version {
		msg, err := sub.ReceiveMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := rooms.ParseEvent(msg.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if !local.Pos().Follows(ev.Pos()) {
			t.Fatalf("event %s at %v does not follow %v", ev.Type, ev.Pos(), local.Pos())
		}
		if err := local.Apply(ev.Type, ev.Data, ev.Pos()); err != nil {
			t.Fatalf("apply %s: %v", ev.Type, err)
		}
	}
	want, _ := json.Marshal(final)
	got, _ := json.Marshal(local)
	if string(got) != string(want) {
		t.Fatalf("applied:\n%s\nsnapshot:\n%s", got, want)
	}
	if final.Left[0].Name != "Ana" || final.Members[1].Name != "Cara" || final.Room.Menu[0].ID != "d2" {
		t.Fatalf("the scenario did not do what it meant to: %+v", final)
	}
	_ = time.Second
}
