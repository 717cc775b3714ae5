package handlers

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
)

// A stream owns its connection after Hijack. net/http would otherwise keep,
// per idle stream, a 4 KiB read buffer, a 4 KiB write buffer, a goroutine
// reading in the background, and the handler goroutine whose stack grew
// while it read the snapshot: about 70 KiB of RSS per stream, measured.
// Taken over, a stream is one goroutine started with a small stack that
// both waits and writes, and writes frames straight from the shared bytes
// (writev), with no buffer of its own.
//
// The goroutine waits in Read on the connection, which is how it learns
// the client left. Its read deadline is its timer: the next heartbeat, the
// age limit or its drain moment. New deltas wake it by moving the deadline
// to the past (Listener.OnWake); it then writes what is queued and waits
// again. It sets the deadline before it looks at the queue, so a wake in
// between is never lost.
type stream struct {
	s    *Server
	conn net.Conn
	l    *pubsub.Listener
	pos  pubsub.Cursor
	// member is the stream's own member: a left event about them, or a
	// snapshot without them, ends the stream.
	member  string
	removed bool

	bufs net.Buffers // the frames of the batch being written
	sent []time.Time // their publish times, observed once written
	err  error
}

// maxClientBytes is what a client may send up its stream before it is
// dropped (a stray second request, keep-alive noise).
const maxClientBytes = 1024

// aLongTimeAgo is a read deadline that makes a blocked Read return at once.
var aLongTimeAgo = time.Unix(1, 0)

// heartbeatFrame keeps idle proxies from cutting the stream and tells
// clients the stream is alive. An event rather than a comment: browsers
// never show comments to the page, and a client that hears nothing for
// two heartbeats reconnects. It has no id, so it moves no client's
// Last-Event-ID.
var heartbeatFrame = []byte("event: " + rooms.TypeHeartbeat + "\ndata: {}\n\n")

func newStream(s *Server, conn net.Conn, l *pubsub.Listener, member string) *stream {
	st := &stream{s: s, conn: conn, l: l, member: member}
	l.OnWake(st.kick)
	s.streams.add(st)
	return st
}

func (st *stream) kick() { _ = st.conn.SetReadDeadline(aLongTimeAgo) }

// writeHeader starts the response by hand: without a length and with
// Connection: close, the body runs until the connection closes, so the
// frames need no chunk framing.
func (st *stream) writeHeader(h http.Header) {
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 200 OK\r\n")
	h = h.Clone()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	h.Set("Connection", "close")
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	_ = h.Write(&b)
	b.WriteString("\r\n")
	st.write(b.Bytes())
}

func (st *stream) write(b []byte) { st.bufs = append(st.bufs, b) }

func (st *stream) delta(f *pubsub.Frame) {
	write, resync := st.pos.Delta(f)
	if write {
		st.write(f.Bytes)
		st.sent = append(st.sent, f.PublishedAt)
		if f.Type == rooms.TypeLeft && f.Subject == st.member {
			st.removed = true
		}
	}
	if resync > 0 {
		st.l.Resync(resync)
	}
}

// flush writes the batch in one writev under a write deadline: a client
// that stops reading is dropped after WriteTimeout. false: it is gone.
func (st *stream) flush() bool {
	if st.err == nil && len(st.bufs) > 0 {
		if st.err = st.conn.SetWriteDeadline(time.Now().Add(st.s.cfg.WriteTimeout)); st.err == nil {
			b := st.bufs // WriteTo consumes the slice it is given
			_, st.err = b.WriteTo(st.conn)
		}
		if st.err == nil {
			for _, t := range st.sent {
				st.s.cfg.Observer.Delivered(t)
			}
		}
	}
	clear(st.bufs) // let the frames go
	st.bufs, st.sent = st.bufs[:0], st.sent[:0]
	return st.err == nil
}

// run serves the stream until it ends and says why.
func (st *stream) run() string {
	cfg := &st.s.cfg // a pointer: a copy would live on every stream's stack
	now := time.Now()
	nextBeat := now.Add(cfg.Heartbeat)
	var ageAt, drainAt time.Time
	if cfg.MaxStreamAge > 0 {
		ageAt = now.Add(cfg.MaxStreamAge - rand.N(cfg.MaxStreamAge/5+1))
	}
	// A client has nothing to say on a stream; what it sends is read and
	// dropped, and one that keeps sending is let go: reading a byte
	// stream in small pieces costs a replica CPU for nothing.
	var scratch [512]byte
	received := 0
	for {
		wake := nextBeat
		for _, t := range []time.Time{ageAt, drainAt} {
			if !t.IsZero() && t.Before(wake) {
				wake = t
			}
		}
		if err := st.conn.SetReadDeadline(wake); err != nil {
			return endClient
		}
		now = time.Now()
		if drainAt.IsZero() {
			select {
			case <-st.s.shutdown:
				// Keep serving until this stream's moment in the drain
				// window, so the replica's clients do not all reconnect
				// at once.
				drainAt = now.Add(rand.N(cfg.DrainWindow))
				continue
			default:
			}
		}
		switch {
		case !drainAt.IsZero() && !now.Before(drainAt):
			st.write(retryHint(cfg.Retry/2 + rand.N(cfg.Retry*2)))
			st.flush()
			return endDrain
		case !ageAt.IsZero() && !now.Before(ageAt):
			st.write(retryHint(cfg.Retry/2 + rand.N(cfg.Retry)))
			st.flush()
			return endMaxAge
		}
		closed := st.collect()
		if closed {
			st.write(closedEvent(st.pos.Position).Bytes)
			st.flush()
			return endClosed
		}
		if st.removed {
			// The client has the event that says why; a reconnect would
			// only be refused.
			st.flush()
			return endRemoved
		}
		if len(st.bufs) > 0 {
			if !st.flush() {
				return endWriteError
			}
			nextBeat = time.Now().Add(cfg.Heartbeat)
			continue
		}
		n, err := st.conn.Read(scratch[:])
		if received += n; received > maxClientBytes {
			return endClientData
		}
		if err == nil {
			continue
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			return endClient
		}
		if !time.Now().Before(nextBeat) {
			st.write(heartbeatFrame)
			if !st.flush() {
				return endWriteError
			}
			nextBeat = time.Now().Add(cfg.Heartbeat)
		}
	}
}

// collect takes what the hub queued: up to maxCoalesced deltas, and a
// resync snapshot or the room's closing. It reports the closing.
func (st *stream) collect() (closed bool) {
	for range maxCoalesced {
		select {
		case f := <-st.l.Events():
			st.delta(f)
			continue
		default:
		}
		break
	}
	select {
	case <-st.l.Signal():
		if st.l.Closed() {
			return true
		}
		if f := st.l.TakeSnapshot(); f != nil {
			write, resync := st.pos.Snapshot(f)
			if write {
				st.write(f.Bytes)
				st.removed = st.removed || !f.HasMember(st.member)
			}
			if resync > 0 {
				st.l.Resync(resync)
			}
		}
	default:
	}
	return false
}

// streamSet lets Drain wake every open stream at once.
type streamSet struct {
	mu sync.Mutex
	m  map[*stream]struct{}
}

func (ss *streamSet) add(st *stream) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.m == nil {
		ss.m = map[*stream]struct{}{}
	}
	ss.m[st] = struct{}{}
}

func (ss *streamSet) remove(st *stream) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, st)
}

func (ss *streamSet) kickAll() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for st := range ss.m {
		st.kick()
	}
}
