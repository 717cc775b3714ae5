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

// TestQuietGCWakesBetweenLooks: a quiet replica that starts allocating
// fast gets its headroom back at the next quick look, not at the next
// second's; a slow trickle does not wake it, nor does anything while it
// is not quiet.
func TestQuietGCWakesBetweenLooks(t *testing.T) {
	q := &quietGC{percent: 100, quietPercent: 25, maxRate: 16 << 20}
	t0 := time.Unix(1_700_000_000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	const mib = 1 << 20
	if q.woke(at(0), 0) || q.woke(at(100), 100*mib) {
		t.Fatal("woke while not quiet")
	}
	q.quiet = true // as apply(true) leaves it, without touching the process' GOGC
	q.wokeAt = time.Time{}
	steps := []struct {
		ms     int
		allocs uint64
		want   bool
	}{
		{0, 200 * mib, false},           // the first mark
		{100, 200*mib + 100<<10, false}, // 1 MiB/s
		{200, 200*mib + 200<<10, false},
		{300, 204 * mib, true}, // ~38 MiB/s: a storm
	}
	for _, s := range steps {
		if got := q.woke(at(s.ms), s.allocs); got != s.want {
			t.Fatalf("at %d ms: woke %v, want %v", s.ms, got, s.want)
		}
	}
}
