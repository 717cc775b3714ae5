package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	url      string
	streams  int
	roomSize int
	rate     float64 // 0: hold the streams idle
	duration time.Duration
	settle   time.Duration
	pids     []int
	sources  string
	posters  int
	procs    int
	child    bool
	prof     profiler
}

// stormProfile is how long the server is profiled from the storm's start:
// about as long as 15,000 streams take here.
func (c config) stormProfile() time.Duration {
	return time.Duration(max(2, min(10, c.streams/2000))) * time.Second
}

type loadRoom struct {
	id      string
	tokens  []string
	sentAt  atomic.Int64 // unix ns of the POST in flight (one at a time per room)
	busy    atomic.Bool
	counter atomic.Int64
}

type load struct {
	cfg    config
	rooms  []*loadRoom
	client *http.Client

	connected   atomic.Int64
	disconnects atomic.Int64 // streams the server ended while the tool held them
	retried     atomic.Int64 // stream attempts that failed and were tried again
	badSnaps    atomic.Int64 // first snapshots that did not match their room
	firstSnap   histogram    // GET sent to the first snapshot read
	delivered   atomic.Int64
	lost        atomic.Int64
	duplicated  atomic.Int64
	reordered   atomic.Int64
	httpErrors  atomic.Int64
	posted      atomic.Int64
	skipped     atomic.Int64 // POSTs due while every poster was waiting
	latency     histogram

	errMu    sync.Mutex
	errKinds map[string]int64 // stream failures by message, for the report
}

// noteError counts a failed stream by its message (at most 8 kinds).
func (l *load) noteError(msg string) {
	l.errMu.Lock()
	defer l.errMu.Unlock()
	if l.errKinds == nil {
		l.errKinds = map[string]int64{}
	}
	if _, ok := l.errKinds[msg]; ok || len(l.errKinds) < 8 {
		l.errKinds[msg]++
	}
}

func newLoad(cfg config) (*load, error) {
	var sources []net.IP
	for _, s := range strings.Split(cfg.sources, ",") {
		if s = strings.TrimSpace(s); s != "" {
			ip := net.ParseIP(s)
			if ip == nil || !ip.IsLoopback() {
				return nil, fmt.Errorf("source %q: only loopback addresses", s)
			}
			sources = append(sources, ip)
		}
	}
	var next atomic.Uint64
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: 5 * time.Second}
		if len(sources) > 0 {
			d.LocalAddr = &net.TCPAddr{IP: sources[next.Add(1)%uint64(len(sources))]}
		}
		return d.DialContext(ctx, network, addr)
	}
	tr := &http.Transport{DialContext: dial, MaxIdleConnsPerHost: cfg.posters, DisableCompression: true}
	return &load{cfg: cfg, client: &http.Client{Transport: tr}}, nil
}

func (l *load) post(ctx context.Context, path, token, body string) (map[string]any, int, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", l.cfg.url+path, strings.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return m, resp.StatusCode, nil
}

// setup creates the rooms and joins their members, several at a time.
func (l *load) setup(ctx context.Context) error {
	n := (l.cfg.streams + l.cfg.roomSize - 1) / l.cfg.roomSize
	l.rooms = make([]*loadRoom, n)
	var next atomic.Int64
	errs := make(chan error, l.cfg.posters)
	var wg sync.WaitGroup
	for range min(l.cfg.posters, n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				r, err := l.openRoom(ctx)
				if err != nil {
					errs <- err
					return
				}
				l.rooms[i] = r
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func (l *load) openRoom(ctx context.Context) (*loadRoom, error) {
	m, status, err := l.post(ctx, "/v1/rooms", "", `{"menu":[{"id":"a","name":"A"},{"id":"b","name":"B"}]}`)
	if err != nil || status != 201 {
		return nil, fmt.Errorf("create room: %d %v %v (are the server's rate limits off?)", status, m, err)
	}
	r := &loadRoom{id: m["id"].(string)}
	for i := range l.cfg.roomSize {
		j, status, err := l.post(ctx, "/v1/rooms/"+r.id+"/members", "", fmt.Sprintf(`{"name":"m%d"}`, i))
		if err != nil || status != 201 {
			return nil, fmt.Errorf("join: %d %v %v", status, j, err)
		}
		r.tokens = append(r.tokens, j["token"].(string))
	}
	return r, nil
}

// stream reads one event stream: it needs one goroutine and one small
// buffer, and keeps only the last position it saw.
func (l *load) stream(ctx context.Context, r *loadRoom, token string, up chan<- struct{}) {
	began := time.Now()
	resp := l.open(ctx, r, token)
	if resp == nil {
		up <- struct{}{}
		return
	}
	defer resp.Body.Close()
	br := bufio.NewReaderSize(resp.Body, 4096)
	var t tracker
	var id uint64
	var event, epoch string
	var data []byte
	first := true
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			if ctx.Err() == nil {
				l.disconnects.Add(1)
			}
			if first {
				up <- struct{}{}
			}
			return
		}
		line = bytes.TrimRight(line, "\n")
		switch {
		case bytes.HasPrefix(line, []byte("id: ")):
			// "<epoch>.<version>"
			e, v, _ := bytes.Cut(line[4:], []byte("."))
			epoch = string(e)
			id, _ = strconv.ParseUint(string(v), 10, 64)
		case bytes.HasPrefix(line, []byte("event: ")):
			event = string(line[7:])
		case bytes.HasPrefix(line, []byte("data: ")) && event == "snapshot" && first:
			data = append(data, line[6:]...)
		case len(line) == 0 && event == "heartbeat":
			event = ""
		case len(line) == 0 && event != "":
			now := time.Now()
			if first {
				if event != "snapshot" || !goodSnapshot(data, r.id, id, l.cfg.roomSize) {
					l.badSnaps.Add(1)
				}
				l.firstSnap.add(now.Sub(began))
				l.connected.Add(1)
				first, data = false, nil
				up <- struct{}{}
			}
			l.count(t.see(event, epoch, id))
			if event == "choice" {
				l.delivered.Add(1)
				if sent := r.sentAt.Load(); sent > 0 {
					l.latency.add(now.Sub(time.Unix(0, sent)))
				}
			}
			event = ""
		}
	}
}

// open opens a stream. Like EventSource, it tries again when the
// connection is refused or times out (a storm overflows accept queues);
// the first snapshot's time still counts from the first attempt.
func (l *load) open(ctx context.Context, r *loadRoom, token string) *http.Response {
	for attempt := 1; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, "GET", l.cfg.url+"/v1/rooms/"+r.id+"/events", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := l.client.Do(req)
		if err == nil && resp.StatusCode == 200 {
			return resp
		}
		msg := ""
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			msg = err.Error()
		} else {
			msg = "stream status " + resp.Status
			resp.Body.Close()
		}
		if attempt == 5 || ctx.Err() != nil {
			l.httpErrors.Add(1)
			l.noteError(msg)
			return nil
		}
		l.retried.Add(1)
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(attempt) * time.Second):
		}
	}
}

// tracker checks a stream's positions: within an epoch versions go up by
// one; only a snapshot may start another epoch.
type tracker struct {
	epoch string
	last  uint64
}

// seen is what one event was, for the counts.
type seen struct{ lost, duplicated, reordered int64 }

func (t *tracker) see(event, epoch string, id uint64) (s seen) {
	switch {
	case event == "snapshot" && epoch != t.epoch:
		t.last, t.epoch = 0, epoch // another history: start over
	case epoch != t.epoch:
		s.reordered++ // a delta of another epoch before its snapshot
	case event == "snapshot":
		if id < t.last {
			s.reordered++
		}
	case id == t.last:
		s.duplicated++
	case id < t.last:
		s.reordered++
	case t.last != 0 && id > t.last+1:
		s.lost += int64(id - t.last - 1)
	}
	t.last = max(t.last, id)
	return s
}

func (l *load) count(s seen) {
	l.lost.Add(s.lost)
	l.duplicated.Add(s.duplicated)
	l.reordered.Add(s.reordered)
}

// goodSnapshot checks a first snapshot: its room, its version (the
// event's id) and all the room's members.
func goodSnapshot(data []byte, roomID string, id uint64, members int) bool {
	var snap struct {
		Room struct {
			ID string `json:"id"`
		} `json:"room"`
		Version uint64            `json:"version"`
		Members []json.RawMessage `json:"members"`
	}
	return json.Unmarshal(data, &snap) == nil && snap.Room.ID == roomID && snap.Version == id && len(snap.Members) == members
}

func (l *load) poster(ctx context.Context, jobs <-chan struct{}) {
	for range jobs {
		var r *loadRoom
		for range 8 { // a room with no POST in flight, so latency is exact
			c := l.rooms[rand.IntN(len(l.rooms))]
			if c.busy.CompareAndSwap(false, true) {
				r = c
				break
			}
		}
		if r == nil {
			l.skipped.Add(1) // every room tried has a POST in flight
			continue
		}
		n := r.counter.Add(1)
		token := r.tokens[n%int64(len(r.tokens))]
		r.sentAt.Store(time.Now().UnixNano())
		_, status, err := l.post(ctx, "/v1/rooms/"+r.id+"/choices", token, fmt.Sprintf(`{"menuId":"a","quantity":%d}`, n%98+1))
		if err != nil || status != 200 {
			if ctx.Err() == nil {
				l.httpErrors.Add(1)
			}
		} else {
			l.posted.Add(1)
		}
		r.busy.Store(false)
	}
}

// phase one: rooms, then every stream at once (the storm). It reports
// how long the streams took.
func (l *load) connect(ctx context.Context) (time.Duration, error) {
	if err := l.setup(ctx); err != nil {
		return 0, err
	}
	up := make(chan struct{}, l.cfg.streams)
	stop := l.cfg.prof.start("storm", l.cfg.stormProfile())
	defer stop()
	start := time.Now()
	for i := range l.cfg.streams {
		r := l.rooms[i/l.cfg.roomSize]
		go l.stream(ctx, r, r.tokens[i%l.cfg.roomSize], up)
	}
	for range l.cfg.streams {
		<-up
	}
	return time.Since(start), nil
}

// pace hands out one job per 1/rate since began. It catches up on what
// a late wake-up (a busy box) owes instead of dropping ticks, so the rate
// reached says what the server took; a job no poster is free for is
// skipped and counted (every poster waiting: the server is slower than
// the rate).
func (l *load) pace(ctx context.Context, jobs chan<- struct{}, began time.Time) {
	end := time.After(l.cfg.duration)
	tick := time.NewTicker(max(time.Duration(float64(time.Second)/l.cfg.rate), time.Millisecond))
	defer tick.Stop()
	var issued int64
	for {
		select {
		case <-ctx.Done():
			return
		case <-end:
			return
		case <-tick.C:
		}
		due := int64(time.Since(began).Seconds() * l.cfg.rate)
		for ; issued < due; issued++ {
			select {
			case jobs <- struct{}{}:
			default:
				l.skipped.Add(1)
			}
		}
	}
}

// phase two: POST at the rate (or hold the streams idle) for the duration.
func (l *load) drive(ctx context.Context) time.Duration {
	began := time.Now()
	if l.cfg.rate <= 0 {
		select {
		case <-ctx.Done():
		case <-time.After(l.cfg.duration):
		}
		return time.Since(began)
	}
	jobs := make(chan struct{})
	var wg sync.WaitGroup
	for range l.cfg.posters {
		wg.Go(func() { l.poster(ctx, jobs) })
	}
	l.pace(ctx, jobs, began)
	close(jobs)
	wg.Wait()
	elapsed := time.Since(began)
	time.Sleep(500 * time.Millisecond) // let the last deliveries land
	return elapsed
}

func (l *load) result(establish, elapsed time.Duration) result {
	r := result{Streams: int64(l.cfg.streams), Connected: l.connected.Load(), Establish: establish, Elapsed: elapsed,
		Posted: l.posted.Load(), Skipped: l.skipped.Load(), Delivered: l.delivered.Load(), HTTPErrors: l.httpErrors.Load(),
		Lost: l.lost.Load(), Duplicated: l.duplicated.Load(), Reordered: l.reordered.Load(),
		Disconnects: l.disconnects.Load(), BadSnapshots: l.badSnaps.Load(), Retried: l.retried.Load(), Errors: map[string]int64{}}
	l.errMu.Lock()
	for k, v := range l.errKinds {
		r.Errors[k] = v
	}
	l.errMu.Unlock()
	for i := range l.latency.buckets {
		r.Latency[i] = l.latency.buckets[i].Load()
		r.FirstSnap[i] = l.firstSnap.buckets[i].Load()
	}
	return r
}

// run is a whole run in this process.
func (l *load) run(ctx context.Context, out io.Writer) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	establish, err := l.connect(sctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "streams: %d of %d established in %v (%d HTTP errors)\n", l.connected.Load(), l.cfg.streams, establish.Round(time.Millisecond), l.httpErrors.Load())
	settle(ctx, l.cfg.settle)
	before, self := sample(l.cfg.pids), sample([]int{os.Getpid()})
	stop := l.cfg.prof.start("window", l.cfg.duration)
	elapsed := l.drive(sctx)
	stop()
	after := sample(l.cfg.pids)
	res := l.result(establish, elapsed)
	res.LoadCPU = sample([]int{os.Getpid()})[0].cpu - self[0].cpu
	cancel()
	return report(out, l.cfg, res, before, after)
}

func settle(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// procCPU returns a process's CPU seconds so far and its RSS in bytes.
func procCPU(pid int) (float64, int64) {
	if pid <= 0 {
		return 0, 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	rssPages, _ := strconv.ParseInt(f[21], 10, 64)
	return (utime + stime) / 100, rssPages * int64(os.Getpagesize())
}

// histogram counts latencies in log-linear buckets of microseconds: exact
// below 8 µs, then 8 buckets per power of two (at most 12.5 % wide).
type histogram struct {
	buckets [256]atomic.Int64
}

func bucketOf(d time.Duration) int {
	us := uint64(max(d.Microseconds(), 0))
	if us < 8 {
		return int(us)
	}
	e := bits.Len64(us) - 1 // leading bit, >= 3
	sub := int(us>>(e-3)) & 7
	return min((e-2)*8+sub, 255)
}

// bucketUpper is the upper bound of a bucket (quantiles round up).
func bucketUpper(b int) time.Duration {
	if b < 8 {
		return time.Duration(b+1) * time.Microsecond
	}
	e, sub := b/8+2, b%8
	return time.Duration((8+sub+1)<<(e-3)) * time.Microsecond
}

func (h *histogram) add(d time.Duration) { h.buckets[bucketOf(d)].Add(1) }

func (h *histogram) quantile(q float64) time.Duration {
	var total int64
	for i := range h.buckets {
		total += h.buckets[i].Load()
	}
	if total == 0 {
		return 0
	}
	want := int64(q * float64(total))
	var seen int64
	for i := range h.buckets {
		seen += h.buckets[i].Load()
		if seen > want {
			return bucketUpper(i)
		}
	}
	return bucketUpper(255)
}
