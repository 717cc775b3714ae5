package stream

import (
	"bytes"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/pubsub"
)

// Source feeds a stream: a pubsub.Listener.
type Source interface {
	Events() <-chan *pubsub.Frame
	Signal() <-chan struct{}
	Closed() bool
	TakeSnapshot() *pubsub.Frame
	Resync(min uint64)
	OnWake(func())
}

// Config is what every stream of a replica shares.
type Config struct {
	Heartbeat    time.Duration // an event on idle streams
	WriteTimeout time.Duration // per write; a client that stops reading is dropped
	Retry        time.Duration // the retry: hint; drains and age ends jitter around it
	MaxAge       time.Duration // end after this long, jittered down by up to a fifth (0: never)
	DrainWindow  time.Duration // a drained stream ends at a random moment within it
	// Delivered is told the publish time of every delta written.
	Delivered func(publishedAt time.Time)
}

// Reasons a stream ends, as counted in metrics.
const (
	EndClient     = "client"
	EndDrain      = "drain"
	EndMaxAge     = "max_age"
	EndClosed     = "room_closed"
	EndWriteError = "write_failed"
	EndRemoved    = "member_left"
	EndClientData = "client_sent_data"
)

// maxClientBytes is what a client may send up its stream before it is
// dropped (a stray second request, keep-alive noise): a client has
// nothing to say, and reading a byte stream costs a replica CPU.
const maxClientBytes = 1024

// maxCoalesced bounds how many queued deltas one flush writes, so a busy
// room cannot starve the heartbeat or the shutdown check.
const maxCoalesced = 64

// aLongTimeAgo is a read deadline that makes a blocked Read return at once.
var aLongTimeAgo = time.Unix(1, 0)

// Heartbeat keeps idle proxies from cutting the stream and tells clients
// the stream is alive. An event rather than a comment: browsers never show
// comments to the page, and a client that hears nothing for two
// heartbeats reconnects. It has no id, so it moves no client's
// Last-Event-ID.
var Heartbeat = []byte("event: " + menusync.TypeHeartbeat + "\ndata: {}\n\n")

// Stream is one client's stream.
type Stream struct {
	conn     net.Conn
	src      Source
	cfg      *Config
	shutdown <-chan struct{}
	pos      pubsub.Cursor
	// member is the stream's own member: a left event about them, or a
	// snapshot without them, ends the stream.
	member  string
	removed bool
	// over: the table was closed; the client has the event that says so.
	over bool

	bufs net.Buffers // the frames of the batch being written
	sent []time.Time // their publish times, observed once written
	err  error
	// scratch takes a client's stray bytes, read and dropped. Small: the
	// Read that waits on the connection makes it escape, and it lives as
	// long as the stream (512 bytes here were an eighth of an idle
	// stream's heap); a client that talks only needs more reads to reach
	// maxClientBytes.
	scratch [16]byte
}

// New takes over conn for a stream of src that has written (or is about
// to write) the room up to at. shutdown closes when the replica drains.
// closed: the room is a closed table already; the stream ends once what
// was queued is written.
func New(conn net.Conn, src Source, cfg *Config, shutdown <-chan struct{}, member string, at menusync.Position, closed bool) *Stream {
	st := &Stream{conn: conn, src: src, cfg: cfg, shutdown: shutdown, member: member, pos: pubsub.Cursor{Position: at}, over: closed}
	src.OnWake(st.Kick)
	return st
}

// Kick wakes the stream's goroutine to look at its queue.
func (st *Stream) Kick() { _ = st.conn.SetReadDeadline(aLongTimeAgo) }

// WriteHeader starts the response by hand: without a length and with
// Connection: close, the body runs until the connection closes, so the
// frames need no chunk framing.
func (st *Stream) WriteHeader(h http.Header) {
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
	st.Write(b.Bytes())
}

// Write queues bytes for the next flush.
func (st *Stream) Write(b []byte) { st.bufs = append(st.bufs, b) }

// RetryHint is a retry: field of d.
func RetryHint(d time.Duration) []byte {
	return []byte("retry: " + strconv.FormatInt(d.Milliseconds(), 10) + "\n\n")
}

// ClosedEvent tells a client the room expired. It repeats the last
// position as its id: expiring is not a change of the room. (A table the
// host closes gets a closed event of its own, a versioned change.)
func ClosedEvent(p menusync.Position) *pubsub.Frame {
	data := []byte(`{"reason":"` + menusync.ClosedExpired + `","version":` + strconv.FormatUint(p.Version, 10) + `,"epoch":"` + p.Epoch + `"}`)
	return pubsub.NewFrame(p, menusync.TypeClosed, data, time.Time{})
}

func (st *Stream) delta(f *pubsub.Frame) {
	write, resync := st.pos.Delta(f)
	if write {
		st.Write(f.Bytes)
		st.sent = append(st.sent, f.PublishedAt)
		if f.Type == menusync.TypeLeft && f.Subject == st.member {
			st.removed = true
		}
		st.over = st.over || f.Closed
	}
	if resync > 0 {
		st.src.Resync(resync)
	}
}

// flush writes the batch in one writev under a write deadline: a client
// that stops reading is dropped after WriteTimeout. false: it is gone.
func (st *Stream) flush() bool {
	if st.err == nil && len(st.bufs) > 0 {
		if st.err = st.conn.SetWriteDeadline(time.Now().Add(st.cfg.WriteTimeout)); st.err == nil {
			if len(st.bufs) == 1 {
				// A heartbeat or a single delta, the common case: a plain
				// write, which leaves no garbage (the writev's slice header
				// below escapes, per flush).
				_, st.err = st.conn.Write(st.bufs[0])
			} else {
				b := st.bufs // WriteTo consumes the slice it is given
				_, st.err = b.WriteTo(st.conn)
			}
		}
		if st.err == nil && st.cfg.Delivered != nil {
			for _, t := range st.sent {
				st.cfg.Delivered(t)
			}
		}
	}
	clear(st.bufs) // let the frames go
	st.bufs, st.sent = st.bufs[:0], st.sent[:0]
	return st.err == nil
}

// collect takes what the source queued: up to maxCoalesced deltas, and a
// resync snapshot or the room's closing. It reports the closing.
func (st *Stream) collect() (closed bool) {
	for range maxCoalesced {
		select {
		case f := <-st.src.Events():
			st.delta(f)
			continue
		default:
		}
		break
	}
	select {
	case <-st.src.Signal():
		if st.src.Closed() {
			return true
		}
		if f := st.src.TakeSnapshot(); f != nil {
			write, resync := st.pos.Snapshot(f)
			if write {
				st.Write(f.Bytes)
				st.removed = st.removed || !f.HasMember(st.member)
				st.over = st.over || f.Closed
			}
			if resync > 0 {
				st.src.Resync(resync)
			}
		}
	default:
	}
	return false
}

// jitter is a random duration in [d/2, d/2+spread).
func jitter(d, spread time.Duration) time.Duration { return d/2 + rand.N(spread) }
