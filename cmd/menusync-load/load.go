package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
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
	streams int   // the room's streams (the last room may have fewer)
	sends   sends // POSTs by version, to time their deliveries
	counter atomic.Int64
}

type load struct {
	cfg    config
	rooms  []*loadRoom
	client *http.Client // POSTs
	dial   func(ctx context.Context, network, addr string) (net.Conn, error)
	target target // where the streams connect

	connected   atomic.Int64
	disconnects atomic.Int64 // streams the server ended while the tool held them
	retried     atomic.Int64 // stream attempts that failed and were tried again
	badSnaps    atomic.Int64 // first snapshots that did not match their room
	firstSnap   histogram    // GET sent to the first snapshot read
	dialed      histogram    // GET sent to its connection up (the kernel's and the tool's part)
	delivered   atomic.Int64
	lost        atomic.Int64
	duplicated  atomic.Int64
	reordered   atomic.Int64
	httpErrors  atomic.Int64
	posted      atomic.Int64
	skipped     atomic.Int64 // POSTs due while the cap on POSTs in flight was reached
	latency     histogram
	storm       storm // the storm's cost and the kernel's listen queues over it

	snapMu sync.Mutex
	snaps  []firstSnap // first snapshots to check after the storm

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
			d.Control = bindNoPort
		}
		return d.DialContext(ctx, network, addr)
	}
	tr := &http.Transport{DialContext: dial, MaxIdleConnsPerHost: cfg.maxInFlight(), DisableCompression: true}
	return &load{cfg: cfg, client: &http.Client{Transport: tr}, dial: dial}, nil
}

// ipBindAddressNoPort is Linux's IP_BIND_ADDRESS_NO_PORT (not in package
// syscall).
const ipBindAddressNoPort = 24

// bindNoPort lets a socket bound to a source address take its port at
// connect time, by the whole 4-tuple. Without it bind() picks a port
// alone, searching the bound ports, and past a few thousand connections
// per address that search cost more CPU than the storm it was measuring.
func bindNoPort(network, address string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, ipBindAddressNoPort, 1)
	})
	if err != nil {
		return err
	}
	if serr != nil && !errors.Is(serr, syscall.ENOPROTOOPT) {
		return serr
	}
	return nil
}

// post sends a JSON body and decodes the answer into answer (what does
// not decode stays as it was; the status tells).
func (l *load) post(ctx context.Context, path, token, body string, answer any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", l.cfg.url+path, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_ = json.NewDecoder(resp.Body).Decode(answer)
	return resp.StatusCode, nil
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
				r.streams = min(l.cfg.roomSize, l.cfg.streams-i*l.cfg.roomSize)
				l.rooms[i] = r
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func (l *load) openRoom(ctx context.Context) (*loadRoom, error) {
	var m map[string]any
	status, err := l.post(ctx, "/v1/rooms", "", `{"menu":[{"id":"a","name":"A"},{"id":"b","name":"B"}]}`, &m)
	if err != nil || status != 201 {
		return nil, fmt.Errorf("create room: %d %v %v (are the server's rate limits off?)", status, m, err)
	}
	r := &loadRoom{id: m["id"].(string)}
	for i := range l.cfg.roomSize {
		var j map[string]any
		status, err := l.post(ctx, "/v1/rooms/"+r.id+"/members", "", fmt.Sprintf(`{"name":"m%d"}`, i), &j)
		if err != nil || status != 201 {
			return nil, fmt.Errorf("join: %d %v %v", status, j, err)
		}
		r.tokens = append(r.tokens, j["token"].(string))
	}
	return r, nil
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

// phase one: rooms, then every stream at once (the storm). It reports
// how long the streams took.
func (l *load) connect(ctx context.Context) (time.Duration, error) {
	t, err := parseTarget(l.cfg.url)
	if err != nil {
		return 0, err
	}
	l.target = t
	if err := l.setup(ctx); err != nil {
		return 0, err
	}
	up := make(chan struct{}, l.cfg.streams)
	stop := l.cfg.prof.start("storm", l.cfg.stormProfile())
	port, _ := strconv.Atoi(l.target.addr[strings.LastIndexByte(l.target.addr, ':')+1:])
	tw, twAll := timeWaits(port)
	before := stormSample()
	start := time.Now()
	for i := range l.cfg.streams {
		r := l.rooms[i/l.cfg.roomSize]
		go l.stream(ctx, r, r.tokens[i%l.cfg.roomSize], up)
	}
	for range l.cfg.streams {
		<-up
	}
	took := time.Since(start)
	l.storm = stormSample().sub(before)
	l.storm.TimeWait, l.storm.TimeWaitAll = tw, twAll
	stop()
	l.checkSnapshots() // after the storm and its profile, not during

	return took, nil
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
	l.pace(ctx, began)
	elapsed := time.Since(began)
	time.Sleep(500 * time.Millisecond) // let the last deliveries land
	return elapsed
}

func (l *load) result(establish, elapsed time.Duration) result {
	r := result{Streams: int64(l.cfg.streams), Connected: l.connected.Load(), Establish: establish, Elapsed: elapsed,
		Posted: l.posted.Load(), Skipped: l.skipped.Load(), Delivered: l.delivered.Load(), HTTPErrors: l.httpErrors.Load(),
		Lost: l.lost.Load(), Duplicated: l.duplicated.Load(), Reordered: l.reordered.Load(),
		Disconnects: l.disconnects.Load(), BadSnapshots: l.badSnaps.Load(), Retried: l.retried.Load(), Storm: l.storm, Errors: map[string]int64{}}
	l.errMu.Lock()
	for k, v := range l.errKinds {
		r.Errors[k] = v
	}
	l.errMu.Unlock()
	for i := range l.latency.buckets {
		r.Latency[i] = l.latency.buckets[i].Load()
		r.FirstSnap[i] = l.firstSnap.buckets[i].Load()
		r.Dialed[i] = l.dialed.buckets[i].Load()
	}
	return r
}

// lessGC makes this process collect garbage a quarter as often (unless
// GOGC says otherwise). It runs on the cores of the server it measures
// and holds a goroutine per stream (10,000-15,000): every cycle scans
// all their stacks, and assists slow the streams' reads, which is CPU
// and delay the server's figures would carry. Its live heap is small
// (~50 MiB at 10,000 streams; it is a tool), so four times that as
// garbage costs nothing here. The dinner scenario keeps the default: its
// heap reaches gigabytes.
func lessGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// run is a whole run in this process.
func (l *load) run(ctx context.Context, out io.Writer) error {
	lessGC()
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
