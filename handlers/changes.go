package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers/stream"
	"github.com/menusync/menusync/pubsub"
)

// Long-poll limits: a wait longer than common proxy timeouts (30 s on
// many) would be cut before it answers.
const (
	DefaultLongPollWait = 25 * time.Second
	MaxLongPollWait     = 30 * time.Second
	maxLongPollEvents   = 256
)

// Change is one event in a long-poll answer: the same id, type and JSON
// data as on the event stream.
type Change struct {
	ID    string          `json:"id"`
	Event string          `json:"event"`
	Data  json.RawMessage `json:"data"`
}

// changesResponse ends at id: the position to poll after next.
type changesResponse struct {
	ID      string   `json:"id"`
	Epoch   string   `json:"epoch"`
	Version uint64   `json:"version"`
	Events  []Change `json:"events"`
}

// changes is the stream for clients behind proxies that buffer it: it
// answers at once when the room is elsewhere than ?after= (with a
// snapshot), else it waits up to ?wait= for the next changes, then
// answers with what came, or with none and the same position.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := identityFrom(ctx)
	after, wait, err := longPollParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.Method == http.MethodHead {
		wait = 0 // nobody will read the answer: do not hold the request
	}
	release, capped := s.acquireStream(s.clientIP(r), id)
	if release == nil {
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
	// A poller is online while it keeps polling.
	s.pollPresence(id).alive(ctx, wait+s.cfg.PresenceGrace)
	snap, err := s.hub.SnapshotFrame(ctx, id.RoomID)
	if err == nil && !snap.HasMember(id.MemberID) {
		err = menusync.ErrMemberNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if snap.Position != after || snap.Closed {
		// behind, another epoch (or confused): start over from the room.
		// A closed table changes no more: its snapshot says so at once,
		// and the client stops polling.
		writeJSON(w, http.StatusOK, changesAt(snap.Position, snap))
		return
	}
	if answer, ok := s.waitForChanges(ctx, l, snap.Position, wait); ok {
		writeJSON(w, http.StatusOK, answer)
	}
}

// waitForChanges waits up to wait for what comes after at: the changes in
// order, a snapshot (a gap, a new epoch), the room's closing, or nothing.
// ok is false when the client left.
func (s *Server) waitForChanges(ctx context.Context, l *pubsub.Listener, at menusync.Position, wait time.Duration) (changesResponse, bool) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	pos := pubsub.Cursor{Position: at}
	select {
	case <-ctx.Done():
		return changesResponse{}, false
	case <-s.shutdown:
	case <-timer.C:
	case <-l.Signal():
		if l.Closed() {
			return changesAt(at, stream.ClosedEvent(at)), true
		}
		if f := l.TakeSnapshot(); f != nil && pos.Replaced(f.Position) {
			return changesAt(f.Position, f), true
		}
	case f := <-l.Events():
		// Take what is queued right now too, in order; on a gap or a new
		// epoch answer with a fresh snapshot instead.
		var frames []*pubsub.Frame
		for f != nil && len(frames) < maxLongPollEvents {
			if write, resync := pos.Delta(f); write {
				frames = append(frames, f)
			} else if resync > 0 {
				if snap, err := s.hub.SnapshotFrame(ctx, l.RoomID()); err == nil {
					return changesAt(snap.Position, snap), true
				}
			}
			select {
			case f = <-l.Events():
			default:
				f = nil
			}
		}
		return changesAt(pos.Position, frames...), true
	}
	return changesAt(at), true
}

// changesAt is an answer that ends at p.
func changesAt(p menusync.Position, frames ...*pubsub.Frame) changesResponse {
	out := changesResponse{ID: p.String(), Epoch: p.Epoch, Version: p.Version, Events: make([]Change, 0, len(frames))}
	for _, f := range frames {
		out.Events = append(out.Events, Change{ID: f.Position.String(), Event: f.Type, Data: f.Data})
	}
	return out
}

// longPollParams reads ?after= (an event id; a bare version or none
// reads as no position, which gets a snapshot) and ?wait=.
func longPollParams(r *http.Request) (after menusync.Position, wait time.Duration, err error) {
	q := r.URL.Query()
	if a := q.Get("after"); a != "" {
		var ok bool
		if after, ok = menusync.ParsePosition(a); !ok {
			return menusync.Position{}, 0, errBadAfter
		}
	}
	wait = DefaultLongPollWait
	if v := q.Get("wait"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			wait = time.Duration(n) * time.Second
		} else if wait, err = time.ParseDuration(v); err != nil {
			return menusync.Position{}, 0, errBadAfter
		}
	}
	if wait < 0 || wait > MaxLongPollWait {
		return menusync.Position{}, 0, errBadAfter
	}
	return after, wait, nil
}
