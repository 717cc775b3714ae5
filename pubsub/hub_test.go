package pubsub_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
	"github.com/redis/go-redis/v9"
)

type env struct {
	redis  *testproc.Redis
	client *redis.Client
	store  *rooms.Store
	hub    *pubsub.Hub
	room   rooms.Room
	member rooms.Member
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
	room, err := s.Create(ctx, rooms.CreateInput{Menu: []rooms.MenuItem{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}})
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := s.Join(ctx, room.ID, "Ana", "")
	if err != nil {
		t.Fatal(err)
	}
	return &env{redis: r, client: c, store: s, hub: h, room: room, member: m}
}

func (e *env) choose(t *testing.T, q int) uint64 {
	t.Helper()
	res, err := e.store.SetChoice(context.Background(), e.room.ID, e.member.ID, "a", q, "")
	if err != nil {
		t.Fatal(err)
	}
	return res.Version
}

// follow plays a stream's part: it starts from a snapshot and applies what
// the listener delivers with the same Position rules the SSE handler uses.
// It reports each version it reaches.
func follow(t *testing.T, e *env, l *pubsub.Listener) (<-chan uint64, func()) {
	t.Helper()
	f, err := e.hub.SnapshotFrame(context.Background(), e.room.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan uint64, 1024)
	pos := pubsub.Position{Version: f.Version}
	out <- f.Version
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
					out <- f.Version
				}
				if resync > 0 {
					l.Resync(resync)
				}
			case <-l.Signal():
				if f := l.TakeSnapshot(); f != nil {
					write, resync := pos.Snapshot(f)
					if write {
						out <- f.Version
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

func waitVersion(t *testing.T, ch <-chan uint64, want uint64, strict bool) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	var last uint64
	for {
		select {
		case v := <-ch:
			if strict && last != 0 && v != last+1 {
				t.Fatalf("version %d after %d: not in order", v, last)
			}
			last = v
			if v == want {
				return
			}
			if v > want {
				t.Fatalf("got version %d, past %d", v, want)
			}
		case <-timeout:
			t.Fatalf("timed out waiting for version %d (last %d)", want, last)
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
	var streams []<-chan uint64
	for range n {
		l := listen(t, e.hub, e.room.ID)
		ch, stop := follow(t, e, l)
		t.Cleanup(stop)
		t.Cleanup(l.Close)
		streams = append(streams, ch)
	}
	var last uint64
	for i := range 20 {
		last = e.choose(t, i%5+1)
	}
	for _, ch := range streams {
		waitVersion(t, ch, last, true)
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

	var last uint64
	for i := range 40 {
		last = e.choose(t, i%2+1)
		// Each delta reaches the reading listener while the stuck one's
		// buffer is long full.
		waitVersion(t, ch, last, true)
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
		return f != nil && f.Version == last
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
	waitVersion(t, ch, v, true)

	// Two real changes whose deltas never reach us...
	ctx := context.Background()
	e.client.PubSubNumSub(ctx) // no-op round trip keeps the order obvious
	for _, q := range []int{2, 3} {
		if _, err := e.store.SetChoice(ctx, e.room.ID, e.member.ID, "b", q, ""); err != nil {
			t.Fatal(err)
		}
	}
	// ...is what a duplicate-free stream sees when a later one arrives
	// with a gap. Simulate that by publishing a stale-looking future delta.
	fake := fmt.Sprintf("%d\nchoice\n0\n{\"version\":%d}", v+5, v+5)
	e.client.Publish(ctx, rooms.Channel(e.room.ID), fake)
	testproc.WaitFor(t, 5*time.Second, "a gap resync", func() bool { return e.hub.Stats.ResyncGap.Load() > 0 })
	// The snapshot brings the stream to the stored version v+2.
	waitVersion(t, ch, v+2, false)
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
	waitVersion(t, ch, v, false)
	v = e.choose(t, 5)
	waitVersion(t, ch, v, true)
}

func TestExpiryClosesListeners(t *testing.T) {
	e := setup(t, pubsub.Config{ExpiryInterval: 50 * time.Millisecond})
	short, err := e.store.Create(context.Background(), rooms.CreateInput{Menu: []rooms.MenuItem{{Name: "x"}}, TTL: time.Second})
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

func TestPositionRules(t *testing.T) {
	p := pubsub.Position{Version: 5}
	fr := func(v uint64) *pubsub.Frame { return &pubsub.Frame{Version: v} }
	if w, r := p.Delta(fr(5)); w || r != 0 {
		t.Fatal("duplicate written")
	}
	if w, _ := p.Delta(fr(6)); !w || p.Version != 6 {
		t.Fatal("next not written")
	}
	if w, r := p.Delta(fr(9)); w || r != 9 {
		t.Fatal("gap not reported")
	}
	if w, r := p.Snapshot(fr(8)); !w || r != 9 {
		t.Fatalf("snapshot behind the gap: write=%v resync=%d", w, r)
	}
	if w, r := p.Snapshot(fr(9)); !w || r != 0 || p.Version != 9 {
		t.Fatal("covering snapshot")
	}
	if w, _ := p.Snapshot(fr(9)); w {
		t.Fatal("same snapshot written twice")
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
	versions := make([]uint64, n)
	for i := range n {
		wg.Go(func() {
			f, err := e.hub.FirstSnapshot(ctx, e.room.ID, after)
			if err != nil {
				t.Error(err)
				return
			}
			versions[i] = f.Version
		})
	}
	wg.Wait()
	if reads := e.hub.Stats.SnapshotReads.Load() - before; reads >= n {
		t.Fatalf("%d streams opening together made %d snapshot reads", n, reads)
	}
	v := e.choose(t, 3)
	for _, got := range versions {
		if got >= v {
			t.Fatalf("a snapshot from before the choice has version %d >= %d", got, v)
		}
	}
	f, err := e.hub.FirstSnapshot(ctx, e.room.ID, time.Now())
	if err != nil || f.Version != v {
		t.Fatalf("a stream subscribed after the choice got version %v (%v), want %d", f, err, v)
	}
}
