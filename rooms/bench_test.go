package rooms_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/rooms"
)

// BenchmarkSetChoice is the whole write path against a real redis-server
// on loopback: the Lua script checks, writes, bumps the version, refreshes
// TTLs and publishes, in one round trip.
func BenchmarkSetChoice(b *testing.B) {
	r := testproc.StartRedis(b)
	s := rooms.NewStore(r.Client(), rooms.PublishClassic, nil)
	ctx := context.Background()
	room, err := createRoom(ctx, s, rooms.CreateInput{Menu: menu(20)})
	if err != nil {
		b.Fatal(err)
	}
	m, _, _ := s.Join(ctx, room.ID, "Ana", rooms.WriteOpts{})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: fmt.Sprintf("d%d", i%20), Quantity: i%50 + 1}, rooms.WriteOpts{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshot reads and encodes a full table (30 dishes, 8 members,
// every member choosing 5 dishes), as a new stream or a resync does.
func BenchmarkSnapshot(b *testing.B) {
	r := testproc.StartRedis(b)
	s := rooms.NewStore(r.Client(), rooms.PublishClassic, nil)
	ctx := context.Background()
	room, _ := createRoom(ctx, s, rooms.CreateInput{Menu: menu(30)})
	for i := range 8 {
		m, _, _ := s.Join(ctx, room.ID, fmt.Sprintf("member %d", i), rooms.WriteOpts{})
		for d := range 5 {
			_, _ = s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: fmt.Sprintf("d%d", (i+d)%30), Quantity: d + 1}, rooms.WriteOpts{})
		}
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		snap, err := s.Snapshot(ctx, room.ID)
		if err != nil {
			b.Fatal(err)
		}
		out, _ := json.Marshal(snap)
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/snapshot")
}
