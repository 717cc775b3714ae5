package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/menusync/menusync/rooms"
	"github.com/r3labs/sse/v2"
	"gopkg.in/cenkalti/backoff.v1"
)

// Event is one event of a room's stream, after it was applied to the
// local state.
type Event struct {
	// Type is the event name: snapshot, choice, member, presence, refresh, closed,
	// or any other name a newer server sends (passed through as is).
	Type    string
	Version uint64          // the event id
	Data    json.RawMessage // the event's JSON as sent
	Choice  *rooms.Choice   // set for choice events
	Member  *rooms.Member   // set for member events
	// Resync marks a snapshot the client fetched itself: after a version
	// gap, or because of a refresh event.
	Resync bool
	// State is the room after this event; the receiver owns this copy.
	State *State
	// Err is set on the last event when watching stopped for good (the
	// token was refused or the room is gone).
	Err error
}

// State is the local copy of a room.
type State struct {
	Room    rooms.Room
	Members []rooms.Member
	Choices []rooms.Choice
	Version uint64
}

// Summary computes the order summary the same way the server does.
func (s *State) Summary() rooms.Summary { return rooms.Summarize(s.Room.Menu, s.Members, s.Choices) }

func (s *State) clone() *State {
	c := *s
	c.Members = slices.Clone(s.Members)
	c.Choices = slices.Clone(s.Choices)
	return &c
}

func stateOf(snap *rooms.Snapshot) *State {
	return &State{Room: snap.Room, Members: snap.Members, Choices: snap.Choices, Version: snap.Version}
}

func (s *State) applyChoice(c rooms.Choice) {
	i := slices.IndexFunc(s.Choices, func(x rooms.Choice) bool { return x.MemberID == c.MemberID && x.MenuID == c.MenuID })
	switch {
	case i >= 0 && c.Quantity == 0:
		s.Choices = slices.Delete(s.Choices, i, i+1)
	case i >= 0:
		s.Choices[i].Quantity = c.Quantity
	case c.Quantity > 0:
		s.Choices = append(s.Choices, c)
	}
}

// MaxEventSize bounds one event on the stream; a snapshot of a full room
// (500 dishes, 64 members) stays well below it.
const MaxEventSize = 4 << 20

// Watch follows a room with r3labs/sse's client: it reconnects with
// backoff and resumes with Last-Event-ID, applies snapshots and deltas in
// version order to a local State, and refetches the room on a gap or a
// refresh event. The channel closes when ctx ends, the room closes, or the
// server refuses the token for good (the last event then has Err set).
func (c *Client) Watch(ctx context.Context, roomID string) (<-chan Event, error) {
	// Fail fast on a bad token or room: the stream would only retry.
	if _, err := c.Snapshot(ctx, roomID); err != nil {
		return nil, err
	}
	w := &watcher{c: c, roomID: roomID, out: make(chan Event, 16)}
	ctx, w.cancel = context.WithCancel(ctx)
	sc := sse.NewClient(c.base+"/v1/rooms/"+url.PathEscape(roomID)+"/events", sse.ClientMaxBufferSize(MaxEventSize))
	sc.Connection = c.http
	sc.Headers["Authorization"] = "Bearer " + c.token
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval, bo.MaxInterval, bo.MaxElapsedTime = 100*time.Millisecond, 5*time.Second, 0
	sc.ReconnectStrategy = backoff.WithContext(bo, ctx)
	sc.ResponseValidator = func(_ *sse.Client, resp *http.Response) error {
		if resp.StatusCode == http.StatusOK {
			return nil
		}
		err := fmt.Errorf("menusync: stream answered %s", resp.Status)
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound {
			w.fail(&Error{Status: resp.StatusCode})
		}
		resp.Body.Close()
		return err
	}
	go func() {
		defer close(w.out)
		// SubscribeRaw returns when the server ends a stream cleanly (a
		// drain, a maximum age); reconnect then, as EventSource does.
		for ctx.Err() == nil {
			_ = sc.SubscribeRawWithContext(ctx, func(ev *sse.Event) { w.handle(ctx, ev) })
			t := time.NewTimer(bo.NextBackOff())
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
		}
		w.mu.Lock()
		err := w.err
		w.mu.Unlock()
		if err != nil {
			w.out <- Event{Type: "error", Err: err}
		}
	}()
	return w.out, nil
}

type watcher struct {
	c      *Client
	roomID string
	out    chan Event
	cancel context.CancelFunc
	state  *State // touched only by the stream's callback goroutine

	mu  sync.Mutex
	err error
}

func (w *watcher) fail(err error) {
	w.mu.Lock()
	w.err = err
	w.mu.Unlock()
	w.cancel()
}

func (w *watcher) emit(ctx context.Context, ev Event) {
	if w.state != nil {
		ev.State = w.state.clone()
	}
	select {
	case w.out <- ev:
	case <-ctx.Done():
	}
}

func (w *watcher) handle(ctx context.Context, raw *sse.Event) {
	if len(raw.Event) == 0 || ctx.Err() != nil {
		return // comments, retry hints
	}
	ev := Event{Type: string(raw.Event), Data: json.RawMessage(slices.Clone(raw.Data))}
	ev.Version, _ = strconv.ParseUint(string(raw.ID), 10, 64)
	switch ev.Type {
	case rooms.TypeSnapshot:
		var snap rooms.Snapshot
		if err := json.Unmarshal(raw.Data, &snap); err != nil {
			return
		}
		if w.state == nil || snap.Version > w.state.Version {
			w.state = stateOf(&snap)
			w.emit(ctx, ev)
		}
	case rooms.TypeChoice, rooms.TypeMember, rooms.TypeRefresh, rooms.TypePresence:
		if w.state == nil || ev.Version <= w.state.Version {
			return // already applied (a resume or a refetch covered it)
		}
		if ev.Version > w.state.Version+1 || ev.Type == rooms.TypeRefresh {
			w.refetch(ctx, ev)
			return
		}
		w.applyDelta(ctx, ev)
	case rooms.TypeClosed:
		w.emit(ctx, ev)
		w.cancel()
	default:
		w.emit(ctx, ev) // unknown to this client: pass it on untouched
	}
}

func (w *watcher) applyDelta(ctx context.Context, ev Event) {
	switch ev.Type {
	case rooms.TypeChoice:
		var c rooms.Choice
		if json.Unmarshal(ev.Data, &c) != nil {
			return
		}
		w.state.applyChoice(c)
		ev.Choice = &c
	case rooms.TypeMember:
		var m struct{ Member rooms.Member }
		if json.Unmarshal(ev.Data, &m) != nil {
			return
		}
		w.state.Members = append(w.state.Members, m.Member)
		ev.Member = &m.Member
	case rooms.TypePresence:
		var p struct {
			MemberID string `json:"memberId"`
			Online   bool   `json:"online"`
		}
		if json.Unmarshal(ev.Data, &p) != nil {
			return
		}
		for i := range w.state.Members {
			if w.state.Members[i].ID == p.MemberID {
				w.state.Members[i].Online = p.Online
				ev.Member = &w.state.Members[i]
			}
		}
	}
	w.state.Version = ev.Version
	w.state.Room.Version = ev.Version
	w.emit(ctx, ev)
}

// refetch replaces the state with a fresh snapshot: after a gap (a delta
// that is not the next version) and on refresh events. The stream's later
// deltas up to the snapshot's version are then skipped as already applied.
func (w *watcher) refetch(ctx context.Context, ev Event) {
	snap, err := w.c.Snapshot(ctx, w.roomID)
	var apiErr *Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound:
		w.fail(apiErr)
		return
	case err != nil:
		return // the next delta finds the gap again
	}
	if snap.Version > w.state.Version {
		w.state = stateOf(snap)
	}
	if ev.Type == rooms.TypeRefresh {
		ev.Resync = true
		w.emit(ctx, ev)
		return
	}
	w.emit(ctx, Event{Type: rooms.TypeSnapshot, Version: w.state.Version, Resync: true})
}
