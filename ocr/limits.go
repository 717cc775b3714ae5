package ocr

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// limiter admits at most n scans at once, because each is a CPU-bound
// tesseract process: more than one per core only makes all of them
// slower. Up to queue more wait their turn for at most a timeout; the
// rest are refused at once with ErrBusy, so a burst costs the server
// neither memory nor goroutines piling up behind the CPU, and the client
// gets a prompt answer to retry.
type limiter struct {
	slots   chan struct{}
	queue   int64
	waiting atomic.Int64
	// hold is a moving average of how long a scan keeps its slot, in
	// nanoseconds, for retryAfter.
	hold atomic.Int64
}

// typicalScan seeds the average slot hold time before any scan has
// finished: a phone photo took 0.7 s hinted and up to 0.9 s detected
// (see the package doc), so a second errs towards retrying later.
const typicalScan = time.Second

func newLimiter(n, queue int) *limiter {
	l := &limiter{slots: make(chan struct{}, n), queue: int64(queue)}
	l.hold.Store(int64(typicalScan))
	return l
}

// acquire takes a slot; the caller must call the returned release.
func (l *limiter) acquire(ctx context.Context, timeout time.Duration) (release func(), err error) {
	if err := context.Cause(ctx); err != nil { // gone already: take no slot
		return nil, fmt.Errorf("ocr: %w", err)
	}
	select {
	case l.slots <- struct{}{}:
		return l.holding(), nil
	default:
	}
	if l.waiting.Add(1) > l.queue {
		l.waiting.Add(-1)
		return nil, fmt.Errorf("%w: %d scans running and %d waiting", ErrBusy, cap(l.slots), l.queue)
	}
	defer l.waiting.Add(-1)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		return l.holding(), nil
	case <-timer.C:
		return nil, fmt.Errorf("%w: no scan slot free within %v", ErrBusy, timeout)
	case <-ctx.Done():
		return nil, fmt.Errorf("ocr: waiting for a scan slot: %w", context.Cause(ctx))
	}
}

// holding returns the release for a slot just taken. It times the hold
// from here, not from acquire, so time spent queued does not count as
// work.
func (l *limiter) holding() (release func()) {
	start := time.Now()
	return func() {
		l.observe(time.Since(start))
		<-l.slots
	}
}

// observe folds one hold time into the average with weight 1/8: a few
// scans move it, one odd photo does not.
func (l *limiter) observe(d time.Duration) {
	for {
		old := l.hold.Load()
		if l.hold.CompareAndSwap(old, old+(int64(d)-old)/8) {
			return
		}
	}
}

// full refuses a scan when every slot is taken and the queue is full.
// It only reads the counters, so it can answer before the upload is read;
// acquire still decides for real.
func (l *limiter) full() error {
	if l.running() == cap(l.slots) && int64(l.queued()) >= l.queue {
		return fmt.Errorf("%w: %d scans running and %d waiting", ErrBusy, l.running(), l.queued())
	}
	return nil
}

// retryAfter estimates how long a scan arriving now would wait for a
// slot: nothing if one is free, else a round of average hold time for
// itself and for every full round of scans queued ahead of it. Running
// scans are counted as just started, so this leans long: a client told
// to come back later should not find the queue still full.
func (l *limiter) retryAfter() time.Duration {
	n := cap(l.slots)
	if l.running() < n {
		return 0
	}
	rounds := l.queued()/n + 1
	return time.Duration(rounds) * time.Duration(l.hold.Load())
}

// queued is the number of scans waiting for a slot.
func (l *limiter) queued() int { return int(l.waiting.Load()) }

// running is the number of slots taken.
func (l *limiter) running() int { return len(l.slots) }
