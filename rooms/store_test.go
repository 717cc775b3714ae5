package rooms_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/rooms"
)

func price(minor int64) *int64 { return &minor }

// createRoom creates a room without a creator.
func createRoom(ctx context.Context, s *rooms.Store, in rooms.CreateInput) (menusync.Room, error) {
	c, err := s.Create(ctx, in)
	return c.Room, err
}

// seated creates a room and seats Ana at it, failing the test on any
// error.
func seated(t *testing.T, s *rooms.Store, in rooms.CreateInput) (menusync.Room, menusync.Member) {
	t.Helper()
	ctx := context.Background()
	room, err := createRoom(ctx, s, in)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := s.Join(ctx, room.ID, "Ana", rooms.WriteOpts{})
	if err != nil {
		t.Fatal(err)
	}
	return room, m
}

func newStore(t *testing.T) (*rooms.Store, *redis.Client) {
	t.Helper()
	r := testproc.StartRedis(t)
	c := r.Client()
	return rooms.NewStore(c, rooms.PublishClassic, nil), c
}

func menu(n int) []menusync.MenuItem {
	m := make([]menusync.MenuItem, n)
	for i := range m {
		m[i] = menusync.MenuItem{ID: fmt.Sprintf("d%d", i), Name: fmt.Sprintf("Dish %d", i), PriceMinor: price(int64(i)*100 + 50)}
	}
	return m
}

// TestConcurrentChoices hammers one room from many goroutines: every
// change gets its own version, versions are contiguous, the channel
// carries them in order, and the stored state is the last write per
// (member, dish).
func TestConcurrentChoices(t *testing.T) {
	ctx := context.Background()
	s, c := newStore(t)
	room, err := createRoom(ctx, s, rooms.CreateInput{Menu: menu(5)})
	if err != nil {
		t.Fatal(err)
	}
	var members []menusync.Member
	for i := range 4 {
		m, _, err := s.Join(ctx, room.ID, fmt.Sprintf("m%d", i), rooms.WriteOpts{})
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, m)
	}
	base, err := s.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}

	sub := c.Subscribe(ctx, rooms.Channel(room.ID))
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil { // subscription confirmation
		t.Fatal(err)
	}

	const workers, perWorker = 16, 60
	type write struct {
		key string
		q   int
		v   uint64
	}
	var mu sync.Mutex
	var writes []write
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for range perWorker {
				m := members[rng.IntN(len(members))]
				d := fmt.Sprintf("d%d", rng.IntN(5))
				q := rng.IntN(4)
				res, err := s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: d, Quantity: q}, rooms.WriteOpts{})
				if err != nil {
					t.Error(err)
					return
				}
				if res.Changed {
					mu.Lock()
					writes = append(writes, write{m.ID + "|" + d, q, res.Version})
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()

	seen := map[uint64]bool{}
	last := map[string]write{}
	for _, w := range writes {
		if seen[w.v] {
			t.Fatalf("version %d returned twice", w.v)
		}
		seen[w.v] = true
		if w.v > last[w.key].v {
			last[w.key] = w
		}
	}
	n := uint64(len(writes))
	for v := base.Version + 1; v <= base.Version+n; v++ {
		if !seen[v] {
			t.Fatalf("version %d missing: versions are not contiguous", v)
		}
	}

	snap, err := s.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Version != base.Version+n {
		t.Fatalf("snapshot version %d, want %d", snap.Version, base.Version+n)
	}
	got := map[string]int{}
	for _, ch := range snap.Choices {
		got[ch.MemberID+"|"+ch.MenuID] = ch.Quantity
	}
	for k, w := range last {
		if got[k] != w.q {
			t.Errorf("%s: stored %d, last write %d", k, got[k], w.q)
		}
	}

	// The channel carries every change, in version order.
	want := base.Version + 1
	for want <= snap.Version {
		msg, err := sub.ReceiveMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := rooms.ParseEvent(msg.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Version != want {
			t.Fatalf("published version %d, want %d", ev.Version, want)
		}
		want++
	}
}

func TestSnapshotAndSummary(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	room, err := createRoom(ctx, s, rooms.CreateInput{Menu: []menusync.MenuItem{
		{Name: "비빔밥", PriceMinor: price(1250)},
		{Name: "ต้มยำกุ้ง", PriceMinor: price(910)},
		{Name: "شاي"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if room.Menu[0].ID != "1" || room.Menu[2].ID != "3" {
		t.Fatalf("ids not filled in: %+v", room.Menu)
	}
	a, _, _ := s.Join(ctx, room.ID, "Ana", rooms.WriteOpts{})
	b, v, _ := s.Join(ctx, room.ID, "Bo", rooms.WriteOpts{})
	if v.Version != 3 || v.Epoch != room.Epoch || room.Epoch == "" {
		t.Fatalf("position after two joins = %+v, want 3 in the room's epoch %q", v, room.Epoch)
	}
	mustChoose(t, s, room.ID, a.ID, "1", 2)
	mustChoose(t, s, room.ID, b.ID, "1", 1)
	mustChoose(t, s, room.ID, b.ID, "2", 3)
	mustChoose(t, s, room.ID, b.ID, "3", 1)
	res := mustChoose(t, s, room.ID, b.ID, "3", 0) // removes it
	again := mustChoose(t, s, room.ID, b.ID, "3", 0)
	if again.Changed || again.Version != res.Version {
		t.Fatalf("retry changed state: %+v after %+v", again, res)
	}

	snap, err := s.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Version != res.Version || len(snap.Members) != 2 || snap.Members[0].Name != "Ana" {
		t.Fatalf("snapshot: %+v", snap)
	}
	sum := snap.Summary
	if sum.Quantity != 6 || len(sum.Items) != 2 || sum.Items[0].Quantity != 3 || *sum.Items[0].TotalMinor != 3750 {
		t.Fatalf("summary items: %+v", sum)
	}
	if *sum.TotalMinor != 1250*3+910*3 || *sum.Members[0].TotalMinor != 2500 || sum.Members[1].Quantity != 4 {
		t.Fatalf("summary totals: total=%v members=%+v", *sum.TotalMinor, sum.Members)
	}
}

func mustChoose(t *testing.T, s *rooms.Store, room, member, menu string, q int) rooms.ChoiceResult {
	t.Helper()
	res, err := s.SetChoice(context.Background(), room, member, rooms.ChoiceInput{MenuID: menu, Quantity: q}, rooms.WriteOpts{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestRejectsChangeNothing checks that every invalid write is rejected
// with the right sentinel and leaves the room as it was.
func TestRejectsChangeNothing(t *testing.T) {
	ctx := context.Background()
	s, c := newStore(t)
	room, m := seated(t, s, rooms.CreateInput{Menu: menu(3)})
	before, _ := s.Snapshot(ctx, room.ID)
	keysBefore := c.Keys(ctx, "*").Val()

	cases := []struct {
		name string
		do   func() error
		want error
	}{
		{"quantity -1", func() error {
			_, err := s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: "d1", Quantity: -1}, rooms.WriteOpts{})
			return err
		}, menusync.ErrInvalid},
		{"quantity 100", func() error {
			_, err := s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: "d1", Quantity: 100}, rooms.WriteOpts{})
			return err
		}, menusync.ErrInvalid},
		{"unknown dish", func() error {
			_, err := s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: "nope", Quantity: 1}, rooms.WriteOpts{})
			return err
		}, menusync.ErrUnknownMenuItem},
		{"unknown member", func() error {
			_, err := s.SetChoice(ctx, room.ID, "0123456789abcdef", rooms.ChoiceInput{MenuID: "d1", Quantity: 1}, rooms.WriteOpts{})
			return err
		}, menusync.ErrMemberNotFound},
		{"unknown room", func() error {
			_, err := s.SetChoice(ctx, "AAAAAAAAAAAAAAAAAAAAAA", m.ID, rooms.ChoiceInput{MenuID: "d1", Quantity: 1}, rooms.WriteOpts{})
			return err
		}, menusync.ErrNotFound},
		{"long name", func() error {
			_, _, err := s.Join(ctx, room.ID, strings.Repeat("é", 65), rooms.WriteOpts{})
			return err
		}, menusync.ErrInvalid},
		{"empty name", func() error { _, _, err := s.Join(ctx, room.ID, "  ", rooms.WriteOpts{}); return err }, menusync.ErrInvalid},
		{"join unknown room", func() error { _, _, err := s.Join(ctx, "AAAAAAAAAAAAAAAAAAAAAA", "x", rooms.WriteOpts{}); return err }, menusync.ErrNotFound},
		{"refresh unknown room", func() error { _, err := s.Refresh(ctx, "AAAAAAAAAAAAAAAAAAAAAA", "", rooms.WriteOpts{}); return err }, menusync.ErrNotFound},
		{"too many items", func() error { _, err := createRoom(ctx, s, rooms.CreateInput{Menu: menu(501)}); return err }, menusync.ErrInvalid},
		{"empty menu", func() error { _, err := createRoom(ctx, s, rooms.CreateInput{}); return err }, menusync.ErrInvalid},
		{"duplicate ids", func() error {
			_, err := createRoom(ctx, s, rooms.CreateInput{Menu: []menusync.MenuItem{{ID: "a", Name: "x"}, {ID: "a", Name: "y"}}})
			return err
		}, menusync.ErrInvalid},
		{"bad ttl", func() error {
			_, err := createRoom(ctx, s, rooms.CreateInput{Menu: menu(1), TTL: 8 * 24 * time.Hour})
			return err
		}, menusync.ErrInvalid},
		{"negative price", func() error {
			_, err := createRoom(ctx, s, rooms.CreateInput{Menu: []menusync.MenuItem{{Name: "x", PriceMinor: price(-1)}}})
			return err
		}, menusync.ErrInvalid},
	}
	for _, tc := range cases {
		if err := tc.do(); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	after, _ := s.Snapshot(ctx, room.ID)
	if after.Version != before.Version || len(after.Choices) != 0 || len(after.Members) != 1 {
		t.Fatalf("rejected writes changed the room: %+v", after)
	}
	if got := c.Keys(ctx, "*").Val(); len(got) != len(keysBefore) {
		t.Fatalf("rejected writes created keys: %v (was %v)", got, keysBefore)
	}
}

func TestRoomFullAndTTL(t *testing.T) {
	ctx := context.Background()
	s, c := newStore(t)
	room, err := createRoom(ctx, s, rooms.CreateInput{Menu: menu(1), TTL: 100 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for i := range menusync.MaxMembers {
		if _, _, err := s.Join(ctx, room.ID, fmt.Sprint("m", i), rooms.WriteOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.Join(ctx, room.ID, "one too many", rooms.WriteOpts{}); !errors.Is(err, menusync.ErrRoomFull) {
		t.Fatalf("join past the limit: %v", err)
	}
	for _, k := range c.Keys(ctx, "room:{"+room.ID+"}*").Val() {
		if ttl := c.TTL(ctx, k).Val(); ttl <= 0 || ttl > 100*time.Second {
			t.Errorf("key %s has TTL %v", k, ttl)
		}
	}
}
