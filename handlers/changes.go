package handlers

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

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
	ID    uint64          `json:"id"`
	Event string          `json:"event"`
	Data  json.RawMessage `json:"data"`
}

type changesResponse struct {
	Version uint64   `json:"version"`
	Events  []Change `json:"events"`
}

var errBadAfter = newError(http.StatusBadRequest, "bad_query", "after must be a version (a non-negative integer) and wait a duration of at most 30s, like 25s or 25")

// changes is the stream for clients behind proxies that buffer it: it
// answers at once when the room is past ?after= (with a snapshot), else it
// waits up to ?wait= for the next changes, then answers with what came,
// or with none and the current version.
func (s *Server) changes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := identityFrom(ctx)
	after, wait, err := longPollParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	release, capped := s.acquireStream(s.clientIP(r), id.RoomID)
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
	s.presenceOf(id).alive(ctx, wait+s.cfg.PresenceGrace)
	snap, err := s.hub.SnapshotFrame(ctx, id.RoomID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	answer := func(v uint64, frames ...*pubsub.Frame) {
		out := changesResponse{Version: v, Events: make([]Change, 0, len(frames))}
		for _, f := range frames {
			out.Events = append(out.Events, Change{ID: f.Version, Event: f.Type, Data: f.Data})
		}
		writeJSON(w, http.StatusOK, out)
	}
	if snap.Version != after {
		answer(snap.Version, snap) // behind (or confused): start over from the room
		return
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	pos := pubsub.Position{Version: snap.Version}
	select {
	case <-ctx.Done():
		return
	case <-s.shutdown:
		answer(pos.Version)
	case <-timer.C:
		answer(pos.Version)
	case <-l.Signal():
		if l.Closed() {
			answer(pos.Version, closedEvent(pos.Version))
			return
		}
		if f := l.TakeSnapshot(); f != nil && f.Version > pos.Version {
			answer(f.Version, f)
			return
		}
		answer(pos.Version)
	case f := <-l.Events():
		// Take what is queued right now too, in order; on a gap answer
		// with a fresh snapshot instead.
		var frames []*pubsub.Frame
		for f != nil && len(frames) < maxLongPollEvents {
			if write, resync := pos.Delta(f); write {
				frames = append(frames, f)
			} else if resync > 0 {
				if snap, err := s.hub.SnapshotFrame(ctx, id.RoomID); err == nil {
					answer(snap.Version, snap)
					return
				}
			}
			select {
			case f = <-l.Events():
			default:
				f = nil
			}
		}
		answer(pos.Version, frames...)
	}
}

func longPollParams(r *http.Request) (after uint64, wait time.Duration, err error) {
	q := r.URL.Query()
	if a := q.Get("after"); a != "" {
		if after, err = strconv.ParseUint(a, 10, 64); err != nil {
			return 0, 0, errBadAfter
		}
	}
	wait = DefaultLongPollWait
	if v := q.Get("wait"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			wait = time.Duration(n) * time.Second
		} else if wait, err = time.ParseDuration(v); err != nil {
			return 0, 0, errBadAfter
		}
	}
	if wait < 0 || wait > MaxLongPollWait {
		return 0, 0, errBadAfter
	}
	return after, wait, nil
}
