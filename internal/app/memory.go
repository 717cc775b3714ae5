package app

import (
	"context"
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// A connect storm (every phone of a city reconnecting after a deploy or a
// network blip) leaves hundreds of MiB of garbage behind: handler
// goroutines' grown stacks, snapshot reads and encodings, TLS and HTTP
// buffers. The runtime returns that memory to the OS only slowly (the
// background scavenger, and the forced GC every two minutes), so for a
// couple of minutes after a storm the replica's RSS was 2–3 times what its
// streams hold (BENCHMARKS.md: 46 KiB per idle stream at 60 s, 21 KiB
// after the forced GC). stormMemory gives it back deliberately: once the
// number of open streams has grown by a storm's worth and then held still
// for a while, it runs one debug.FreeOSMemory (a GC and a full scavenge:
// tens of ms of one core at 15,000 streams, once per storm).
type stormMemory struct {
	// grew is how many more streams than at the last look count as a
	// storm still going on.
	grew func(before int64) int64
	// settle is how long the count must hold still before memory is
	// returned; minGap, how long at least between two returns.
	settle, minGap time.Duration
	// minFree is how much free heap not yet returned makes it worth it.
	minFree uint64

	last      int64     // the stream count at the last look
	stormed   bool      // the count grew since the last return
	stillFrom time.Time // when the count stopped growing
	returned  time.Time // the last return
}

func newStormMemory() *stormMemory {
	return &stormMemory{
		grew:    func(before int64) int64 { return max(100, before/20) },
		settle:  10 * time.Second,
		minGap:  time.Minute,
		minFree: 32 << 20,
	}
}

// look takes one look at the stream count and the free heap, and says
// whether to return memory now.
func (m *stormMemory) look(now time.Time, streams int64, free func() uint64) bool {
	if streams >= m.last+m.grew(m.last) {
		m.stormed, m.stillFrom, m.last = true, now, streams
		return false
	}
	if streams < m.last {
		m.last = streams // streams that end are no storm; keep the lower mark
	}
	if !m.stormed || now.Sub(m.stillFrom) < m.settle || (!m.returned.IsZero() && now.Sub(m.returned) < m.minGap) {
		return false
	}
	m.stormed = false
	if free() < m.minFree {
		return false
	}
	m.returned = now
	return true
}

// freeHeap is the heap memory a collection would leave free and not
// returned: pages free already, plus what objects and spans hold beyond
// the live heap of the last collection (the storm's garbage, not yet
// collected). Free pages alone were the wrong measure: 10 s after a
// storm the runtime often has not collected since, the garbage still
// counts as objects, and the return was skipped for good (a 15,000-stream
// run stayed at 41 KiB per stream at 60 s).
func freeHeap() uint64 {
	s := []metrics.Sample{
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	metrics.Read(s)
	var v [4]uint64
	for i := range s {
		if s[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		v[i] = s[i].Value.Uint64()
	}
	held := v[0] + v[1] + v[2]
	if held < v[3] {
		return 0
	}
	return held - v[3]
}

// settled: a storm's memory was returned and no storm has begun since.
func (m *stormMemory) settled() bool { return !m.returned.IsZero() && !m.stormed }

// returnStormMemory looks every second until ctx ends: returns a storm's
// memory, and keeps the collector's headroom narrow while quiet.
func returnStormMemory(ctx context.Context, log *slog.Logger, streams func() int64) {
	m := newStormMemory()
	q := newQuietGC()
	defer q.apply(false)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	// The quick look ticks only while quiet.
	quick := time.NewTicker(quickLook)
	quick.Stop()
	defer quick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-quick.C:
			if q.woke(allocatedBytes()) {
				q.apply(false)
				quick.Stop()
			}
		case now := <-t.C:
			n := streams()
			returned := m.look(now, n, freeHeap)
			if returned {
				debug.FreeOSMemory()
				log.Info("returned a storm's memory", "streams", n, "took", time.Since(now).String())
			}
			wasQuiet := q.quiet
			q.apply(q.want(now, allocatedBytes(), m.settled()))
			if q.quiet && !wasQuiet {
				quick.Reset(quickLook)
			} else if !q.quiet {
				quick.Stop()
			}
		}
	}
}
