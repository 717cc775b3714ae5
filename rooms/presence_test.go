package rooms_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/menusync/menusync/rooms"
)

// TestRenewPresence: the batched renewal extends live connections, never
// re-adds one a sweep dropped (it reports that room instead), and
// StalePresence flags exactly the rooms a sweep has work in.
func TestRenewPresence(t *testing.T) {
	ctx := context.Background()
	s, rdb := newStore(t)
	var ids []string
	var members []string
	for range 2 {
		r, err := createRoom(ctx, s, rooms.CreateInput{Menu: menu(1)})
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := s.Join(ctx, r.ID, "Ana", rooms.WriteOpts{})
		if err != nil {
			t.Fatal(err)
		}
		ids, members = append(ids, r.ID), append(members, m.ID)
	}
	now := time.Now()
	// A store whose clock is an hour ahead sees 30-second connections expired.
	later := rooms.NewStore(rdb, rooms.PublishClassic, func() time.Time { return time.Now().Add(time.Hour) })
	for i := range ids {
		if err := s.MarkPresent(ctx, ids[i], rooms.Conn{MemberID: members[i], ConnID: "c"}, now.Add(30*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if missing, err := s.RenewPresence(ctx, map[string][]rooms.Conn{ids[0]: {{MemberID: members[0], ConnID: "c"}}}, now.Add(2*time.Hour)); err != nil || len(missing) > 0 {
		t.Fatalf("renew: %v %v", missing, err)
	}
	stale, err := later.StalePresence(ctx, ids...)
	if err != nil || !slices.Equal(stale, []bool{false, true}) {
		t.Fatalf("stale %v %v, want only room 1 (not renewed)", stale, err)
	}
	if err := later.SweepPresence(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	missing, err := s.RenewPresence(ctx, map[string][]rooms.Conn{
		ids[0]: {{MemberID: members[0], ConnID: "c"}},
		ids[1]: {{MemberID: members[1], ConnID: "c"}},
	}, now.Add(3*time.Hour))
	if err != nil || !slices.Equal(missing, []string{ids[1]}) {
		t.Fatalf("missing %v %v, want only room 1 (swept)", missing, err)
	}
	for i, id := range ids {
		snap, err := s.Snapshot(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if online := snap.Members[0].Online; online != (i == 0) {
			t.Fatalf("room %d: online %v", i, online)
		}
	}
	stale, err = later.StalePresence(ctx, ids...)
	if err != nil || slices.Contains(stale, true) {
		t.Fatalf("after the sweep: stale %v %v", stale, err)
	}
}
