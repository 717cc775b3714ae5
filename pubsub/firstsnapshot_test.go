package pubsub_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/pubsub"
)

// heldStore reads a snapshot, then holds it until released: a read that
// is slow to come back.
type heldStore struct {
	pubsub.Store
	read    chan struct{}
	release chan struct{}
}

func (s *heldStore) Snapshot(ctx context.Context, roomID string) (*menusync.Snapshot, error) {
	snap, err := s.Store.Snapshot(ctx, roomID)
	s.read <- struct{}{}
	<-s.release
	return snap, err
}

// TestFirstSnapshotNextRead: streams that open one after another while
// their room's read is running (started before they were present) do not
// use it, nor each start their own: they share the one read that follows
// it, which sees what happened before they opened.
func TestFirstSnapshotNextRead(t *testing.T) {
	e := setup(t, pubsub.Config{})
	held := &heldStore{Store: e.store, read: make(chan struct{}, 100), release: make(chan struct{})}
	h := pubsub.New(pubsub.Config{Client: e.client, Store: held})
	go h.Run(context.Background())
	t.Cleanup(func() { _ = h.Close() })
	ctx := context.Background()
	l, err := h.Listen(ctx, e.room.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	first := make(chan *pubsub.Frame, 1)
	go func() {
		f, err := h.FirstSnapshot(ctx, e.room.ID, time.Now())
		if err != nil {
			t.Error(err)
		}
		first <- f
	}()
	<-held.read // the first read has read the room, and is slow to return
	v := e.choose(t, 4)

	const n = 10
	var wg sync.WaitGroup
	got := make([]*pubsub.Frame, n)
	for i := range n {
		after := time.Now() // each present a moment after the one before
		time.Sleep(5 * time.Millisecond)
		wg.Go(func() {
			f, err := h.FirstSnapshot(ctx, e.room.ID, after)
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = f
		})
	}
	time.Sleep(200 * time.Millisecond) // all n wait, on the running read or the next
	close(held.release)
	wg.Wait()
	if f := <-first; f == nil || f.Version >= v.Version {
		t.Fatalf("the first read: %v, want one from before the choice at %v", f, v)
	}
	for _, f := range got {
		if f == nil || f.Position != v {
			t.Fatalf("a stream opened after the choice got %v, want %v", f, v)
		}
	}
	if reads := h.Stats.SnapshotReads.Load(); reads != 2 {
		t.Fatalf("%d snapshot reads for 1 + %d streams, want 2", reads, n)
	}
}
