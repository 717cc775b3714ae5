package rooms_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

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
	cpu := r.CPUTime()
	i := 0
	for b.Loop() {
		i++
		if _, err := s.SetChoice(ctx, room.ID, m.ID, rooms.ChoiceInput{MenuID: fmt.Sprintf("d%d", i%20), Quantity: i%50 + 1}, rooms.WriteOpts{}); err != nil {
			b.Fatal(err)
		}
	}
	reportRedisCPU(b, r, cpu)
}

// BenchmarkSetChoiceParallel is the write path as a busy replica runs it:
// 64 writers at once over 250 rooms, each with a request deadline (as
// every POST has), so Redis' share per choice shows what concurrency does
// to it (redis-cpu-µs/op: the redis-server process's CPU per choice).
func BenchmarkSetChoiceParallel(b *testing.B) {
	r := testproc.StartRedis(b)
	s := rooms.NewStore(r.Client(), rooms.PublishClassic, nil)
	ctx := context.Background()
	type member struct{ room, id string }
	var ms []member
	for range 250 {
		room, err := createRoom(ctx, s, rooms.CreateInput{Menu: menu(20)})
		if err != nil {
			b.Fatal(err)
		}
		m, _, _ := s.Join(ctx, room.ID, "Ana", rooms.WriteOpts{})
		ms = append(ms, member{room.ID, m.ID})
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32) // 64 writers on 2 cores
	cpu := r.CPUTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			m := ms[i%int64(len(ms))]
			o := rooms.WriteOpts{Deadline: time.Now().Add(10 * time.Second)}
			if _, err := s.SetChoice(ctx, m.room, m.id, rooms.ChoiceInput{MenuID: fmt.Sprintf("d%d", i%20), Quantity: int(i%50 + 1)}, o); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRedisCPU(b, r, cpu)
}

// reportRedisCPU reports the redis-server process's CPU per operation
// since cpu was read.
func reportRedisCPU(b *testing.B, r *testproc.Redis, cpu time.Duration) {
	if used := r.CPUTime() - cpu; used > 0 && b.N > 0 {
		b.ReportMetric(float64(used.Microseconds())/float64(b.N), "redis-cpu-µs/op")
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
