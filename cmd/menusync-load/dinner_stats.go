package main

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// second is what happened in one second of the run.
type second struct {
	arrivals, changes, deliveries, connects, refused, errors atomic.Int64
	admitRefused, admitFirst                                 atomic.Int64 // creates told to wait (503 + Retry-After); tables told so the first time
	c2s                                                      histogram    // choice POSTed to others' screens
}

// dinnerStats is everything the clients of a run measured.
type dinnerStats struct {
	start   time.Time
	seconds []second // by second since start

	tablesOpen, tablesDone, people atomic.Int64
	waiting                        atomic.Int64 // tables waiting to be let in
	admitWait                      histogram    // a table's wait, from its first create to the one let in
	expiredEarly, staleShown       atomic.Int64
	peopleTotal, tablesTotal       atomic.Int64

	join, firstSnap, post, c2s histogram
	c2sPhase                   map[string]*histogram
	checked, stale, lost       atomic.Int64
	closedSeen                 atomic.Int64

	errMu  sync.Mutex
	errors map[string]int64
}

func newDinnerStats(start time.Time, span time.Duration) *dinnerStats {
	s := &dinnerStats{start: start, seconds: make([]second, int(span/time.Second)+2), errors: map[string]int64{},
		c2sPhase: map[string]*histogram{}}
	for _, p := range phases {
		s.c2sPhase[p] = &histogram{}
	}
	return s
}

// at is the slot of the second t falls in (the last one past the end).
func (s *dinnerStats) at(t time.Time) *second {
	i := int(t.Sub(s.start) / time.Second)
	return &s.seconds[min(max(i, 0), len(s.seconds)-1)]
}

func (s *dinnerStats) now() *second { return s.at(time.Now()) }

// fail counts an error by its cause.
func (s *dinnerStats) fail(cause string) {
	s.now().errors.Add(1)
	s.errMu.Lock()
	s.errors[cause]++
	s.errMu.Unlock()
}

// causes are the errors by cause, most frequent first.
func (s *dinnerStats) causes() []string {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	var out []string
	for k := range s.errors {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return s.errors[out[i]] > s.errors[out[j]] })
	return out
}

// latency records a choice reaching another person's screen d after its
// POST was sent, at the moment it arrived.
func (s *dinnerStats) latency(arrived time.Time, d time.Duration, phase string) {
	s.c2s.add(d)
	s.at(arrived).c2s.add(d)
	s.c2sPhase[phase].add(d)
}

// window adds up the seconds in [from, to): counts per second and the
// choice-to-screen histogram.
type window struct {
	secs                                          float64
	arrivals, changes, deliveries, connects, errs int64
	refused, admitRefused, admitFirst             int64
	c2s                                           histogram
}

func (s *dinnerStats) window(from, to int) *window {
	w := &window{}
	for i := max(from, 0); i < min(to, len(s.seconds)); i++ {
		sec := &s.seconds[i]
		w.secs++
		w.arrivals += sec.arrivals.Load()
		w.changes += sec.changes.Load()
		w.deliveries += sec.deliveries.Load()
		w.connects += sec.connects.Load()
		w.refused += sec.refused.Load()
		w.admitRefused += sec.admitRefused.Load()
		w.admitFirst += sec.admitFirst.Load()
		w.errs += sec.errors.Load()
		for b := range sec.c2s.buckets {
			w.c2s.buckets[b].Add(sec.c2s.buckets[b].Load())
		}
	}
	return w
}

func (w *window) rate(n int64) float64 { return float64(n) / max(w.secs, 1) }
