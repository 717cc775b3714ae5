package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

func TestReadHead(t *testing.T) {
	for _, c := range []struct {
		name, in string
		code     int
		status   string
		chunked  bool
		err      string
	}{
		{"stream", "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\nid: x", 200, "200 OK", false, ""},
		{"chunked", "HTTP/1.1 200 OK\r\ntransfer-encoding:  Chunked \r\n\r\n", 200, "200 OK", true, ""},
		{"bare LF", "HTTP/1.0 200 OK\nX: y\n\n", 200, "200 OK", false, ""},
		{"refused", "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\nRetry-After: 1\r\n\r\n{}", 503, "503 Service Unavailable", false, ""},
		{"length", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 0, "", false, "Content-Length"},
		{"gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 0, "", false, "gzip"},
		{"not http", "SSH-2.0-OpenSSH\r\n\r\n", 0, "", false, "bad status line"},
		{"bad header", "HTTP/1.1 200 OK\r\nnocolon\r\n\r\n", 0, "", false, "bad header line"},
		{"cut short", "HTTP/1.1 200 OK\r\nX: y\r\n", 0, "", false, "reading headers"},
	} {
		// one byte a read: the head arrives split anywhere
		br := bufio.NewReaderSize(iotest.OneByteReader(strings.NewReader(c.in)), 64)
		code, status, chunked, err := readHead(br)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: err %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || code != c.code || status != c.status || chunked != c.chunked {
			t.Errorf("%s: %d %q %v %v", c.name, code, status, chunked, err)
		}
	}
}

// sseBody is a room's stream: its snapshot (version 5, two members),
// a heartbeat and two choices.
const sseBody = "retry: 1000\n\nid: ep.5\nevent: snapshot\ndata: {\"room\":{\"id\":\"R\"},\"version\":5,\"members\":[{},{}]}\n\n" +
	"event: heartbeat\ndata: {}\n\n" +
	"id: ep.6\nevent: choice\ndata: {\"version\":6}\n\nid: ep.7\nevent: choice\ndata: {\"version\":7}\n\n"

// chunk frames body as HTTP/1.1 chunks of n bytes (cutting lines).
func chunk(body string, n int) string {
	var b strings.Builder
	for len(body) > 0 {
		c := body[:min(n, len(body))]
		body = body[len(c):]
		fmt.Fprintf(&b, "%x\r\n%s\r\n", len(c), c)
	}
	return b.String() + "0\r\n\r\n"
}

// fakeServer answers each connection in turn with the next of answers,
// written a few bytes at a time, then closes it; it keeps the requests'
// heads.
func fakeServer(t *testing.T, answers ...string) (addr string, heads chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	heads = make(chan string, len(answers))
	go func() {
		for _, a := range answers {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			br := bufio.NewReader(c)
			var head strings.Builder
			for {
				line, err := br.ReadString('\n')
				head.WriteString(line)
				if err != nil || line == "\r\n" {
					break
				}
			}
			heads <- head.String()
			for len(a) > 0 {
				n := min(7, len(a))
				_, _ = c.Write([]byte(a[:n]))
				a = a[n:]
				time.Sleep(50 * time.Microsecond)
			}
			c.Close()
		}
	}()
	return ln.Addr().String(), heads
}

func testLoad(t *testing.T, addr string) (*load, *loadRoom) {
	tg, err := parseTarget("http://" + addr + "/base/")
	if err != nil {
		t.Fatal(err)
	}
	var d net.Dialer
	l := &load{cfg: config{roomSize: 2, streams: 1}, dial: d.DialContext, target: tg}
	return l, &loadRoom{id: "R", streams: 1}
}

// TestRawStream reads a stream over TCP as the storm does, the body
// plain or chunked, in small writes: the request is what the server
// reads, and every event is counted and checked.
func TestRawStream(t *testing.T) {
	for _, answer := range []string{
		"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nConnection: close\r\n\r\n" + sseBody,
		"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(sseBody, 13),
	} {
		addr, heads := fakeServer(t, answer)
		l, r := testLoad(t, addr)
		up := make(chan struct{}, 1)
		l.stream(context.Background(), r, "TOKEN", up)
		l.checkSnapshots()
		<-up
		head := <-heads
		want := "GET /base/v1/rooms/R/events HTTP/1.1\r\nHost: " + addr + "\r\nAuthorization: Bearer TOKEN\r\nAccept: text/event-stream\r\n\r\n"
		if head != want {
			t.Errorf("request\n%q, want\n%q", head, want)
		}
		if l.connected.Load() != 1 || l.badSnaps.Load() != 0 || l.delivered.Load() != 2 ||
			l.lost.Load()+l.duplicated.Load()+l.reordered.Load() != 0 || l.disconnects.Load() != 1 || l.httpErrors.Load() != 0 {
			t.Errorf("connected %d, bad snapshots %d, delivered %d, lost %d dup %d reordered %d, ended %d, errors %d",
				l.connected.Load(), l.badSnaps.Load(), l.delivered.Load(), l.lost.Load(), l.duplicated.Load(), l.reordered.Load(),
				l.disconnects.Load(), l.httpErrors.Load())
		}
	}
}

// TestRawStreamRetry: a refused stream (503) is tried again, and the
// first snapshot is timed from the first attempt; a snapshot of another
// room counts as wrong.
func TestRawStreamRetry(t *testing.T) {
	addr, _ := fakeServer(t, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 200 OK\r\n\r\n"+strings.Replace(sseBody, `"id":"R"`, `"id":"S"`, 1))
	l, r := testLoad(t, addr)
	up := make(chan struct{}, 1)
	began := time.Now()
	l.stream(context.Background(), r, "TOKEN", up)
	l.checkSnapshots()
	if l.retried.Load() != 1 || l.connected.Load() != 1 || l.badSnaps.Load() != 1 {
		t.Errorf("retried %d, connected %d, bad snapshots %d", l.retried.Load(), l.connected.Load(), l.badSnaps.Load())
	}
	if q := l.firstSnap.quantile(0.5); q < time.Second || q > time.Since(began)+time.Second/8 {
		t.Errorf("first snapshot after %v, want from the first attempt (>= 1 s retry wait)", q)
	}
}

// TestReadEventsSplit parses the events one byte a read.
func TestReadEventsSplit(t *testing.T) {
	l, r := testLoad(t, "127.0.0.1:1")
	up := make(chan struct{}, 1)
	l.readEvents(context.Background(), bufio.NewReaderSize(iotest.OneByteReader(strings.NewReader(sseBody)), 4096), r, time.Now(), up)
	l.checkSnapshots()
	if l.connected.Load() != 1 || l.badSnaps.Load() != 0 || l.delivered.Load() != 2 || l.lost.Load() != 0 {
		t.Errorf("connected %d, bad %d, delivered %d, lost %d", l.connected.Load(), l.badSnaps.Load(), l.delivered.Load(), l.lost.Load())
	}
}

func TestParseTarget(t *testing.T) {
	if tg, err := parseTarget("http://example.test"); err != nil || tg.addr != "example.test:80" || tg.host != "example.test" || tg.prefix != "" {
		t.Errorf("%+v %v", tg, err)
	}
	if _, err := parseTarget("https://example.test"); err == nil {
		t.Error("https taken; the raw reader speaks plain HTTP")
	}
}

// TestPacer: every POST due starts on time while fewer than the cap are
// in flight, whatever the ones before are doing; one due at the cap is
// skipped and counted, and a late wake-up catches up.
func TestPacer(t *testing.T) {
	p := &pacer{rate: 1000, limit: 3}
	var started atomic.Int64
	start := func() { started.Add(1) } // never done: all stay in flight
	if s := p.release(2*time.Millisecond, start); s != 0 || started.Load() != 2 {
		t.Fatalf("2 due: skipped %d, started %d", s, started.Load())
	}
	if s := p.release(10*time.Millisecond, start); s != 7 || started.Load() != 3 {
		t.Fatalf("8 more due, 1 free: skipped %d, started %d", s, started.Load())
	}
	p.done()
	p.done()
	if s := p.release(10*time.Millisecond, start); s != 0 || started.Load() != 3 {
		t.Fatalf("nothing due: skipped %d, started %d", s, started.Load())
	}
	if s := p.release(15*time.Millisecond, start); s != 3 || started.Load() != 5 {
		t.Fatalf("5 due, 2 free: skipped %d, started %d", s, started.Load())
	}
	if p.issued != 15 || p.inFlight.Load() != 3 {
		t.Fatalf("issued %d, in flight %d", p.issued, p.inFlight.Load())
	}
}

// TestSends: a delivery read before its POST's answer is timed from the
// POST when the answer comes; one after, at once; each version by its
// own POST, several in flight.
func TestSends(t *testing.T) {
	var s sends
	var h histogram
	t0 := time.Now()
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	s.delivered(8, ms(12), 2, &h) // before version 8's answer
	s.answered(7, ms(0), 2, &h)
	s.answered(8, ms(1), 2, &h)
	s.delivered(7, ms(3), 2, &h)
	s.delivered(7, ms(4), 2, &h)
	s.delivered(8, ms(9), 2, &h)
	var total int64
	for i := range h.buckets {
		total += h.buckets[i].Load()
	}
	if total != 4 {
		t.Fatalf("%d latencies, want 4", total)
	}
	if lo, hi := h.quantile(0), h.quantile(0.99); lo < 3*time.Millisecond || lo > 4*time.Millisecond || hi < 11*time.Millisecond || hi > 13*time.Millisecond {
		t.Fatalf("latencies from %v to %v, want 3 ms to 11 ms", lo, hi)
	}
	if len(s.byVersion) != 0 {
		t.Fatalf("%d versions kept after every stream read them", len(s.byVersion))
	}
}

// TestReadLine: lines end in "\n" or "\r\n", and a line longer than the
// reader's buffer (a big menu's snapshot) comes back whole.
func TestReadLine(t *testing.T) {
	long := strings.Repeat("x", 10000)
	br := bufio.NewReaderSize(strings.NewReader("a\r\nb\n"+long+"\r\nc\n"), 16)
	var buf []byte
	for _, want := range []string{"a", "b", long, "c"} {
		got, err := readLine(br, &buf)
		if err != nil || string(got) != want {
			t.Fatalf("readLine = %d bytes %.20q, %v; want %d bytes %.20q", len(got), got, err, len(want), want)
		}
	}
	if _, err := readLine(br, &buf); err == nil {
		t.Fatal("no error at the end")
	}
}
