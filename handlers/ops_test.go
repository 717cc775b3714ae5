package handlers_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/testproc"
)

func TestStreamCap(t *testing.T) {
	f := newFixture(t, handlers.Config{MaxStreams: 2})
	p := f.party()
	path, auth := "/v1/rooms/"+p.room.ID+"/events", "Bearer "+p.tokenA
	a := f.stream(path, "Authorization", auth)
	a.next(t)
	b := f.stream(path, "Authorization", auth)
	b.next(t)
	c := f.stream(path, "Authorization", auth)
	if c.resp.StatusCode != http.StatusServiceUnavailable || c.resp.Header.Get("Retry-After") == "" ||
		c.resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("third stream: %d %v", c.resp.StatusCode, c.resp.Header)
	}
	a.close()
	testproc.WaitFor(t, 5*time.Second, "a slot frees up", func() bool { return f.srv.OpenStreams() == 1 })
	d := f.stream(path, "Authorization", auth)
	if d.resp.StatusCode != http.StatusOK {
		t.Fatalf("stream after one closed: %d", d.resp.StatusCode)
	}
}

func TestMaxStreamAge(t *testing.T) {
	f := newFixture(t, handlers.Config{MaxStreamAge: 300 * time.Millisecond})
	p := f.party()
	s := f.stream("/v1/rooms/"+p.room.ID+"/events", "Authorization", "Bearer "+p.tokenA)
	start := time.Now()
	s.next(t)
	var last sseEvent
	for {
		ev, ok := s.raw(t)
		if !ok {
			break
		}
		last = ev
	}
	if last.Retry == "" {
		t.Fatalf("stream ended without a retry hint (last block %+v)", last)
	}
	if age := time.Since(start); age < 200*time.Millisecond {
		t.Fatalf("stream ended after %v, before its minimum age", age)
	}
}

// TestDrainSpreadsStreams: on Drain every stream ends with a retry hint
// within the window, not all at the same instant, and Drain's channel
// closes once none is left.
func TestDrainSpreadsStreams(t *testing.T) {
	f := newFixture(t, handlers.Config{DrainWindow: 400 * time.Millisecond})
	p := f.party()
	var streams []*sseReader
	for range 8 {
		s := f.stream("/v1/rooms/"+p.room.ID+"/events", "Authorization", "Bearer "+p.tokenA)
		s.next(t)
		streams = append(streams, s)
	}
	start := time.Now()
	drained := f.srv.Drain()
	ends := make([]time.Duration, len(streams))
	retried := make([]bool, len(streams))
	var wg sync.WaitGroup
	for i, s := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range s.events {
				retried[i] = retried[i] || ev.Retry != ""
			}
			ends[i] = time.Since(start)
		}()
	}
	wg.Wait()
	for i := range streams {
		if !retried[i] {
			t.Fatal("a drained stream ended without a retry hint")
		}
	}
	select {
	case <-drained:
	case <-time.After(5 * time.Second):
		t.Fatalf("Drain's channel still open with %d streams", f.srv.OpenStreams())
	}
	minEnd, maxEnd := ends[0], ends[0]
	for _, e := range ends {
		minEnd, maxEnd = min(minEnd, e), max(maxEnd, e)
	}
	if maxEnd-minEnd < 20*time.Millisecond {
		t.Fatalf("streams ended within %v of each other: not spread", maxEnd-minEnd)
	}
}

func TestRequestIDAndNoTokenInLogs(t *testing.T) {
	logs := &testproc.Buffer{}
	f := newFixtureLog(t, handlers.Config{}, logs)
	p := f.party()
	r := f.do("GET", "/v1/rooms/"+p.room.ID+"?token="+p.tokenA, p.tokenA, nil, "X-Request-Id", "from-proxy-42")
	if r.header.Get("X-Request-Id") != "from-proxy-42" {
		t.Fatalf("request id not echoed: %q", r.header.Get("X-Request-Id"))
	}
	r = f.do("GET", "/healthz", "", nil, "X-Request-Id", "bad id\twith spaces")
	if id := r.header.Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
		t.Fatalf("unsafe request id kept: %q", id)
	}
	s := f.stream("/v1/rooms/"+p.room.ID+"/events", "Authorization", "Bearer "+p.tokenB)
	s.next(t)
	s.close()
	f.do("GET", "/v1/rooms/"+p.room.ID+"?token=garbage-"+p.tokenA[:20], "", nil)
	out := logs.String()
	if !strings.Contains(out, "from-proxy-42") || !strings.Contains(out, "/v1/rooms/"+menusync.Tag(p.room.ID)) {
		t.Fatalf("access log lacks the request:\n%s", out)
	}
	// The room id is a capability too: logs name the room by its tag.
	for _, secret := range []string{p.tokenA, p.tokenB, p.tokenA[:20], p.room.ID} {
		if strings.Contains(out, secret) {
			t.Fatalf("a token reached the logs:\n%s", out)
		}
	}
}
