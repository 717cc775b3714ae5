package app

import (
	"testing"
	"time"
)

// TestQuietGC: the headroom narrows only after a storm's memory was
// returned, while the replica allocates little, and widens again at once
// on traffic or a new storm; an operator's low or disabled GOGC is left
// alone.
func TestQuietGC(t *testing.T) {
	q := &quietGC{percent: 100, quietPercent: 25, maxRate: 16 << 20}
	t0 := time.Unix(1_700_000_000, 0)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	const mib = 1 << 20
	steps := []struct {
		sec     int
		allocs  uint64
		settled bool
		want    bool
	}{
		{0, 0, false, false},             // fresh replica: no storm yet
		{1, 1 * mib, false, false},       // idle, but nothing was returned
		{2, 2 * mib, true, true},         // returned, 1 MiB/s: quiet
		{3, 3 * mib, true, true},         //
		{4, 40 * mib, true, false},       // 37 MiB/s: traffic
		{5, 41 * mib, true, true},        // quiet again
		{6, 42 * mib, false, false},      // a new storm
		{16, 43 * mib, true, true},       // returned again
		{17, 43*mib + 100, true, true},   // quiet
		{18, 43*mib + 200, false, false}, // growth
	}
	for _, s := range steps {
		if got := q.want(at(s.sec), s.allocs, s.settled); got != s.want {
			t.Fatalf("at %ds: quiet %v, want %v", s.sec, got, s.want)
		}
	}
	for _, percent := range []int{-1, 25, 10} {
		q := &quietGC{percent: percent, quietPercent: 25, maxRate: 16 << 20}
		q.want(at(0), 0, true)
		if q.want(at(1), 1, true) {
			t.Fatalf("GOGC=%d: narrowed", percent)
		}
	}
}

// TestStormMemorySettled: settled only once memory was returned, and not
// while a new storm goes on.
func TestStormMemorySettled(t *testing.T) {
	m := newStormMemory()
	free := func() uint64 { return 100 << 20 }
	t0 := time.Unix(1_700_000_000, 0)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	m.look(at(0), 15000, free)
	if m.settled() {
		t.Fatal("settled during the storm")
	}
	if !m.look(at(11), 15000, free) || !m.settled() {
		t.Fatal("not settled after the return")
	}
	m.look(at(12), 20000, free)
	if m.settled() {
		t.Fatal("settled while a new storm grows")
	}
}

// TestQuietGCWakesBetweenLooks: a quiet replica that has spent a whole
// look's allocation budget before the look gets its headroom back at
// the next quick look; a heartbeat's burst (a few MiB in a few ms) does
// not wake it, nor does anything while it is not quiet.
func TestQuietGCWakesBetweenLooks(t *testing.T) {
	q := &quietGC{percent: 100, quietPercent: 25, maxRate: 16 << 20}
	t0 := time.Unix(1_700_000_000, 0)
	const mib = 1 << 20
	q.want(t0, 100*mib, true)
	if q.woke(200 * mib) {
		t.Fatal("woke while not quiet")
	}
	q.quiet = true // as apply(true) leaves it, without touching the process' GOGC
	steps := []struct {
		allocs uint64
		want   bool
	}{
		{100*mib + 100<<10, false}, // idle garbage
		{105 * mib, false},         // a heartbeat's renewal of 15,000 streams: 5 MiB at once
		{115 * mib, false},
		{116 * mib, true}, // a second's budget spent before the second: a storm
	}
	for _, s := range steps {
		if got := q.woke(s.allocs); got != s.want {
			t.Fatalf("%d MiB since the look: woke %v, want %v", (s.allocs-100*mib)/mib, got, s.want)
		}
	}
}
