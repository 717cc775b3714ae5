package rooms_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/rooms"
)

// TestEpochChangesWhenRedisComesBackOlder restarts Redis from an RDB
// saved before the last writes: the room is back at an older version, and
// the first read (then every write) sees another epoch, so a client that
// applied the lost versions cannot mistake the new ones for them. Within
// the new epoch versions carry on, contiguous.
func TestEpochChangesWhenRedisComesBackOlder(t *testing.T) {
	ctx := context.Background()
	rd := testproc.StartRedisArgs(t, "--appendonly", "no", "--dbfilename", "dump.rdb")
	c := redis.NewClient(&redis.Options{Addr: rd.Addr, MaxRetries: 3})
	defer c.Close()
	s := rooms.NewStore(c, rooms.PublishClassic, nil)
	room, m := seated(t, s, rooms.CreateInput{Menu: menu(2)})
	mustChoose(t, s, room.ID, m.ID, "d0", 1)
	if err := c.Save(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	saved, err := s.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	older := filepath.Join(t.TempDir(), "older.rdb")
	copyFile(t, filepath.Join(rd.Dir, "dump.rdb"), older)
	var lost rooms.ChoiceResult
	for q := 2; q <= 5; q++ {
		lost = mustChoose(t, s, room.ID, m.ID, "d0", q)
	}
	if lost.Epoch != saved.Epoch || lost.Version != saved.Version+4 {
		t.Fatalf("before the restart: %+v, saved at %+v", lost.Pos(), saved.Pos())
	}

	rd.Stop()
	copyFile(t, older, filepath.Join(rd.Dir, "dump.rdb"))
	rd.Start()
	back, err := s.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back.Epoch == saved.Epoch || back.Room.Epoch != back.Epoch {
		t.Fatalf("the room came back older but kept its epoch %q", back.Epoch)
	}
	if back.Version != saved.Version || back.Choices[0].Quantity != 1 {
		t.Fatalf("restored room at %+v with %+v, want the saved state at version %d", back.Pos(), back.Choices, saved.Version)
	}
	again, err := s.Snapshot(ctx, room.ID)
	if err != nil || again.Epoch != back.Epoch {
		t.Fatalf("a second read moved the epoch again: %q then %q (%v)", back.Epoch, again.Epoch, err)
	}
	next := mustChoose(t, s, room.ID, m.ID, "d0", 7)
	if next.Epoch != back.Epoch || next.Version != back.Version+1 {
		t.Fatalf("first write after the restart at %+v, want %s.%d", next.Pos(), back.Epoch, back.Version+1)
	}
}

// TestEpochChangesOnWriteFirst: when the first thing a restarted Redis
// sees is a write (no read in between), the write itself moves the room
// to a new epoch, and publishes in it.
func TestEpochChangesOnWriteFirst(t *testing.T) {
	ctx := context.Background()
	rd := testproc.StartPersistentRedis(t)
	c := redis.NewClient(&redis.Options{Addr: rd.Addr, MaxRetries: 3})
	defer c.Close()
	s := rooms.NewStore(c, rooms.PublishClassic, nil)
	room, _ := createRoom(ctx, s, rooms.CreateInput{Menu: menu(1)})
	m, before, _ := s.Join(ctx, room.ID, "Ana", rooms.WriteOpts{})
	rd.Stop()
	rd.Start()
	sub := c.Subscribe(ctx, rooms.Channel(room.ID))
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	res := mustChoose(t, s, room.ID, m.ID, "d0", 3)
	if res.Epoch == before.Epoch || res.Version != before.Version+1 {
		t.Fatalf("write after restart at %+v; before %+v", res.Pos(), before.Pos())
	}
	msg, err := sub.ReceiveMessage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := rooms.ParseEvent(msg.Payload)
	if err != nil || ev.Pos() != res.Pos() {
		t.Fatalf("published %+v (%v), want %+v", ev.Pos(), err, res.Pos())
	}
}

// TestDeadlinePassedInRedis: a change whose deadline passed by Redis'
// clock is refused and changes nothing, even when the replica's own clock
// (here an hour behind, like a replica that was frozen) still thinks it
// is in time.
func TestDeadlinePassedInRedis(t *testing.T) {
	ctx := context.Background()
	s, c := newStore(t)
	room, m := seated(t, s, rooms.CreateInput{Menu: menu(1)})
	before := fingerprint(t, c, room.ID)
	behind := rooms.NewStore(c, rooms.PublishClassic, func() time.Time { return time.Now().Add(-time.Hour) })
	_, err := behind.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 2}, rooms.WriteOpts{Deadline: time.Now().Add(-time.Second)})
	if !errors.Is(err, menusync.ErrExpired) {
		t.Fatalf("late change: %v, want ErrExpired", err)
	}
	if after := fingerprint(t, c, room.ID); after != before {
		t.Fatalf("a refused change changed the room:\n%s\n%s", before, after)
	}
	if _, err := s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 2}, rooms.WriteOpts{Deadline: time.Now().Add(time.Minute)}); err != nil {
		t.Fatalf("change in time: %v", err)
	}
	if _, err := s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 3}, rooms.WriteOpts{Deadline: time.Now().Add(-time.Millisecond)}); !errors.Is(err, menusync.ErrExpired) {
		t.Fatalf("change past its deadline by the store's own clock: %v", err)
	}
}

// TestLeave: a member who leaves is out at once (writes refused, the
// member limit counts them no more); their choices go, or stay under the
// members who left.
func TestLeave(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	room, ana := seated(t, s, rooms.CreateInput{Menu: menu(2)})
	bo, _, _ := s.Join(ctx, room.ID, "Bo", rooms.WriteOpts{})
	mustChoose(t, s, room.ID, ana.ID, "d0", 2)
	mustChoose(t, s, room.ID, bo.ID, "d1", 1)
	if _, err := s.Leave(ctx, room.ID, ana.ID, ana.ID, true, rooms.WriteOpts{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Leave(ctx, room.ID, bo.ID, bo.ID, false, rooms.WriteOpts{})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx, room.ID)
	if len(snap.Members) != 0 || len(snap.Left) != 1 || snap.Left[0].ID != ana.ID || snap.Version != res.Version {
		t.Fatalf("after leaving: members %+v, left %+v", snap.Members, snap.Left)
	}
	if len(snap.Choices) != 1 || snap.Choices[0].MemberID != ana.ID || snap.Summary.Quantity != 2 {
		t.Fatalf("choices after leaving: %+v, summary %+v", snap.Choices, snap.Summary)
	}
	if _, err := s.SetChoice(ctx, room.ID, ana.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 3}, rooms.WriteOpts{}); !errors.Is(err, menusync.ErrMemberNotFound) {
		t.Fatalf("a member who left could still choose: %v", err)
	}
	if _, err := s.Leave(ctx, room.ID, ana.ID, ana.ID, true, rooms.WriteOpts{}); !errors.Is(err, menusync.ErrMemberNotFound) {
		t.Fatalf("leaving twice: %v", err)
	}
}

// TestPresenceEntriesBoundedPerConnection: marking the same connection
// again (every long-poll of a member shares one) adds no entry, and a
// sweep removes exactly the expired entries, announcing each member once.
func TestPresenceEntriesBoundedPerConnection(t *testing.T) {
	ctx := context.Background()
	s, c := newStore(t)
	room, ana := seated(t, s, rooms.CreateInput{Menu: menu(1)})
	bo, _, _ := s.Join(ctx, room.ID, "Bo", rooms.WriteOpts{})
	now := time.Now()
	for range 50 {
		if err := s.MarkPresent(ctx, room.ID, rooms.Conn{MemberID: ana.ID, ConnID: "poll"}, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		_ = s.MarkPresent(ctx, room.ID, rooms.Conn{MemberID: bo.ID, ConnID: string(rune('a' + i))}, now.Add(time.Duration(i+1)*time.Minute))
	}
	conns := "room:{" + room.ID + "}:conns"
	if n := c.ZCard(ctx, conns).Val(); n != 4 {
		t.Fatalf("%d presence entries after 50 polls and 3 streams, want 4", n)
	}
	snap, _ := s.Snapshot(ctx, room.ID)
	if !snap.Members[0].Online || !snap.Members[1].Online {
		t.Fatalf("online: %+v", snap.Members)
	}
	// 90 s later: Ana's entry and one of Bo's lapsed; Bo is still online.
	later := rooms.NewStore(c, rooms.PublishClassic, func() time.Time { return now.Add(90 * time.Second) })
	if err := later.SweepPresence(ctx, room.ID); err != nil {
		t.Fatal(err)
	}
	snap, _ = s.Snapshot(ctx, room.ID)
	if snap.Members[0].Online || !snap.Members[1].Online || c.ZCard(ctx, conns).Val() != 2 {
		t.Fatalf("after the sweep: %+v, %d entries", snap.Members, c.ZCard(ctx, conns).Val())
	}
	v := snap.Version
	_ = later.SweepPresence(ctx, room.ID)
	if snap, _ = s.Snapshot(ctx, room.ID); snap.Version != v {
		t.Fatalf("a sweep with nothing expired changed the room: %d -> %d", v, snap.Version)
	}
}

// fingerprint is every key of the room with its value, for "changed
// nothing" checks.
func fingerprint(t *testing.T, c *redis.Client, roomID string) string {
	t.Helper()
	ctx := context.Background()
	keys, err := c.Keys(ctx, "room:{"+roomID+"}*").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %s\n", k, c.Dump(ctx, k).Val())
	}
	return b.String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
