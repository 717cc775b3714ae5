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

// TestPresenceExpiresWithTheRoom: the presence keys of a room expire at
// the same moment as the room, to the millisecond. They used to be given
// the room's TTL in whole seconds, so they lapsed up to a second before
// it (TTL rounds: 1.4 s became 1 s): meanwhile the room showed nobody online, and the next renewal
// (which finds its connections gone) announced every member online again,
// a new version a moment before the room expired that no later read
// could show (the dinner run's "stale at the end" clients).
func TestPresenceExpiresWithTheRoom(t *testing.T) {
	ctx := context.Background()
	s, rdb := newStore(t)
	r, m := seated(t, s, rooms.CreateInput{Menu: menu(1)})
	room := "room:{" + r.ID + "}"
	// The room has 1.4 s left (Redis rounds TTL to 1 s), as a quiet table near its end.
	if err := rdb.PExpire(ctx, room, 1400*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	c := rooms.Conn{MemberID: m.ID, ConnID: "c"}
	if err := s.MarkPresent(ctx, r.ID, c, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	roomLeft := rdb.PTTL(ctx, room).Val()
	for _, k := range []string{":conns", ":online", ":nconn"} {
		if left := rdb.PTTL(ctx, room+k).Val(); left < roomLeft-50*time.Millisecond || left > roomLeft {
			t.Errorf("%s expires in %v, the room in %v", k, left, roomLeft)
		}
	}
	before, err := s.Snapshot(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Once the connections are gone, so is the room: a renewal then finds
	// nothing to announce.
	deadline := time.Now().Add(5 * time.Second)
	for rdb.Exists(ctx, room+":conns").Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("the connections never expired")
		}
		time.Sleep(10 * time.Millisecond) // awaiting Redis' clock: nothing to be told of
	}
	if missing, err := s.RenewPresence(ctx, map[string][]rooms.Conn{r.ID: {c}}, time.Now().Add(time.Hour)); err != nil || len(missing) != 1 {
		t.Fatalf("renew: %v %v", missing, err)
	}
	err = s.MarkPresent(ctx, r.ID, c, time.Now().Add(time.Hour))
	if err == nil {
		after, _ := s.Snapshot(ctx, r.ID)
		t.Fatalf("the room outlived its connections: marked online again at version %d (was %d)", after.Version, before.Version)
	}
}
