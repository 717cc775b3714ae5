package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
)

// maxCoalesced bounds how many queued deltas one flush writes, so a busy
// room cannot starve the heartbeat or the shutdown check.
const maxCoalesced = 64

var errBadLastEventID = newError(http.StatusBadRequest, "bad_last_event_id", "Last-Event-ID must be an event id, <epoch>.<version>")

// lastEventID reads the resume position from the Last-Event-ID header
// (sent by EventSource on reconnect) or ?lastEventId= (for clients that
// cannot set headers). A bare version (from before epochs) reads as a
// position in no epoch: it always gets a snapshot.
func lastEventID(r *http.Request) (rooms.Position, bool, error) {
	raw := r.Header.Get("Last-Event-ID")
	if raw == "" {
		raw = r.URL.Query().Get("lastEventId")
	}
	if raw == "" {
		return rooms.Position{}, false, nil
	}
	p, ok := rooms.ParsePosition(raw)
	if !ok {
		return rooms.Position{}, false, errBadLastEventID
	}
	return p, true, nil
}

// Reasons a stream ends, as counted in metrics.
const (
	endClient     = "client"
	endDrain      = "drain"
	endMaxAge     = "max_age"
	endClosed     = "room_closed"
	endWriteError = "write_failed"
	endRemoved    = "member_left"
	endClientData = "client_sent_data"
)

// events streams a room. Subscribe first, then read the snapshot, so no
// change can fall between the two. Then the connection is taken over from
// net/http (see stream.go) and one goroutine with a fresh, small stack
// serves it until the client leaves, the replica drains, the age limit
// passes or the room closes.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := identityFrom(ctx)
	last, resumed, err := lastEventID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.Method == http.MethodHead {
		// What a GET would start with, without starting a stream.
		h := w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Accel-Buffering", "no")
		w.WriteHeader(http.StatusOK)
		return
	}
	if s.draining.Load() {
		s.cfg.Observer.StreamRefused("draining")
		s.fail(w, r, errDraining)
		return
	}
	// Undone in reverse when the stream ends, by whichever goroutine ends it.
	var undo []func()
	cleanup := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	handedOff := false
	defer func() {
		if !handedOff {
			cleanup()
		}
	}()
	if n := s.open.Add(1); s.cfg.MaxStreams > 0 && n > s.cfg.MaxStreams {
		s.open.Add(-1)
		s.cfg.Observer.StreamRefused("full")
		s.fail(w, r, errFull)
		return
	}
	undo = append(undo, func() {
		s.open.Add(-1)
		s.checkDrained()
	})
	release, capped := s.acquireStream(s.clientIP(r), id)
	if release == nil {
		s.cfg.Observer.StreamRefused("capped")
		s.tooMany(w, r, 5*time.Second, capped)
		return
	}
	undo = append(undo, release)
	l, err := s.hub.Listen(ctx, id.RoomID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	undo = append(undo, l.Close)
	// Online before the snapshot, so the snapshot already says so.
	p := s.presenceOf(id)
	p.alive(ctx, 3*s.cfg.Heartbeat)
	subscribedAndPresent := time.Now()
	s.renewer.add(p)
	undo = append(undo, func() {
		s.renewer.remove(p)
		p.gone(s.cfg.PresenceGrace)
	})
	snap, err := s.hub.FirstSnapshot(ctx, id.RoomID, subscribedAndPresent)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !snap.HasMember(id.MemberID) {
		s.fail(w, r, rooms.ErrMemberNotFound) // left, or taken out: the token no longer works
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Only HTTP/1.x connections can be taken over; nginx and browsers
		// speak it to us.
		s.fail(w, r, fmt.Errorf("take over the stream's connection: %w", err))
		return
	}
	handedOff = true
	s.cfg.Observer.StreamOpened()
	st := newStream(s, conn, l, id.MemberID)
	st.writeHeader(w.Header())
	st.write(retryHint(s.cfg.Retry))
	if !resumed || last != snap.Position {
		// Behind, in another epoch, or unknown: one snapshot brings the
		// client current.
		st.write(snap.Bytes)
	}
	st.pos = pubsub.Cursor{Position: snap.Position}
	go func() {
		defer cleanup()
		defer s.streams.remove(st)
		reason := endWriteError
		if st.flush() {
			reason = st.run()
		}
		_ = conn.Close()
		s.cfg.Observer.StreamEnded(reason)
	}()
}

func retryHint(d time.Duration) []byte {
	return []byte("retry: " + strconv.FormatInt(d.Milliseconds(), 10) + "\n\n")
}

// closedEvent tells a client the room is gone. It repeats the last
// position as its id: closing is not a change of the room.
func closedEvent(p rooms.Position) *pubsub.Frame {
	data := []byte(`{"reason":"expired","version":` + strconv.FormatUint(p.Version, 10) + `,"epoch":"` + p.Epoch + `"}`)
	return pubsub.NewFrame(p, rooms.TypeClosed, data, time.Time{})
}
