package app

import (
	"testing"
	"time"
)

// TestStormMemory: memory is returned once after the stream count grew
// by a storm's worth and then held still for the settle time; not while
// it grows, not without a storm, not when little is free, and not twice
// within minGap.
func TestStormMemory(t *testing.T) {
	m := newStormMemory()
	free := uint64(100 << 20)
	heap := func() uint64 { return free }
	t0 := time.Unix(1_700_000_000, 0)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	steps := []struct {
		sec     int
		streams int64
		want    bool
	}{
		{0, 0, false},
		{2, 5, false},     // a few streams: no storm
		{20, 5, false},    // still nothing grew
		{22, 4000, false}, // the storm
		{24, 9000, false},
		{26, 15000, false},
		{30, 15010, false}, // still settling
		{36, 15020, true},  // held still for 10 s
		{38, 15020, false}, // once
		{40, 14000, false}, // streams ending are no storm
		{60, 16000, false}, // growth again...
		{72, 16000, false}, // ...settled, but within a minute of the last
		{100, 30000, false},
		{112, 30000, true},
	}
	for _, s := range steps {
		if got := m.look(at(s.sec), s.streams, heap); got != s.want {
			t.Fatalf("at %ds with %d streams: return %v, want %v", s.sec, s.streams, got, s.want)
		}
	}
	free = 1 << 20
	m.look(at(200), 50000, heap)
	if m.look(at(220), 50000, heap) {
		t.Fatal("returned memory with 1 MiB free")
	}
}
