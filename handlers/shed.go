package handlers

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Shedder is admission control for the dinner peak: while this replica
// is past its limits it refuses new tables (POST /v1/rooms) with 503 and
// Retry-After, so the tables already open keep their latency. A new
// table is where new work comes from (its people join, open streams and
// choose for the next minutes); everything of a table already open (its
// joins, streams, long-polls, choices) is let in, so no one already at a
// table is ever refused. A party told to wait comes back after the
// Retry-After plus jitter (the load tool does; the Go client waits the
// Retry-After).
//
// Refusing only new streams, as it first did, protected nothing: a
// stream refused is a person of an open table who comes back seconds
// later anyway, while new tables kept arriving and choosing.
//
// The signals, judged every shedWindow, lead the clients' latency
// rather than trail it:
//   - CPU pressure: the share of the window in which some runnable task
//     of this replica's cgroup (or, without cgroup v2, of the machine)
//     waited for a core, from the kernel's PSI (cpu.pressure). It rises as
//     the cores fill, before the queues that make latency grow: with the
//     proxy, Redis and other processes on the same cores (this box), the
//     replica's own timings see only part of the queueing.
//   - scheduler lag: how late a timer of this replica fires;
//   - the p99 of this replica's own delivery latency (publish to write).
//
// Any one over its limit refuses new tables for at least Hold, and then
// lets them in at a rate found by additive increase, multiplicative
// decrease: an over window halves the rate of new tables let in in the
// windows before it; a calm window in which tables had to wait raises it
// by rateStep. Without the rate, the first calm half-second after an
// overload would let in every party that had been told to wait, all at
// once, and the load they bring comes for minutes after (their guests
// join, then they all choose): the signal leads the clients' latency, but
// the load trails the admission.
type Shedder struct {
	Limit    time.Duration // scheduler lag and delivery p99 (0: not judged)
	Pressure float64       // CPU pressure, % of the window (0: not judged)
	Hold     time.Duration // refuse at least this long once over

	total, slow atomic.Int64 // deliveries in the window, and those over Limit
	until       atomic.Int64 // unix ns: refuse new tables until then
	sheds       atomic.Int64 // windows that were over
	refused     atomic.Int64 // new tables refused
	pressureNow atomic.Uint64

	mu       sync.Mutex
	limited  bool      // the rate applies (since the first over window)
	rate     float64   // new tables a second let in while limited
	tokens   float64   // the rate's bucket
	filled   time.Time // when tokens were last added
	admitted []int     // tables let in, per window, the last rateMemory windows
	waited   bool      // a table was refused by the rate in this window
}

// The admission rate: what an over window halves is the rate of the last
// rateMemory windows; a calm window where tables waited adds rateStep;
// past maxRate the rate no longer applies.
const (
	rateMemory = 4
	rateStep   = 0.5
	minRate    = 0.5
	maxRate    = 200
)

// Shedding windows: the signal is judged every shedWindow, and timers
// that measure the scheduler lag fire every shedProbe.
const (
	shedWindow = 500 * time.Millisecond
	shedProbe  = 20 * time.Millisecond
	shedHold   = 2 * time.Second
)

// NewShedder returns a shedder with the given limits (both 0: off).
func NewShedder(limit time.Duration, pressure float64) *Shedder {
	return &Shedder{Limit: limit, Pressure: pressure, Hold: shedHold, admitted: []int{0}}
}

func (sh *Shedder) on() bool { return sh != nil && (sh.Limit > 0 || sh.Pressure > 0) }

// Observe records one delivery's latency (publish to write). It is on
// the delivery path: two atomic adds at most.
func (sh *Shedder) Observe(lag time.Duration) {
	if !sh.on() || sh.Limit <= 0 {
		return
	}
	sh.total.Add(1)
	if lag > sh.Limit {
		sh.slow.Add(1)
	}
}

// Tick closes a window: if its CPU pressure (% of the window; negative:
// unknown) or its scheduler lag was over the limits, or more than 1 % of
// its deliveries (and at least 3) were slower than Limit, new tables are
// refused from now until now+Hold. It reports whether the window was over.
func (sh *Shedder) Tick(now time.Time, schedLag time.Duration, pressure float64) bool {
	if !sh.on() {
		return false
	}
	sh.pressureNow.Store(math.Float64bits(pressure))
	total, slow := sh.total.Swap(0), sh.slow.Swap(0)
	over := sh.Pressure > 0 && pressure > sh.Pressure ||
		sh.Limit > 0 && (slow >= 3 && slow*100 > total || schedLag > sh.Limit)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	recent := 0
	for _, n := range sh.admitted {
		recent += n
	}
	switch {
	case over:
		sh.sheds.Add(1)
		sh.until.Store(now.Add(sh.Hold).UnixNano())
		was := float64(maxRate)
		if len(sh.admitted) > 0 {
			was = float64(recent) / (float64(len(sh.admitted)) * shedWindow.Seconds())
		}
		if sh.limited {
			was = min(was, sh.rate)
		}
		// the bucket starts empty when the hold ends
		sh.limited, sh.rate, sh.tokens, sh.filled = true, max(was/2, minRate), 0, now.Add(sh.Hold)
	case sh.limited && sh.waited:
		if sh.rate += rateStep; sh.rate > maxRate {
			sh.limited = false
		}
	}
	sh.admitted = append(sh.admitted, 0)
	if len(sh.admitted) > rateMemory {
		sh.admitted = sh.admitted[1:]
	}
	sh.waited = false
	return over
}

// Refusing reports whether a new table asking at now is refused, and the
// Retry-After to send: 2 to 5 s, spread so that the refused do not all
// come back in the same second. Refused: within the hold of an over
// window, or past the admission rate.
func (sh *Shedder) Refusing(now time.Time) (bool, time.Duration) {
	if !sh.on() {
		return false, 0
	}
	refuse := now.UnixNano() < sh.until.Load()
	sh.mu.Lock()
	if !refuse && sh.limited {
		if now.After(sh.filled) {
			sh.tokens = min(sh.tokens+sh.rate*now.Sub(sh.filled).Seconds(), max(1, sh.rate*shedWindow.Seconds()))
			sh.filled = now
		}
		if refuse = sh.tokens < 1; refuse {
			sh.waited = true
		} else {
			sh.tokens--
		}
	}
	if !refuse && len(sh.admitted) > 0 {
		sh.admitted[len(sh.admitted)-1]++
	}
	sh.mu.Unlock()
	if !refuse {
		return false, 0
	}
	sh.refused.Add(1)
	return true, time.Duration(2+rand.IntN(4)) * time.Second
}

// Rate is the rate of new tables let in (a second), and whether it
// applies (it does from the first over window until it grows past
// maxRate).
func (sh *Shedder) Rate() (float64, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.rate, sh.limited
}

// Sheds is the number of windows that were over the limits so far.
func (sh *Shedder) Sheds() int64 { return sh.sheds.Load() }

// Refused is the number of new tables refused so far.
func (sh *Shedder) Refused() int64 { return sh.refused.Load() }

// LastPressure is the CPU pressure of the last window (%; negative:
// unknown).
func (sh *Shedder) LastPressure() float64 { return math.Float64frombits(sh.pressureNow.Load()) }

// Run measures the scheduler lag and the CPU pressure and closes a window
// every shedWindow until ctx ends. The replica runs it (internal/app);
// tests call Tick instead.
func (sh *Shedder) Run(ctx context.Context) {
	if !sh.on() {
		return
	}
	psi := pressureFile()
	probe := time.NewTicker(shedProbe)
	defer probe.Stop()
	last, windowStart := time.Now(), time.Now()
	stall, stallOK := readStall(psi)
	var lag time.Duration
	for {
		select {
		case <-ctx.Done():
			return
		case <-probe.C:
			// A tick is due shedProbe after the last one; what it is
			// later than that is how long runnable goroutines wait.
			now := time.Now()
			lag = max(lag, now.Sub(last)-shedProbe)
			last = now
			if now.Sub(windowStart) < shedWindow {
				continue
			}
			pressure := -1.0
			if s, ok := readStall(psi); ok && stallOK {
				pressure = 100 * float64(s-stall) / float64(now.Sub(windowStart).Microseconds())
				stall = s
			} else {
				stall, stallOK = s, ok
			}
			sh.Tick(now, lag, pressure)
			windowStart, lag = now, 0
		}
	}
}

// pressureFile is where the kernel counts this process's CPU stalls: its
// cgroup's cpu.pressure under cgroup v2 (a container's own), else the
// machine's /proc/pressure/cpu; "" without PSI.
func pressureFile() string {
	if b, err := os.ReadFile("/proc/self/cgroup"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if path, ok := strings.CutPrefix(line, "0::"); ok {
				if p := "/sys/fs/cgroup" + strings.TrimRight(path, "/") + "/cpu.pressure"; fileReadable(p) {
					return p
				}
			}
		}
	}
	if fileReadable("/proc/pressure/cpu") {
		return "/proc/pressure/cpu"
	}
	return ""
}

func fileReadable(p string) bool { _, ok := readStall(p); return ok }

// readStall reads the "some" line's total: microseconds in which some
// runnable task waited for a CPU.
func readStall(path string) (int64, bool) {
	if path == "" {
		return 0, false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	return parseStall(string(b))
}

func parseStall(s string) (int64, bool) {
	line, _, _ := strings.Cut(s, "\n")
	if !strings.HasPrefix(line, "some ") {
		return 0, false
	}
	_, total, ok := strings.Cut(line, "total=")
	n, err := strconv.ParseInt(strings.TrimSpace(total), 10, 64)
	return n, ok && err == nil
}

// errShed: this replica is past its limits for new tables right now.
var errShed = newError(http.StatusServiceUnavailable, codeFull, "this replica is at capacity for new tables right now; the tables already open go on; retry after Retry-After")

// shedding says whether a new table is refused for load now; if so it
// has set Retry-After on w.
func (s *Server) shedding(w http.ResponseWriter) bool {
	refuse, wait := s.shed.Refusing(time.Now())
	if refuse {
		setRetryAfter(w, wait)
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
