package app

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// quietGC narrows the collector's headroom while a replica only holds
// streams. With GOGC=100 the runtime lets the heap grow by as much as the
// live heap plus every goroutine stack before it collects: at 15,000
// idle streams that is ~125 MiB of headroom (60 MiB of it for the
// stacks), which the idle garbage (presence renewals, expiry checks,
// heartbeats: ~1.5 MiB/s) fills page by page in the minutes after
// stormMemory gave the storm's memory back: +30 MiB in 45 s, 2 KiB per
// stream, and more until the next collection. While the replica is quiet
// a quarter of that headroom does: a collection every ~20 s at that rate,
// tens of ms of one core each.
//
// Quiet means: a storm came and its memory was returned, the stream count
// has not grown by a storm's worth since, and the replica allocates less
// than maxRate. Anything else (a new storm, real traffic) gets the
// operator's GOGC back at the next look, or sooner (woke, below).
type quietGC struct {
	percent      int     // the operator's GOGC (100 unless set)
	quietPercent int     // while quiet
	maxRate      float64 // bytes allocated per second above which the replica is busy

	quiet      bool
	lastAllocs uint64
	lastAt     time.Time
}

func newQuietGC() *quietGC {
	// Read without setting (setting it to read it would turn a GOGC=off
	// collector on for a moment).
	percent := 100
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		if v := s[0].Value.Uint64(); v <= 1<<31 {
			percent = int(v)
		} else {
			percent = -1 // GOGC=off reads as the largest uint64
		}
	}
	return &quietGC{percent: percent, quietPercent: 25, maxRate: 16 << 20}
}

// want says whether the replica is quiet now, given the cumulative bytes
// allocated and whether stormMemory holds the replica settled.
func (q *quietGC) want(now time.Time, allocs uint64, settled bool) bool {
	var rate float64
	if !q.lastAt.IsZero() && allocs >= q.lastAllocs {
		if dt := now.Sub(q.lastAt).Seconds(); dt > 0 {
			rate = float64(allocs-q.lastAllocs) / dt
		}
	}
	q.lastAllocs, q.lastAt = allocs, now
	// GOGC off, or already as low: nothing to narrow.
	return settled && rate < q.maxRate && q.percent > q.quietPercent
}

// woke says, between the looks, whether a quiet replica has already
// allocated a whole look's budget (maxRate for a second) since the last
// look: a storm on a quiet replica would otherwise run its first second
// (most of a 10,000-stream storm) with a quarter of the headroom, four
// times the collections. A whole second's budget, not a rate over the
// quick look: a heartbeat's presence renewal allocates ~5 MiB in a few
// ms at 15,000 streams, and must not flip GOGC back and forth (review).
func (q *quietGC) woke(allocs uint64) bool {
	return q.quiet && allocs >= q.lastAllocs && float64(allocs-q.lastAllocs) >= q.maxRate
}

// quickLook is how often a quiet replica checks whether it woke.
const quickLook = 100 * time.Millisecond

// apply sets the collector for the state the look found.
func (q *quietGC) apply(quiet bool) {
	if quiet == q.quiet {
		return
	}
	q.quiet = quiet
	if quiet {
		debug.SetGCPercent(q.quietPercent)
	} else {
		debug.SetGCPercent(q.percent)
	}
}

// allocatedBytes is the heap allocated since the process began.
func allocatedBytes() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
