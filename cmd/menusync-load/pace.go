package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// minInFlight is the least cap on POSTs in flight at once. It is far
// above what the server holds in flight at the rates measured here
// (6,000/s at 2 ms is 12), so it only bites when the server stalls for
// long; the POSTs it holds back are counted as skipped.
const minInFlight = 1024

// maxInFlight is the cap on POSTs in flight: -posters, at least
// minInFlight.
func (c config) maxInFlight() int { return max(c.posters, minInFlight) }

// pacer releases POSTs open-loop: each POST due by the clock starts on
// time in a goroutine of its own, whatever the POSTs before it are
// doing, so a server that slows down shows as latency, not as a lower
// rate reached (a closed pool of workers would wait instead: coordinated
// omission). Only the cap on POSTs in flight holds one back; those are
// skipped and counted.
type pacer struct {
	rate     float64 // POSTs per second
	limit    int64   // most in flight
	issued   int64   // due so far, started or skipped (the pacing goroutine's)
	inFlight atomic.Int64
}

// release starts (with start, which must call done when its POST ends)
// every POST due elapsed after the start that the cap allows, and says
// how many it skipped. A late wake-up (a busy box) catches up on what it
// owes instead of dropping ticks. One goroutine calls it.
func (p *pacer) release(elapsed time.Duration, start func()) (skipped int64) {
	due := int64(elapsed.Seconds() * p.rate)
	for ; p.issued < due; p.issued++ {
		// Only this goroutine adds, so the load and the add cannot
		// overshoot the limit.
		if p.inFlight.Load() >= p.limit {
			skipped++
			continue
		}
		p.inFlight.Add(1)
		start()
	}
	return skipped
}

// done ends a POST that release started.
func (p *pacer) done() { p.inFlight.Add(-1) }

// pace releases POSTs every 1/rate (at most every millisecond) for the
// duration, each in its own goroutine, and waits for the last to end.
func (l *load) pace(ctx context.Context, began time.Time) {
	p := &pacer{rate: l.cfg.rate, limit: int64(l.cfg.maxInFlight())}
	var wg sync.WaitGroup
	defer wg.Wait()
	start := func() {
		wg.Go(func() {
			defer p.done()
			l.postChoice(ctx)
		})
	}
	end := time.After(l.cfg.duration)
	tick := time.NewTicker(max(time.Duration(float64(time.Second)/l.cfg.rate), time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-end:
			return
		case <-tick.C:
		}
		l.skipped.Add(p.release(time.Since(began), start))
	}
}

// postChoice changes one member's quantity in a random room. Every POST
// of a room changes something (member n%size to quantity n%98+1), so
// each answers a new version with an event of its own; the latency of
// each delivery is matched to its POST by that version (sends).
func (l *load) postChoice(ctx context.Context) {
	r := l.rooms[rand.IntN(len(l.rooms))]
	n := r.counter.Add(1)
	token := r.tokens[n%int64(len(r.tokens))]
	var answer struct {
		Version uint64 `json:"version"`
	}
	sent := time.Now()
	status, err := l.post(ctx, "/v1/rooms/"+r.id+"/choices", token, fmt.Sprintf(`{"menuId":"a","quantity":%d}`, n%98+1), &answer)
	if err != nil && ctx.Err() != nil {
		return
	}
	if err != nil || status != 200 || answer.Version == 0 {
		l.httpErrors.Add(1)
		return
	}
	l.posted.Add(1)
	r.sends.answered(answer.Version, sent, r.streams, &l.latency)
}

// sends matches a room's choice events to the POSTs that made them, by
// version, so latency is exact with several POSTs of a room in flight:
// the POST's answer names its version, and each of the room's streams
// may read the event before or after that answer comes back.
type sends struct {
	mu        sync.Mutex
	byVersion map[uint64]*send
}

// send is one POST's version: when it was sent (0 until answered), and
// its deliveries so far.
type send struct {
	sentAt time.Time
	early  []time.Time // deliveries read before the answer
	seen   int
}

func (s *sends) get(v uint64) *send {
	if s.byVersion == nil {
		s.byVersion = map[uint64]*send{}
	}
	x := s.byVersion[v]
	if x == nil {
		x = &send{}
		s.byVersion[v] = x
	}
	return x
}

// answered records the POST of version v, sent at sent, and times the
// deliveries that came before its answer. streams is the room's.
func (s *sends) answered(v uint64, sent time.Time, streams int, h *histogram) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.get(v)
	if !x.sentAt.IsZero() {
		return // the same version twice: no change; keep the first
	}
	x.sentAt = sent
	for _, at := range x.early {
		h.add(at.Sub(sent))
	}
	x.early = nil
	s.forget(v, x, streams)
}

// delivered times a delivery of version v read at now, or keeps it until
// its POST is answered.
func (s *sends) delivered(v uint64, now time.Time, streams int, h *histogram) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.get(v)
	x.seen++
	if x.sentAt.IsZero() {
		x.early = append(x.early, now)
		return
	}
	h.add(now.Sub(x.sentAt))
	s.forget(v, x, streams)
}

// forget drops a version every stream of the room has read and whose
// POST was answered. (One whose POST failed, or that a stream missed,
// stays: bounded by the run.)
func (s *sends) forget(v uint64, x *send, streams int) {
	if !x.sentAt.IsZero() && x.seen >= streams {
		delete(s.byVersion, v)
	}
}
