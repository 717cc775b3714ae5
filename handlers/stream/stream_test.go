package stream_test

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers/stream"
	"github.com/menusync/menusync/pubsub"
)

// source is a scripted pubsub listener.
type source struct {
	events  chan *pubsub.Frame
	signal  chan struct{}
	mu      sync.Mutex
	snap    *pubsub.Frame
	closed  bool
	wake    func()
	resyncs chan uint64
}

func newSource() *source {
	return &source{events: make(chan *pubsub.Frame, 32), signal: make(chan struct{}, 1), resyncs: make(chan uint64, 8)}
}

func (s *source) Events() <-chan *pubsub.Frame { return s.events }
func (s *source) Signal() <-chan struct{}      { return s.signal }
func (s *source) Closed() bool                 { s.mu.Lock(); defer s.mu.Unlock(); return s.closed }
func (s *source) Resync(min uint64)            { s.resyncs <- min }
func (s *source) OnWake(f func())              { s.wake = f }
func (s *source) TakeSnapshot() *pubsub.Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.snap
	s.snap = nil
	return f
}

func (s *source) delta(epoch string, v uint64, typ, data string) {
	s.events <- pubsub.NewFrame(menusync.Position{Epoch: epoch, Version: v}, typ, []byte(data), time.Now())
	s.wake()
}

func (s *source) offer(f *pubsub.Frame) {
	s.mu.Lock()
	s.snap = f
	s.mu.Unlock()
	s.poke()
}

func (s *source) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.poke()
}

func (s *source) poke() {
	select {
	case s.signal <- struct{}{}:
	default:
	}
	s.wake()
}

// run starts a stream at e1.5 for member "m" on one end of a pipe and
// returns a reader of the other end and the stream's end reason.
func run(t *testing.T, cfg stream.Config, shutdown chan struct{}) (*source, net.Conn, *bufio.Reader, <-chan string) {
	t.Helper()
	server, client := net.Pipe()
	t.Cleanup(func() { client.Close(); server.Close() })
	src := newSource()
	if shutdown == nil {
		shutdown = make(chan struct{})
	}
	st := stream.New(server, src, &cfg, shutdown, "m", menusync.Position{Epoch: "e1", Version: 5}, false)
	st.Write([]byte("retry: 1000\n\n"))
	done := make(chan string, 1)
	go func() { done <- st.Run(); server.Close() }()
	return src, client, bufio.NewReader(client), done
}

// block reads one event block (lines up to a blank line).
func block(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read: %v (so far %q)", err, b.String())
		}
		if line == "\n" {
			return b.String()
		}
		b.WriteString(line)
	}
}

var quiet = stream.Config{Heartbeat: time.Hour, WriteTimeout: time.Second, Retry: time.Second, DrainWindow: 50 * time.Millisecond}

func TestDeltasInOrderAndResyncOnGap(t *testing.T) {
	src, _, r, _ := run(t, quiet, nil)
	if got := block(t, r); got != "retry: 1000\n" {
		t.Fatalf("first block %q", got)
	}
	src.delta("e1", 6, "choice", `{"version":6}`)
	if got := block(t, r); !strings.HasPrefix(got, "id: e1.6\nevent: choice\n") {
		t.Fatalf("delta %q", got)
	}
	src.delta("e1", 6, "choice", `{"version":6}`) // a duplicate: skipped
	src.delta("e1", 9, "choice", `{"version":9}`) // a gap: not written, resync asked
	if min := <-src.resyncs; min != 9 {
		t.Fatalf("resync from %d", min)
	}
	snap := pubsub.NewFrame(menusync.Position{Epoch: "e1", Version: 9}, "snapshot", []byte(`{}`), time.Time{})
	snap.Members = []string{"m"}
	src.offer(snap)
	if got := block(t, r); !strings.HasPrefix(got, "id: e1.9\nevent: snapshot\n") {
		t.Fatalf("after the gap %q", got)
	}
	// A new epoch: only a snapshot of it, even at a lower version.
	src.delta("e2", 4, "choice", `{}`)
	<-src.resyncs
	snap2 := pubsub.NewFrame(menusync.Position{Epoch: "e2", Version: 3}, "snapshot", []byte(`{}`), time.Time{})
	snap2.Members = []string{"m"}
	src.offer(snap2)
	if got := block(t, r); !strings.HasPrefix(got, "id: e2.3\nevent: snapshot\n") {
		t.Fatalf("new epoch %q", got)
	}
}

func TestHeartbeatWhenIdle(t *testing.T) {
	cfg := quiet
	cfg.Heartbeat = 20 * time.Millisecond
	_, _, r, _ := run(t, cfg, nil)
	block(t, r) // retry
	if got := block(t, r); got != "event: heartbeat\ndata: {}\n" {
		t.Fatalf("idle stream wrote %q", got)
	}
}

// TestHeartbeatOnlyWhenIdle: deltas keep a stream from writing
// heartbeats (the heartbeat is put off after each write, not written at
// the first timer); once idle, the heartbeat comes a Heartbeat after the
// last delta.
func TestHeartbeatOnlyWhenIdle(t *testing.T) {
	cfg := quiet
	cfg.Heartbeat = 200 * time.Millisecond
	src, _, r, _ := run(t, cfg, nil)
	block(t, r) // retry
	var last time.Time
	for v := uint64(6); v < 26; v++ { // 20 deltas over ~400ms, two heartbeats' time
		src.delta("e1", v, "choice", `{}`)
		if got := block(t, r); !strings.HasPrefix(got, "id: e1.") {
			t.Fatalf("between deltas the stream wrote %q", got)
		}
		last = time.Now()
		time.Sleep(20 * time.Millisecond)
	}
	if got := block(t, r); got != "event: heartbeat\ndata: {}\n" {
		t.Fatalf("idle stream wrote %q", got)
	}
	if gap := time.Since(last); gap < cfg.Heartbeat-20*time.Millisecond {
		t.Fatalf("heartbeat %v after the last delta, before the %v heartbeat was due", gap, cfg.Heartbeat)
	}
}

func TestDrainEndsWithARetryHint(t *testing.T) {
	shutdown := make(chan struct{})
	_, _, r, done := run(t, quiet, shutdown)
	block(t, r)
	close(shutdown)
	// The drain is noticed on the next wake-up; Drain kicks every stream.
	if got := block(t, r); !strings.HasPrefix(got, "retry: ") {
		t.Fatalf("drained stream wrote %q", got)
	}
	if reason := <-done; reason != stream.EndDrain {
		t.Fatalf("ended: %s", reason)
	}
}

func TestClosedRoomAndRemovedMember(t *testing.T) {
	src, _, r, done := run(t, quiet, nil)
	block(t, r)
	src.close()
	if got := block(t, r); !strings.HasPrefix(got, "id: e1.5\nevent: closed\n") {
		t.Fatalf("closing wrote %q", got)
	}
	if reason := <-done; reason != stream.EndClosed {
		t.Fatalf("ended: %s", reason)
	}

	src, _, r, done = run(t, quiet, nil)
	block(t, r)
	f := pubsub.NewFrame(menusync.Position{Epoch: "e1", Version: 6}, menusync.TypeLeft, []byte(`{"memberId":"m"}`), time.Now())
	f.Subject = "m"
	src.events <- f
	src.wake()
	if got := block(t, r); !strings.HasPrefix(got, "id: e1.6\nevent: left\n") {
		t.Fatalf("left wrote %q", got)
	}
	if reason := <-done; reason != stream.EndRemoved {
		t.Fatalf("ended: %s", reason)
	}
}

func TestClientThatTalksIsDropped(t *testing.T) {
	_, client, r, done := run(t, quiet, nil)
	block(t, r)
	go func() { _, _ = io.Copy(io.Discard, r) }()
	junk := []byte(strings.Repeat("x", 600))
	for range 3 {
		if _, err := client.Write(junk); err != nil {
			break
		}
	}
	if reason := <-done; reason != stream.EndClientData {
		t.Fatalf("ended: %s", reason)
	}
}

func TestClientGoneAndSlowReader(t *testing.T) {
	_, client, r, done := run(t, quiet, nil)
	block(t, r)
	client.Close()
	if reason := <-done; reason != stream.EndClient {
		t.Fatalf("ended: %s", reason)
	}
	// A client that never reads is dropped after the write deadline.
	cfg := quiet
	cfg.WriteTimeout = 30 * time.Millisecond
	src, _, _, done := run(t, cfg, nil)
	src.delta("e1", 6, "choice", `{}`)
	if reason := <-done; reason != stream.EndWriteError {
		t.Fatalf("ended: %s", reason)
	}
}
