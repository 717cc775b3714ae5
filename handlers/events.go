package handlers

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers/stream"
	"github.com/menusync/menusync/pubsub"
)

// lastEventID reads the resume position from the Last-Event-ID header
// (sent by EventSource on reconnect) or ?lastEventId= (for clients that
// cannot set headers). A bare version (from before epochs) reads as a
// position in no epoch: it always gets a snapshot.
func lastEventID(r *http.Request) (menusync.Position, bool, error) {
	raw := r.Header.Get("Last-Event-ID")
	if raw == "" {
		raw = r.URL.Query().Get("lastEventId")
	}
	if raw == "" {
		return menusync.Position{}, false, nil
	}
	p, ok := menusync.ParsePosition(raw)
	if !ok {
		return menusync.Position{}, false, errBadLastEventID
	}
	return p, true, nil
}

// events streams a room. Subscribe first, then read the snapshot, so no
// change can fall between the two. Then the connection is taken over from
// net/http and one goroutine with a fresh, small stack serves it (package
// stream) until the client leaves, the replica drains, the age limit
// passes or the room closes.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
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
	o, err := s.openStream(w, r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if o == nil {
		return // refused, and answered
	}
	snap, err := s.hub.FirstSnapshot(r.Context(), id.RoomID, o.since)
	if err == nil && !snap.HasMember(id.MemberID) {
		err = menusync.ErrMemberNotFound // left, or taken out: the token no longer works
	}
	var conn net.Conn
	if err == nil {
		// Only HTTP/1.x connections can be taken over; nginx and browsers
		// speak it to us.
		if conn, _, err = http.NewResponseController(w).Hijack(); err != nil {
			err = fmt.Errorf("take over the stream's connection: %w", err)
		}
	}
	if err != nil {
		o.close()
		s.fail(w, r, err)
		return
	}
	s.cfg.Observer.StreamOpened()
	st := stream.New(conn, o.listener, &s.streamCfg, s.shutdown, id.MemberID, snap.Position, snap.Closed)
	st.WriteHeader(w.Header())
	st.Write(stream.RetryHint(s.cfg.Retry))
	if !resumed || last != snap.Position || snap.Closed {
		// Behind, in another epoch, or unknown: one snapshot brings the
		// client current.
		st.Write(snap.Bytes)
	}
	s.streams.add(st)
	go func() {
		defer o.close()
		defer s.streams.remove(st)
		reason := st.Run()
		_ = conn.Close()
		s.cfg.Observer.StreamEnded(reason)
	}()
}

// opening is a stream's hold on the replica while it lives: its slot, its
// caps, its subscription and its presence, undone in reverse by close.
type opening struct {
	listener *pubsub.Listener
	since    time.Time // subscribed and marked present
	undo     []func()
}

func (o *opening) close() {
	for i := len(o.undo) - 1; i >= 0; i-- {
		o.undo[i]()
	}
}

// openStream takes what a stream needs, in order: a slot on the replica,
// a place under the caps, the room's subscription, the member's presence.
// A nil opening with a nil error means the request was refused and
// answered already.
func (s *Server) openStream(w http.ResponseWriter, r *http.Request, id Identity) (*opening, error) {
	if s.draining.Load() {
		s.cfg.Observer.StreamRefused("draining")
		return nil, errDraining
	}
	if n := s.open.Add(1); s.cfg.MaxStreams > 0 && n > s.cfg.MaxStreams {
		s.open.Add(-1)
		s.cfg.Observer.StreamRefused("full")
		return nil, errFull
	}
	o := &opening{}
	o.undo = append(o.undo, func() { s.open.Add(-1); s.checkDrained() })
	release, capped := s.acquireStream(s.clientIP(r), id)
	if release == nil {
		o.close()
		s.cfg.Observer.StreamRefused("capped")
		s.tooMany(w, r, 5*time.Second, capped)
		return nil, nil
	}
	o.undo = append(o.undo, release)
	l, err := s.hub.Listen(r.Context(), id.RoomID)
	if err != nil {
		o.close()
		return nil, err
	}
	o.listener = l
	o.undo = append(o.undo, l.Close)
	// Online before the snapshot, so the snapshot already says so.
	p := s.presenceOf(id)
	p.alive(r.Context(), 3*s.cfg.Heartbeat)
	o.since = time.Now()
	s.renewer.add(p)
	o.undo = append(o.undo, func() { s.renewer.remove(p); p.gone(s.cfg.PresenceGrace) })
	return o, nil
}
