package handlers

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/menusync/menusync/pubsub"
)

// maxCoalesced bounds how many queued deltas one flush writes, so a busy
// room cannot starve the heartbeat or the shutdown check.
const maxCoalesced = 64

var errBadLastEventID = newError(http.StatusBadRequest, "bad_last_event_id", "Last-Event-ID must be a non-negative integer version")

// lastEventID reads the resume position from the Last-Event-ID header
// (sent by EventSource on reconnect) or ?lastEventId= (for clients that
// cannot set headers).
func lastEventID(r *http.Request) (uint64, bool, error) {
	raw := r.Header.Get("Last-Event-ID")
	if raw == "" {
		raw = r.URL.Query().Get("lastEventId")
	}
	if raw == "" {
		return 0, false, nil
	}
	v, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return 0, false, errBadLastEventID
	}
	return v, true, nil
}

// Reasons a stream ends, as counted in metrics.
const (
	endClient     = "client"
	endDrain      = "drain"
	endMaxAge     = "max_age"
	endClosed     = "room_closed"
	endWriteError = "write_failed"
)

// events streams a room. Subscribe first, then read the snapshot, so no
// change can fall between the two; then one select loop handles the
// client leaving, shutdown, the age limit, heartbeats, deltas and resync
// snapshots.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := identityFrom(ctx)
	last, resumed, err := lastEventID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.draining.Load() {
		s.cfg.Observer.StreamRefused("draining")
		s.fail(w, r, errDraining)
		return
	}
	if n := s.open.Add(1); s.cfg.MaxStreams > 0 && n > s.cfg.MaxStreams {
		s.open.Add(-1)
		s.cfg.Observer.StreamRefused("full")
		s.fail(w, r, errFull)
		return
	}
	defer func() {
		s.open.Add(-1)
		s.checkDrained()
	}()
	release, capped := s.acquireStream(s.clientIP(r), id.RoomID)
	if release == nil {
		s.cfg.Observer.StreamRefused("capped")
		s.tooMany(w, r, 5*time.Second, capped)
		return
	}
	defer release()
	l, err := s.hub.Listen(ctx, id.RoomID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer l.Close()
	// Online before the snapshot, so the snapshot already says so.
	p := s.presenceOf(id)
	p.alive(ctx, 3*s.cfg.Heartbeat)
	defer p.gone(s.cfg.PresenceGrace)
	snap, err := s.hub.SnapshotFrame(ctx, id.RoomID)
	if err != nil {
		s.fail(w, r, err)
		return
	}

	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	s.cfg.Observer.StreamOpened()
	reason := endClient
	defer func() { s.cfg.Observer.StreamEnded(reason) }()

	st := stream{w: w, rc: http.NewResponseController(w), timeout: s.cfg.WriteTimeout, obs: s.cfg.Observer}
	st.write(retryHint(s.cfg.Retry))
	if !resumed || last != snap.Version {
		// Behind (or unknown): one snapshot brings the client current.
		st.write(snap.Bytes)
	}
	pos := pubsub.Position{Version: snap.Version}
	if !st.flush() {
		reason = endWriteError
		return
	}

	heartbeat := time.NewTicker(s.cfg.Heartbeat)
	defer heartbeat.Stop()
	var ageLimit, drainAt <-chan time.Time
	if s.cfg.MaxStreamAge > 0 {
		t := time.NewTimer(s.cfg.MaxStreamAge - rand.N(s.cfg.MaxStreamAge/5+1))
		defer t.Stop()
		ageLimit = t.C
	}
	shutdown := s.shutdown
	for {
		select {
		case <-ctx.Done():
			return
		case <-shutdown:
			// Keep serving until this stream's moment in the drain window,
			// so the replica's clients do not all reconnect at once.
			shutdown = nil
			t := time.NewTimer(rand.N(s.cfg.DrainWindow))
			defer t.Stop()
			drainAt = t.C
			continue
		case <-drainAt:
			reason = endDrain
			st.write(retryHint(s.cfg.Retry/2 + rand.N(s.cfg.Retry*2)))
			st.flush()
			return
		case <-ageLimit:
			reason = endMaxAge
			st.write(retryHint(s.cfg.Retry/2 + rand.N(s.cfg.Retry)))
			st.flush()
			return
		case <-heartbeat.C:
			st.write([]byte(": heartbeat\n\n"))
			p.alive(ctx, 3*s.cfg.Heartbeat)
		case f := <-l.Events():
			st.delta(l, &pos, f)
			for range maxCoalesced {
				select {
				case f := <-l.Events():
					st.delta(l, &pos, f)
					continue
				default:
				}
				break
			}
		case <-l.Signal():
			if l.Closed() {
				reason = endClosed
				st.write(closedEvent(pos.Version).Bytes)
				st.flush()
				return
			}
			if f := l.TakeSnapshot(); f != nil {
				write, resync := pos.Snapshot(f)
				if write {
					st.write(f.Bytes)
				}
				if resync > 0 {
					l.Resync(resync)
				}
			}
		}
		if !st.flush() {
			reason = endWriteError
			return
		}
	}
}

// presence is one connection's part in its member being online.
type presence struct {
	s      *Server
	id     Identity
	connID string
}

func (s *Server) presenceOf(id Identity) presence {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return presence{s: s, id: id, connID: hex.EncodeToString(b[:])}
}

// alive keeps the member online for d (renewed by every heartbeat; a
// replica that dies stops renewing and its members go offline).
func (p presence) alive(ctx context.Context, d time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := p.s.store.MarkPresent(ctx, p.id.RoomID, p.id.MemberID, p.connID, time.Now().Add(d)); err != nil && ctx.Err() == nil {
		p.s.log.Debug("presence not recorded", "room", p.id.RoomID, "err", err)
	}
}

// gone lets the connection lapse after the grace period.
func (p presence) gone(grace time.Duration) { p.alive(context.Background(), grace) }

func retryHint(d time.Duration) []byte {
	return []byte("retry: " + strconv.FormatInt(d.Milliseconds(), 10) + "\n\n")
}

// closedEvent tells a client the room is gone. It repeats the last
// version as its id: closing is not a change of the room.
func closedEvent(version uint64) *pubsub.Frame {
	data := []byte(`{"reason":"expired","version":` + strconv.FormatUint(version, 10) + `}`)
	return pubsub.NewFrame(version, "closed", data, time.Time{})
}

// stream writes to one client through a ResponseController, so each write
// has its own deadline: a client that stops reading is dropped after
// WriteTimeout instead of holding a goroutine and its buffers forever.
type stream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	obs     Observer
	dirty   bool
	err     error
	// publish times of the deltas in the current batch, observed once
	// they are flushed
	sent [maxCoalesced + 1]time.Time
	n    int
}

func (st *stream) write(b []byte) {
	if st.err != nil {
		return
	}
	if !st.dirty {
		if err := st.rc.SetWriteDeadline(time.Now().Add(st.timeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			st.err = err
			return
		}
	}
	_, st.err = st.w.Write(b)
	st.dirty = true
}

func (st *stream) delta(l *pubsub.Listener, pos *pubsub.Position, f *pubsub.Frame) {
	write, resync := pos.Delta(f)
	if write {
		st.write(f.Bytes)
		if st.n < len(st.sent) {
			st.sent[st.n] = f.PublishedAt
			st.n++
		}
	}
	if resync > 0 {
		l.Resync(resync)
	}
}

// flush sends what was written; false means the client is gone.
func (st *stream) flush() bool {
	if st.err == nil && st.dirty {
		st.err = st.rc.Flush()
		st.dirty = false
	}
	if st.err == nil {
		for _, t := range st.sent[:st.n] {
			st.obs.Delivered(t)
		}
	}
	st.n = 0
	return st.err == nil
}
