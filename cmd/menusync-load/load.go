package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/bits"
	"math/rand/v2"
	"net"
	"net/http"
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
	rate     float64
	duration time.Duration
	pid      int
	sources  string
	posters  int
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

	connected  atomic.Int64
	delivered  atomic.Int64
	lost       atomic.Int64
	duplicated atomic.Int64
	reordered  atomic.Int64
	httpErrors atomic.Int64
	posted     atomic.Int64
	latency    histogram
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

func (l *load) setup(ctx context.Context) error {
	n := (l.cfg.streams + l.cfg.roomSize - 1) / l.cfg.roomSize
	for range n {
		m, status, err := l.post(ctx, "/v1/rooms", "", `{"menu":[{"id":"a","name":"A"},{"id":"b","name":"B"}]}`)
		if err != nil || status != 201 {
			return fmt.Errorf("create room: %d %v %v (are the server's rate limits off?)", status, m, err)
		}
		r := &loadRoom{id: m["id"].(string)}
		for i := range l.cfg.roomSize {
			j, status, err := l.post(ctx, "/v1/rooms/"+r.id+"/members", "", fmt.Sprintf(`{"name":"m%d"}`, i))
			if err != nil || status != 201 {
				return fmt.Errorf("join: %d %v %v", status, j, err)
			}
			r.tokens = append(r.tokens, j["token"].(string))
		}
		l.rooms = append(l.rooms, r)
	}
	return nil
}

// stream reads one event stream: it needs one goroutine and one small
// buffer, and keeps only the last version it saw.
func (l *load) stream(ctx context.Context, r *loadRoom, token string, up chan<- struct{}) {
	req, _ := http.NewRequestWithContext(ctx, "GET", l.cfg.url+"/v1/rooms/"+r.id+"/events?token="+token, nil)
	resp, err := l.client.Do(req)
	if err != nil || resp.StatusCode != 200 {
		l.httpErrors.Add(1)
		up <- struct{}{}
		return
	}
	defer resp.Body.Close()
	l.connected.Add(1)
	up <- struct{}{}
	br := bufio.NewReaderSize(resp.Body, 4096)
	var last, id uint64
	var event string
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return
		}
		line = bytes.TrimRight(line, "\n")
		switch {
		case bytes.HasPrefix(line, []byte("id: ")):
			id, _ = strconv.ParseUint(string(line[4:]), 10, 64)
		case bytes.HasPrefix(line, []byte("event: ")):
			event = string(line[7:])
		case len(line) == 0 && event != "":
			now := time.Now()
			switch {
			case event == "snapshot":
				if id < last {
					l.reordered.Add(1)
				}
			case id == last:
				l.duplicated.Add(1)
			case id < last:
				l.reordered.Add(1)
			case last != 0 && id > last+1:
				l.lost.Add(int64(id - last - 1))
			}
			if event == "choice" {
				l.delivered.Add(1)
				if sent := r.sentAt.Load(); sent > 0 {
					l.latency.add(now.Sub(time.Unix(0, sent)))
				}
			}
			if id > last {
				last = id
			}
			event = ""
		}
	}
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

func (l *load) run(ctx context.Context, out io.Writer) error {
	if err := l.setup(ctx); err != nil {
		return err
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	up := make(chan struct{}, l.cfg.streams)
	start := time.Now()
	for i := range l.cfg.streams {
		r := l.rooms[i/l.cfg.roomSize]
		go l.stream(sctx, r, r.tokens[i%l.cfg.roomSize], up)
	}
	for range l.cfg.streams {
		<-up
	}
	fmt.Fprintf(out, "streams: %d of %d established in %v (%d HTTP errors)\n", l.connected.Load(), l.cfg.streams, time.Since(start).Round(time.Millisecond), l.httpErrors.Load())
	cpu0, _ := procCPU(l.cfg.pid)

	jobs := make(chan struct{})
	var wg sync.WaitGroup
	for range l.cfg.posters {
		wg.Add(1)
		go func() { defer wg.Done(); l.poster(sctx, jobs) }()
	}
	tick := time.NewTicker(time.Duration(float64(time.Second) / l.cfg.rate))
	end := time.After(l.cfg.duration)
	began := time.Now()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-end:
			break loop
		case <-tick.C:
			select {
			case jobs <- struct{}{}:
			default: // every poster busy: the server is slower than the rate
			}
		}
	}
	tick.Stop()
	close(jobs)
	wg.Wait()
	elapsed := time.Since(began)
	// let the last deliveries land
	time.Sleep(500 * time.Millisecond)
	cancel()

	p50, p99, p999 := l.latency.quantile(0.5), l.latency.quantile(0.99), l.latency.quantile(0.999)
	fmt.Fprintf(out, "posted: %d choices in %v (%.0f/s), HTTP errors %d\n", l.posted.Load(), elapsed.Round(time.Millisecond), float64(l.posted.Load())/elapsed.Seconds(), l.httpErrors.Load())
	fmt.Fprintf(out, "delivered: %d events (%.0f/s)\n", l.delivered.Load(), float64(l.delivered.Load())/elapsed.Seconds())
	fmt.Fprintf(out, "latency (POST sent to event read): p50 %v, p99 %v, p99.9 %v\n", p50, p99, p999)
	fmt.Fprintf(out, "lost %d, duplicated %d, out of order %d\n", l.lost.Load(), l.duplicated.Load(), l.reordered.Load())
	if l.cfg.pid > 0 {
		cpu1, rss := procCPU(l.cfg.pid)
		fmt.Fprintf(out, "server pid %d: RSS %.1f MiB, CPU %.0f%% of one core during the POSTs\n", l.cfg.pid, float64(rss)/(1<<20), 100*(cpu1-cpu0)/elapsed.Seconds())
	}
	if l.lost.Load()+l.duplicated.Load()+l.reordered.Load() > 0 {
		return fmt.Errorf("streams saw lost, duplicated or reordered versions")
	}
	return nil
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
