package pubsub_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
)

// TestClusterBurstOfRooms: on a three-master cluster, 60 rooms (spread
// over every master and many slots) get their first listener at the same
// moment, so the hub subscribes them in batches. Every Listen is confirmed
// and every room's delta arrives: a batched SSUBSCRIBE across slots would
// be refused with CROSSSLOT.
func TestClusterBurstOfRooms(t *testing.T) {
	c := testproc.StartRedisCluster(t, 3, 0)
	cc := c.Client()
	store := rooms.NewStore(cc, rooms.PublishSharded, nil)
	h := pubsub.New(pubsub.Config{Client: cc, Store: store, Sharded: true})
	go h.Run(context.Background())
	t.Cleanup(func() { _ = h.Close() })
	ctx := context.Background()

	type entry struct {
		room   menusync.Room
		member menusync.Member
		l      *pubsub.Listener
	}
	es := make([]*entry, 60)
	masters := map[string]bool{}
	for i := range es {
		r, err := createRoom(ctx, store, rooms.CreateInput{Menu: []menusync.MenuItem{{ID: "a", Name: "A"}}})
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := store.Join(ctx, r.ID, "Ana", rooms.WriteOpts{})
		if err != nil {
			t.Fatal(err)
		}
		node, err := cc.MasterForKey(ctx, rooms.Channel(r.ID))
		if err != nil {
			t.Fatal(err)
		}
		masters[node.Options().Addr] = true
		es[i] = &entry{room: r, member: m}
	}
	if len(masters) != 3 {
		t.Fatalf("rooms on %d masters", len(masters))
	}
	var wg sync.WaitGroup
	errs := make([]error, len(es))
	for i, e := range es {
		wg.Go(func() { e.l, errs[i] = h.Listen(ctx, e.room.ID) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("listen %d: %v", i, err)
		}
		defer es[i].l.Close()
	}
	for _, e := range es {
		res, err := store.SetChoice(ctx, e.room.ID, e.member.ID, rooms.ChoiceInput{MenuID: "a", Quantity: 2}, rooms.WriteOpts{})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case f := <-e.l.Events():
			if f.Position != res.Pos() {
				t.Fatalf("room %s: got %v, want %v", e.room.ID, f.Position, res.Pos())
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("room %s: version %d never arrived", e.room.ID, res.Version)
		}
	}
	// No classic channel anywhere: each message stayed on its shard.
	for _, n := range c.Nodes {
		rc := redis.NewClient(&redis.Options{Addr: n.Addr})
		chans, err := rc.PubSubChannels(ctx, "*").Result()
		_ = rc.Close()
		if err != nil || len(chans) != 0 {
			t.Fatalf("node %s: classic channels %v %v", n.Addr, chans, err)
		}
	}
}
