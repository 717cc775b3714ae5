package handlers

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Shedder refuses new streams while this replica is past its limits, so
// that the tables already open keep their latency at a dinner peak: a
// stream refused with 503 and Retry-After backs off with jitter (the web
// app's EventSource does) and comes back when the peak has passed, while
// admitting it would slow every delivery on the replica.
//
// The signal is this replica's own: the 99th percentile of its delivery
// latency (publish to write, for every delta it writes) over the last
// window, and its scheduler lag (how late a timer of its fires: when the
// cores are saturated every goroutine waits). Either above Limit sheds
// new streams for at least Hold. REST requests, long-polls and open
// streams are never refused by it.
type Shedder struct {
	Limit time.Duration // 0: never shed
	Hold  time.Duration // shed at least this long once over

	total, slow atomic.Int64 // deliveries in the window, and those over Limit
	until       atomic.Int64 // unix ns: refuse new streams until then
	sheds       atomic.Int64 // windows that were over
}

// Shedding windows: the signal is judged every shedWindow, and timers
// that measure the scheduler lag fire every shedProbe.
const (
	shedWindow = time.Second
	shedProbe  = 50 * time.Millisecond
	shedHold   = 2 * time.Second
)

// NewShedder returns a shedder with the given limit (0: off).
func NewShedder(limit time.Duration) *Shedder {
	return &Shedder{Limit: limit, Hold: shedHold}
}

// Observe records one delivery's latency (publish to write). It is on
// the delivery path: two atomic adds at most.
func (sh *Shedder) Observe(lag time.Duration) {
	if sh == nil || sh.Limit <= 0 {
		return
	}
	sh.total.Add(1)
	if lag > sh.Limit {
		sh.slow.Add(1)
	}
}

// Tick closes a window: if more than 1 % of its deliveries (and at least
// 3) were slower than Limit, or the scheduler lag measured in it was, new
// streams are refused from now until now+Hold. It reports whether the
// window was over.
func (sh *Shedder) Tick(now time.Time, schedLag time.Duration) bool {
	if sh == nil || sh.Limit <= 0 {
		return false
	}
	total, slow := sh.total.Swap(0), sh.slow.Swap(0)
	over := slow >= 3 && slow*100 > total || schedLag > sh.Limit
	if over {
		sh.sheds.Add(1)
		sh.until.Store(now.Add(sh.Hold).UnixNano())
	}
	return over
}

// Refusing reports whether a stream opening at now is refused, and the
// Retry-After to send: 2 to 5 s, spread so that the refused do not all
// come back in the same second.
func (sh *Shedder) Refusing(now time.Time) (bool, time.Duration) {
	if sh == nil || sh.Limit <= 0 || now.UnixNano() >= sh.until.Load() {
		return false, 0
	}
	return true, time.Duration(2+rand.IntN(4)) * time.Second
}

// Sheds is the number of windows that were over the limit so far.
func (sh *Shedder) Sheds() int64 { return sh.sheds.Load() }

// Run measures the scheduler lag and closes a window every second until
// ctx ends. The replica runs it (internal/app); tests call Tick instead.
func (sh *Shedder) Run(ctx context.Context) {
	if sh == nil || sh.Limit <= 0 {
		return
	}
	probe := time.NewTicker(shedProbe)
	defer probe.Stop()
	last, windowStart := time.Now(), time.Now()
	var lag time.Duration
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-probe.C:
			// A tick is due shedProbe after the last one; what it is
			// later than that is how long runnable goroutines wait.
			lag = max(lag, time.Since(last)-shedProbe)
			last = time.Now()
			if now.Sub(windowStart) >= shedWindow {
				sh.Tick(last, lag)
				windowStart, lag = last, 0
			}
		}
	}
}

// errShed: this replica is past its limits for new streams right now.
var errShed = newError(http.StatusServiceUnavailable, codeFull, "this replica is at capacity for new streams right now; retry after Retry-After")

// shedding says whether a new stream is refused for load now; if so it
// has set Retry-After on w.
func (s *Server) shedding(w http.ResponseWriter) bool {
	refuse, wait := s.shed.Refusing(time.Now())
	if refuse {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
	}
	return refuse
}

// observeDelivery is the stream's Delivered hook: the shedder's signal,
// then the metrics.
func (s *Server) observeDelivery(publishedAt time.Time) {
	if !publishedAt.IsZero() {
		s.shed.Observe(time.Since(publishedAt))
	}
	s.cfg.Observer.Delivered(publishedAt)
}

// Shedder is the replica's load shedder (nil when off).
func (s *Server) Shedder() *Shedder { return s.shed }
