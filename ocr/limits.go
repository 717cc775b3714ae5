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
}

func newLimiter(n, queue int) *limiter {
	return &limiter{slots: make(chan struct{}, n), queue: int64(queue)}
}

// acquire takes a slot; the caller must call the returned release.
func (l *limiter) acquire(ctx context.Context, timeout time.Duration) (release func(), err error) {
	release = func() { <-l.slots }
	if err := context.Cause(ctx); err != nil { // gone already: take no slot
		return nil, fmt.Errorf("ocr: %w", err)
	}
	select {
	case l.slots <- struct{}{}:
		return release, nil
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
		return release, nil
	case <-timer.C:
		return nil, fmt.Errorf("%w: no scan slot free within %v", ErrBusy, timeout)
	case <-ctx.Done():
		return nil, fmt.Errorf("ocr: waiting for a scan slot: %w", context.Cause(ctx))
	}
}

// queued is the number of scans waiting for a slot (for tests).
func (l *limiter) queued() int { return int(l.waiting.Load()) }

// running is the number of slots taken (for tests).
func (l *limiter) running() int { return len(l.slots) }
