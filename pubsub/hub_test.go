package pubsub_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
)

type env struct {
	redis  *testproc.Redis
	client *redis.Client
	store  *rooms.Store
	hub    *pubsub.Hub
	room   menusync.Room
	member menusync.Member
}

func setup(t *testing.T, cfg pubsub.Config) *env {
	t.Helper()
	r := testproc.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: r.Addr, MaxRetries: 2})
	t.Cleanup(func() { _ = c.Close() })
	s := rooms.NewStore(c, rooms.PublishClassic, nil)
	cfg.Client, cfg.Store = c, s
	h := pubsub.New(cfg)
	go h.Run(context.Background())
	t.Cleanup(func() { _ = h.Close() })
	ctx := context.Background()
	room, err := createRoom(ctx, s, rooms.CreateInput{Menu: []menusync.MenuItem{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}})
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := s.Join(ctx, room.ID, "Ana", rooms.WriteOpts{})
	if err != nil {
		t.Fatal(err)
	}
	return &env{redis: r, client: c, store: s, hub: h, room: room, member: m}
}

func (e *env) choose(t *testing.T, q int) menusync.Position {
	t.Helper()
	res, err := e.store.SetChoice(context.Background(), e.room.ID, e.member.ID, rooms.ChoiceInput{MenuID: "a", Quantity: q}, rooms.WriteOpts{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Pos()
}

// follow plays a stream's part: it starts from a snapshot and applies what
// the listener delivers with the same Cursor rules the SSE handler uses.
// It reports each position it reaches.
func follow(t *testing.T, e *env, l *pubsub.Listener) (<-chan menusync.Position, func()) {
	t.Helper()
	f, err := e.hub.SnapshotFrame(context.Background(), e.room.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan menusync.Position, 1024)
	pos := pubsub.Cursor{Position: f.Position}
	out <- f.Position
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case f := <-l.Events():
				write, resync := pos.Delta(f)
				if write {
					out <- f.Position
				}
				if resync > 0 {
					l.Resync(resync)
				}
			case <-l.Signal():
				if f := l.TakeSnapshot(); f != nil {
					write, resync := pos.Snapshot(f)
					if write {
						out <- f.Position
					}
					if resync > 0 {
						l.Resync(resync)
					}
				}
			}
		}
	}()
	return out, func() { close(done); wg.Wait() }
}

// waitPos waits until the follower reaches want. strict: every step is
// the next version of the same epoch (no gap, no duplicate, no snapshot).
func waitPos(t *testing.T, ch <-chan menusync.Position, want menusync.Position, strict bool) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	var last menusync.Position
	for {
		select {
		case p := <-ch:
			if strict && last.Epoch != "" && !last.Follows(p) {
				t.Fatalf("position %v after %v: not in order", p, last)
			}
			last = p
			if p == want {
				return
			}
			if p.Epoch == want.Epoch && p.Version > want.Version {
				t.Fatalf("got position %v, past %v", p, want)
			}
		case <-timeout:
			t.Fatalf("timed out waiting for position %v (last %v)", want, last)
		}
	}
}

func listen(t *testing.T, h *pubsub.Hub, roomID string) *pubsub.Listener {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l, err := h.Listen(ctx, roomID)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestFanOutInOrder(t *testing.T) {
	e := setup(t, pubsub.Config{})
	const n = 200
	var streams []<-chan menusync.Position
	for range n {
		l := listen(t, e.hub, e.room.ID)
		ch, stop := follow(t, e, l)
		t.Cleanup(stop)
		t.Cleanup(l.Close)
		streams = append(streams, ch)
	}
	var last menusync.Position
	for i := range 20 {
		last = e.choose(t, i%5+1)
	}
	for _, ch := range streams {
		waitPos(t, ch, last, true)
	}
}

// TestStuckListenerDoesNotDelayOthers: one listener never reads. The
// others still get every delta, and the stuck one is offered a snapshot
// instead of being waited for.
func TestStuckListenerDoesNotDelayOthers(t *testing.T) {
	e := setup(t, pubsub.Config{BufferSize: 4})
	stuck := listen(t, e.hub, e.room.ID)
	defer stuck.Close()
	l := listen(t, e.hub, e.room.ID)
	defer l.Close()
	ch, stop := follow(t, e, l)
	defer stop()

	var last menusync.Position
	for i := range 40 {
		last = e.choose(t, i%2+1)
		// Each delta reaches the reading listener while the stuck one's
		// buffer is long full.
		waitPos(t, ch, last, true)
	}
	if e.hub.Stats.Dropped.Load() == 0 {
		t.Fatal("the stuck listener's buffer never filled: the test proves nothing")
	}
	testproc.WaitFor(t, 5*time.Second, "a snapshot at the last version for the stuck listener", func() bool {
		select {
		case <-stuck.Signal():
		default:
		}
		f := stuck.TakeSnapshot()
		return f != nil && f.Position == last
	})
}

func TestUnsubscribeWhenLastLeaves(t *testing.T) {
	e := setup(t, pubsub.Config{})
	ctx := context.Background()
	channel := rooms.Channel(e.room.ID)
	subscribed := func() bool {
		chans := e.client.PubSubChannels(ctx, "*").Val()
		return len(chans) == 1 && chans[0] == channel
	}
	a := listen(t, e.hub, e.room.ID)
	b := listen(t, e.hub, e.room.ID)
	if !subscribed() {
		t.Fatal("not subscribed after Listen returned")
	}
	a.Close()
	if !subscribed() {
		t.Fatal("unsubscribed while a listener remains")
	}
	b.Close()
	testproc.WaitFor(t, 5*time.Second, "PUBSUB CHANNELS is empty", func() bool {
		return len(e.client.PubSubChannels(ctx, "*").Val()) == 0
	})
	// and a new listener subscribes again
	c := listen(t, e.hub, e.room.ID)
	defer c.Close()
	if !subscribed() {
		t.Fatal("not subscribed again")
	}
	if r, n := e.hub.RoomCount(); r != 1 || n != 1 {
		t.Fatalf("RoomCount = %d, %d", r, n)
	}
}

// TestGapTriggersSnapshot publishes a delta whose version skips ahead, as
// if Redis had dropped one: the hub resyncs the room from stored state.
func TestGapTriggersSnapshot(t *testing.T) {
	e := setup(t, pubsub.Config{})
	l := listen(t, e.hub, e.room.ID)
	defer l.Close()
	ch, stop := follow(t, e, l)
	defer stop()
	v := e.choose(t, 1)
	waitPos(t, ch, v, true)

	// Two real changes whose deltas never reach us...
	ctx := context.Background()
	e.client.PubSubNumSub(ctx) // no-op round trip keeps the order obvious
	for _, q := range []int{2, 3} {
		if _, err := e.store.SetChoice(ctx, e.room.ID, e.member.ID, rooms.ChoiceInput{MenuID: "b", Quantity: q}, rooms.WriteOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	// ...is what a duplicate-free stream sees when a later one arrives
	// with a gap. Simulate that by publishing a stale-looking future delta.
	fake := fmt.Sprintf("%s\n%d\nchoice\n0\n{\"version\":%d}", v.Epoch, v.Version+5, v.Version+5)
	e.client.Publish(ctx, rooms.Channel(e.room.ID), fake)
	testproc.WaitFor(t, 5*time.Second, "a gap resync", func() bool { return e.hub.Stats.ResyncGap.Load() > 0 })
	// The snapshot brings the stream to the stored version v+2.
	waitPos(t, ch, menusync.Position{Epoch: v.Epoch, Version: v.Version + 2}, false)
}

// TestReconnectResyncs kills the hub's pub/sub connection; go-redis
// reconnects and re-subscribes, and the hub resyncs the room so a change
// made during the outage is not lost.
func TestReconnectResyncs(t *testing.T) {
	e := setup(t, pubsub.Config{PingInterval: 200 * time.Millisecond})
	l := listen(t, e.hub, e.room.ID)
	defer l.Close()
	ch, stop := follow(t, e, l)
	defer stop()
	ctx := context.Background()
	if err := e.client.Do(ctx, "CLIENT", "KILL", "TYPE", "pubsub").Err(); err != nil {
		t.Fatal(err)
	}
	v := e.choose(t, 4) // likely published while nobody is subscribed
	testproc.WaitFor(t, 10*time.Second, "a reconnect resync", func() bool { return e.hub.Stats.ResyncReconn.Load() > 0 })
	waitPos(t, ch, v, false)
	v = e.choose(t, 5)
	waitPos(t, ch, v, true)
}

func TestExpiryClosesListeners(t *testing.T) {
	e := setup(t, pubsub.Config{ExpiryInterval: 50 * time.Millisecond})
	short, err := createRoom(context.Background(), e.store, rooms.CreateInput{Menu: []menusync.MenuItem{{Name: "x"}}, TTL: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	l := listen(t, e.hub, short.ID)
	defer l.Close()
	select {
	case <-l.Signal():
	case <-time.After(10 * time.Second):
		t.Fatal("no signal after the room expired")
	}
	if !l.Closed() {
		t.Fatal("signal without Closed")
	}
}

func TestCursorRules(t *testing.T) {
	p := pubsub.Cursor{Position: menusync.Position{Epoch: "e1", Version: 5}}
	fr := func(e string, v uint64) *pubsub.Frame {
		return &pubsub.Frame{Position: menusync.Position{Epoch: e, Version: v}}
	}
	if w, r := p.Delta(fr("e1", 5)); w || r != 0 {
		t.Fatal("duplicate written")
	}
	if w, _ := p.Delta(fr("e1", 6)); !w || p.Version != 6 {
		t.Fatal("next not written")
	}
	if w, r := p.Delta(fr("e1", 9)); w || r != 9 {
		t.Fatal("gap not reported")
	}
	if w, r := p.Snapshot(fr("e1", 8)); !w || r != 9 {
		t.Fatalf("snapshot behind the gap: write=%v resync=%d", w, r)
	}
	if w, r := p.Snapshot(fr("e1", 9)); !w || r != 0 || p.Version != 9 {
		t.Fatal("covering snapshot")
	}
	if w, _ := p.Snapshot(fr("e1", 9)); w {
		t.Fatal("same snapshot written twice")
	}
	// Another epoch: its deltas never apply, even the "next" version; its
	// snapshot replaces everything, even at a lower version.
	if w, r := p.Delta(fr("e2", 10)); w || r != 10 {
		t.Fatalf("delta of another epoch: write=%v resync=%d", w, r)
	}
	if w, r := p.Snapshot(fr("e2", 4)); !w || r != 0 || p.Position != (menusync.Position{Epoch: "e2", Version: 4}) {
		t.Fatalf("older snapshot of a new epoch: write=%v resync=%d at %v", w, r, p.Position)
	}
	if w, _ := p.Delta(fr("e2", 5)); !w {
		t.Fatal("next delta of the new epoch not written")
	}
}

// TestEpochChangeReplacesState restarts Redis from a file saved before
// the last writes. The follower had applied versions Redis no longer
// has; it must end on Redis' state (a snapshot of the new epoch, at a
// lower version), then follow the new epoch's deltas in order.
func TestEpochChangeReplacesState(t *testing.T) {
	r := testproc.StartRedisArgs(t, "--appendonly", "no", "--dbfilename", "dump.rdb")
	c := redis.NewClient(&redis.Options{Addr: r.Addr, MaxRetries: 2})
	t.Cleanup(func() { _ = c.Close() })
	s := rooms.NewStore(c, rooms.PublishClassic, nil)
	h := pubsub.New(pubsub.Config{Client: c, Store: s, PingInterval: 200 * time.Millisecond})
	go h.Run(context.Background())
	t.Cleanup(func() { _ = h.Close() })
	ctx := context.Background()
	room, _ := createRoom(ctx, s, rooms.CreateInput{Menu: []menusync.MenuItem{{ID: "a", Name: "A"}}})
	m, _, _ := s.Join(ctx, room.ID, "Ana", rooms.WriteOpts{})
	e := &env{redis: r, client: c, store: s, hub: h, room: room, member: m}
	l := listen(t, h, room.ID)
	defer l.Close()
	ch, stop := follow(t, e, l)
	defer stop()
	saved := e.choose(t, 1)
	if err := c.Save(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	rdb, err := os.ReadFile(filepath.Join(r.Dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	var last menusync.Position
	for q := 2; q <= 6; q++ {
		last = e.choose(t, q)
	}
	waitPos(t, ch, last, true)

	r.Stop()
	if err := os.WriteFile(filepath.Join(r.Dir, "dump.rdb"), rdb, 0o644); err != nil {
		t.Fatal(err)
	}
	r.Start()
	// The follower gets Redis' older state, in a new epoch.
	var got menusync.Position
	testproc.WaitFor(t, 15*time.Second, "a snapshot of the new epoch", func() bool {
		for {
			select {
			case got = <-ch:
				continue
			default:
			}
			return got.Epoch != "" && got.Epoch != saved.Epoch
		}
	})
	if got.Version != saved.Version {
		t.Fatalf("after the restart the follower is at %v, want version %d (what Redis kept)", got, saved.Version)
	}
	next := e.choose(t, 9)
	if next.Epoch != got.Epoch || next.Version != got.Version+1 {
		t.Fatalf("first write after the restart at %v, follower at %v", next, got)
	}
	waitPos(t, ch, next, true)
	snap, _ := s.Snapshot(ctx, room.ID)
	if snap.Choices[0].Quantity != 9 {
		t.Fatalf("stored %+v", snap.Choices)
	}
}

// TestFirstSnapshotShared: streams of one room opening together share a
// snapshot read, and a read never serves a stream that was subscribed
// after it started.
func TestFirstSnapshotShared(t *testing.T) {
	e := setup(t, pubsub.Config{})
	ctx := context.Background()
	l, err := e.hub.Listen(ctx, e.room.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	after := time.Now()
	before := e.hub.Stats.SnapshotReads.Load()
	const n = 50
	var wg sync.WaitGroup
	versions := make([]menusync.Position, n)
	for i := range n {
		wg.Go(func() {
			f, err := e.hub.FirstSnapshot(ctx, e.room.ID, after)
			if err != nil {
				t.Error(err)
				return
			}
			versions[i] = f.Position
		})
	}
	wg.Wait()
	if reads := e.hub.Stats.SnapshotReads.Load() - before; reads >= n {
		t.Fatalf("%d streams opening together made %d snapshot reads", n, reads)
	}
	v := e.choose(t, 3)
	for _, got := range versions {
		if got.Version >= v.Version {
			t.Fatalf("a snapshot from before the choice is at %v >= %v", got, v)
		}
	}
	f, err := e.hub.FirstSnapshot(ctx, e.room.ID, time.Now())
	if err != nil || f.Position != v {
		t.Fatalf("a stream subscribed after the choice got version %v (%v), want %v", f, err, v)
	}
}

// createRoom creates a room without a creator.
func createRoom(ctx context.Context, s *rooms.Store, in rooms.CreateInput) (menusync.Room, error) {
	c, err := s.Create(ctx, in)
	return c.Room, err
}
