package rooms_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/rooms"
)

// TestPipelinedWrites: many writers at once share pipelines, and each
// still gets its own answer: every acknowledged change has its own
// version, none lost or given twice; after SCRIPT FLUSH (as after a Redis
// restart) the scripts are loaded again and every write still goes
// through; a write whose context has ended is refused and changes nothing.
func TestPipelinedWrites(t *testing.T) {
	r := testproc.StartRedis(t)
	s := rooms.NewStore(r.Client(), rooms.PublishClassic, nil)
	ctx := context.Background()
	room, err := createRoom(ctx, s, rooms.CreateInput{Menu: menu(20)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 8 {
		m, _, err := s.Join(ctx, room.ID, fmt.Sprintf("m%d", i), rooms.WriteOpts{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	write := func(round int) map[uint64]bool {
		var mu sync.Mutex
		seen := map[uint64]bool{}
		var wg sync.WaitGroup
		for w := range 64 {
			wg.Go(func() {
				for i := range 10 {
					res, err := s.SetChoice(ctx, room.ID, ids[w%8], rooms.ChoiceInput{MenuID: fmt.Sprintf("d%d", w/8+1), Quantity: round*10 + i + 1}, rooms.WriteOpts{})
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if seen[res.Version] {
						t.Errorf("version %d acknowledged twice", res.Version)
					}
					seen[res.Version] = true
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return seen
	}
	first := write(0)
	if err := r.Client().ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	second := write(1)
	if len(first) != 640 || len(second) != 640 {
		t.Fatalf("%d and %d distinct versions, want 640 each", len(first), len(second))
	}
	snap, err := s.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	var hi uint64
	for v := range second {
		hi = max(hi, v)
	}
	if snap.Version != hi {
		t.Fatalf("room at version %d, last acknowledged %d", snap.Version, hi)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.SetChoice(cctx, room.ID, ids[0], rooms.ChoiceInput{MenuID: "d1", Quantity: 49}, rooms.WriteOpts{}); err == nil {
		t.Fatal("a write with an ended context went through")
	}
	if again, _ := s.Snapshot(ctx, room.ID); again.Version != snap.Version {
		t.Fatalf("a refused write moved the room from %d to %d", snap.Version, again.Version)
	}
}
