package rooms_test

import (
	"context"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/rooms"
)

// TestWritesRenewOncePerQuarter: a write renews the room (expiry and
// every key's TTL) only once a quarter of its life has passed since the
// last renewal, by Redis' own count of the room's TTL (not a replica's
// clock, which may be off); before that it touches no TTL. Time passing
// is the room key's TTL shortened by hand.
func TestWritesRenewOncePerQuarter(t *testing.T) {
	ctx := context.Background()
	r := testproc.StartRedis(t)
	c := r.Client()
	s := rooms.NewStore(c, rooms.PublishClassic, nil)
	room, m := seated(t, s, rooms.CreateInput{Menu: menu(2), TTL: 400 * time.Second})
	key := "room:{" + room.ID + "}"
	expires := func() int64 { n, _ := c.HGet(ctx, key, "expiresAt").Int64(); return n }
	first := expires()

	c.Expire(ctx, key, 320*time.Second) // 80 s of 400 gone: under a quarter
	c.Expire(ctx, key+":members", 320*time.Second)
	mustChoose(t, s, room.ID, m.ID, "d0", 1)
	if got := expires(); got != first {
		t.Fatalf("renewed after 80 s of 400: expiresAt %d, was %d", got, first)
	}
	if ttl := c.TTL(ctx, key+":members").Val(); ttl > 320*time.Second {
		t.Fatalf("a key's TTL moved without a renewal: %v", ttl)
	}

	c.Expire(ctx, key, 290*time.Second) // 110 s gone: past a quarter
	mustChoose(t, s, room.ID, m.ID, "d0", 2)
	if got, want := expires(), time.Now().Unix()+400; got < want-2 || got > want+1 {
		t.Fatalf("after 110 s of 400: expiresAt %d, want %d", got, want)
	}
	for _, k := range []string{key, key + ":members", key + ":choices", key + ":items"} {
		if ttl := c.TTL(ctx, k).Val(); ttl < 398*time.Second || ttl > 400*time.Second {
			t.Errorf("%s: TTL %v after the renewal, want 400 s", k, ttl)
		}
	}
}

// TestIdempotencyRecordNeverOutlivesItsRoom: a keyed write's record lasts
// the idempotency window, but never past the room's own expiry.
func TestIdempotencyRecordNeverOutlivesItsRoom(t *testing.T) {
	ctx := context.Background()
	s, c := newStore(t)
	for _, tc := range []struct {
		ttl, min, max time.Duration
	}{
		{30 * time.Second, 28 * time.Second, 30 * time.Second},                                                     // the room ends first
		{rooms.IdempotencyWindow + 30*time.Second, rooms.IdempotencyWindow - time.Second, rooms.IdempotencyWindow}, // near the end: Redis' TTL counts
		{3 * time.Hour, rooms.IdempotencyWindow - time.Second, rooms.IdempotencyWindow},
	} {
		room, m := seated(t, s, rooms.CreateInput{Menu: menu(1), TTL: tc.ttl})
		if _, err := s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 1}, rooms.WriteOpts{IdempotencyKey: "k1"}); err != nil {
			t.Fatal(err)
		}
		keys := c.Keys(ctx, "room:{"+room.ID+"}:idem:*").Val()
		if len(keys) != 1 {
			t.Fatalf("idempotency records: %v", keys)
		}
		if ttl := c.TTL(ctx, keys[0]).Val(); ttl < tc.min || ttl > tc.max {
			t.Errorf("room of %v: the record lives %v, want %v to %v", tc.ttl, ttl, tc.min, tc.max)
		}
	}
}
