package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/r3labs/sse/v2"
	"gopkg.in/cenkalti/backoff.v1"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client/api"
)

// Event is one event of a room's stream, after it was applied to the
// local state.
type Event struct {
	// Type is the event name: snapshot, choice, member, presence, refresh, closed,
	// or any other name a newer server sends (passed through as is).
	Type     string
	Position menusync.Position // the event id: epoch and version
	Data     json.RawMessage   // the event's JSON as sent
	Choice   *menusync.Choice  // set for choice events
	Member   *menusync.Member  // set for member events
	// Resync marks a snapshot the client fetched itself: after a version
	// gap, or because of a refresh event.
	Resync bool
	// State is the room after this event; the receiver owns this copy.
	State *State
	// Err is set on the last event when watching stopped for good (the
	// token was refused or the room is gone).
	Err error
}

// State is the local copy of a room: the last snapshot with every delta
// since applied the way the server means it (menusync.Snapshot.Apply),
// its Summary (the split) and AllDone kept current.
type State struct {
	menusync.Snapshot
	// Position is what was applied: a snapshot, then deltas in order. A
	// new epoch replaces everything.
	Position menusync.Position
}

func (s *State) clone() *State {
	return &State{Snapshot: *s.Snapshot.Clone(), Position: s.Position}
}

func stateOf(snap *menusync.Snapshot) *State {
	snap.Finish() // the split, computed here as the server does
	return &State{Snapshot: *snap, Position: snap.Pos()}
}

// MaxEventSize bounds one event on the stream; a snapshot of a full room
// (500 dishes, 64 members) stays well below it.
const MaxEventSize = 4 << 20

// Watch follows a room with r3labs/sse's client: it reconnects with
// backoff and resumes with Last-Event-ID, applies snapshots and deltas in
// (epoch, version) order to a local State, and refetches the room on a
// gap, a new epoch or a refresh event. When nothing arrives for two
// heartbeats (a replica frozen, a connection silently dead) it
// reconnects. The channel closes when ctx ends, the room closes, or the
// server refuses the token for good (the last event then has Err set).
func (c *Client) Watch(ctx context.Context, roomID string) (<-chan Event, error) {
	// Fail fast on a bad token or room: the stream would only retry.
	_, heartbeat, err := c.snapshot(ctx, roomID)
	if err != nil {
		return nil, err
	}
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	w := &watcher{c: c, roomID: roomID, out: make(chan Event, 16), alive: make(chan struct{}, 1)}
	ctx, w.cancel = context.WithCancel(ctx)
	sc := sse.NewClient(c.base+"/v1/rooms/"+url.PathEscape(roomID)+"/events", sse.ClientMaxBufferSize(MaxEventSize))
	sc.Connection = c.http
	sc.Headers["Authorization"] = "Bearer " + c.token
	bo := backoff.NewExponentialBackOff()
	bo.InitialInterval, bo.MaxInterval, bo.MaxElapsedTime = 100*time.Millisecond, 5*time.Second, 0
	sc.ResponseValidator = func(_ *sse.Client, resp *http.Response) error {
		if resp.StatusCode == http.StatusOK {
			return nil
		}
		err := fmt.Errorf("stream answered %s", resp.Status)
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound {
			w.fail(&Error{Status: resp.StatusCode})
		}
		resp.Body.Close()
		return err
	}
	go func() {
		defer close(w.out)
		// SubscribeRaw returns when the server ends a stream cleanly (a
		// drain, a maximum age), or when the watchdog gives up on a
		// silent one; reconnect then, as EventSource does.
		for ctx.Err() == nil {
			sub, cancel := context.WithCancel(ctx)
			// The library retries failed connects itself; bound by sub, so
			// that the watchdog's cancel ends those retries too (a connect
			// to a frozen replica never answers) and this loop tries anew.
			sc.ReconnectStrategy = backoff.WithContext(bo, sub)
			stop := w.watchdog(sub, cancel, 2*heartbeat+time.Second)
			_ = sc.SubscribeRawWithContext(sub, func(ev *sse.Event) { w.handle(ctx, ev) })
			stop()
			cancel()
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

// DefaultHeartbeat is assumed when the server does not say its heartbeat.
const DefaultHeartbeat = 15 * time.Second

type watcher struct {
	c      *Client
	roomID string
	out    chan Event
	cancel context.CancelFunc
	state  *State        // touched only by the stream's callback goroutine
	alive  chan struct{} // a sign of life from the stream (any event)

	mu  sync.Mutex
	err error
}

// watchdog cancels a subscription that heard nothing (no event, not even
// a heartbeat) for the given time; the caller stops it when the
// subscription ends.
func (w *watcher) watchdog(ctx context.Context, cancel context.CancelFunc, silence time.Duration) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTimer(silence)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-w.alive:
				t.Reset(silence)
			case <-t.C:
				w.c.Silences.Add(1)
				cancel()
				return
			}
		}
	}()
	return func() { close(done) }
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
	select {
	case w.alive <- struct{}{}:
	default:
	}
	if len(raw.Event) == 0 || ctx.Err() != nil || string(raw.Event) == menusync.TypeHeartbeat {
		return // comments, retry hints, heartbeats
	}
	ev := Event{Type: string(raw.Event), Data: json.RawMessage(slices.Clone(raw.Data))}
	ev.Position, _ = menusync.ParsePosition(string(raw.ID))
	switch ev.Type {
	case menusync.TypeSnapshot:
		var snap menusync.Snapshot
		if err := json.Unmarshal(raw.Data, &snap); err != nil {
			return
		}
		if w.state == nil || w.state.Position.Replaced(snap.Pos()) {
			w.state = stateOf(&snap)
			w.emit(ctx, ev)
		}
		if snap.Room.Closed {
			w.cancel() // a closed table: its stream ends, and so does watching
		}
	case menusync.TypeClosed:
		// The host's close is a change (apply it); an expiry repeats the
		// last id. Either way the room is over.
		if w.state != nil && w.state.Position.Follows(ev.Position) {
			_ = w.state.Apply(ev.Type, raw.Data, ev.Position)
			w.state.Position = ev.Position
		}
		w.emit(ctx, ev)
		w.cancel()
	case menusync.TypeChoice, menusync.TypeMember, menusync.TypeRefresh, menusync.TypePresence, menusync.TypeLeft,
		menusync.TypeRoom, menusync.TypeMenu, menusync.TypeDishName, menusync.TypeDone, menusync.TypeRenamed:
		if w.state == nil || w.state.Position.Covers(ev.Position) {
			return // already applied (a resume or a refetch covered it)
		}
		if !w.state.Position.Follows(ev.Position) || ev.Type == menusync.TypeRefresh {
			w.refetch(ctx, ev) // a gap, another epoch, or asked to
			return
		}
		w.applyDelta(ctx, ev)
	default:
		w.emit(ctx, ev) // unknown to this client: pass it on untouched
	}
}

func (w *watcher) applyDelta(ctx context.Context, ev Event) {
	if err := w.state.Apply(ev.Type, ev.Data, ev.Position); err != nil {
		w.refetch(ctx, ev) // an event this client does not know: fetch the room
		return
	}
	w.state.Position = ev.Position
	selfLeft := false
	switch ev.Type {
	case menusync.TypeChoice:
		var c menusync.Choice
		_ = json.Unmarshal(ev.Data, &c)
		ev.Choice = &c
	case menusync.TypeMember:
		var m menusync.MemberEvent
		_ = json.Unmarshal(ev.Data, &m)
		ev.Member = &m.Member
	case menusync.TypeLeft:
		var l menusync.LeftEvent
		_ = json.Unmarshal(ev.Data, &l)
		selfLeft = l.MemberID == w.c.memberID()
	}
	w.emit(ctx, ev)
	if selfLeft {
		// This member is out: the server refuses the token from now on.
		w.fail(&Error{Status: http.StatusForbidden, Problem: api.Problem{Code: api.ProblemCodeMemberNotFound}})
	}
}

// refetch replaces the state with a fresh snapshot: after a gap (a delta
// that is not the next version), a new epoch, and on refresh events. The
// stream's later deltas up to the snapshot's version are then skipped as
// already applied.
func (w *watcher) refetch(ctx context.Context, ev Event) {
	snap, err := w.c.Snapshot(ctx, w.roomID)
	var apiErr *Error
	switch {
	case errors.As(err, &apiErr) && (apiErr.Status == http.StatusNotFound || apiErr.Status == http.StatusForbidden):
		w.fail(apiErr)
		return
	case err != nil:
		return // the next delta finds the gap again
	}
	if w.state.Position.Replaced(snap.Pos()) {
		w.state = stateOf(snap)
	}
	if ev.Type == menusync.TypeRefresh {
		ev.Resync = true
		w.emit(ctx, ev)
		return
	}
	w.emit(ctx, Event{Type: menusync.TypeSnapshot, Position: w.state.Position, Resync: true})
}
