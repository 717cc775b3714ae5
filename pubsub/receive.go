package pubsub

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/rooms"
)

// maxConcurrentResyncs bounds the snapshot reads one replica runs at once,
// e.g. right after a Redis reconnect when every room resyncs.
const maxConcurrentResyncs = 32

// receiveLoop reads a shard's connection itself rather than through
// go-redis's Channel(): it sees connection errors (so it knows when to
// resync), it never drops a message for a full channel, and it hands each
// message to the listeners without blocking.
func (h *Hub) receiveLoop(s *shard) {
	var st receiveState
	for h.ctx.Err() == nil {
		h.mu.Lock()
		conn := s.conn
		h.mu.Unlock()
		select {
		case <-conn.ready:
		case <-h.ctx.Done():
			return
		}
		msg, err := conn.ps.ReceiveTimeout(h.ctx, h.cfg.PingInterval)
		if h.ctx.Err() != nil {
			return
		}
		if err != nil {
			h.receiveFailed(s, conn.ps, &st, err)
			continue
		}
		if st.failures > 0 {
			h.log.Info("pubsub connection back", "shard", s.key, "after_failures", st.failures)
			st.failures = 0
		}
		st.pingSent = false
		switch m := msg.(type) {
		case *redis.Subscription:
			h.confirmed(s, m)
		case *redis.Message:
			h.dispatch(m)
		}
	}
}

// receiveState is what a receive loop remembers between messages.
type receiveState struct {
	pingSent bool
	failures int
}

// receiveFailed decides what a failed receive means: a silent connection
// gets a PING, then a replacement; a refused command leaves the
// connection as it is (a MOVED places the rooms again); anything else is
// a lost connection, which resubscribes and resyncs.
func (h *Hub) receiveFailed(s *shard, ps *redis.PubSub, st *receiveState, err error) {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		if st.pingSent {
			// A half-open TCP connection looks silent, not broken.
			h.log.Warn("pubsub connection did not answer a ping; replacing it", "shard", s.key)
			h.replaceShard(s)
			st.pingSent = false
			return
		}
		st.pingSent = ps.Ping(h.ctx) == nil
	case errors.Is(err, redis.ErrClosed):
		// replaced by replaceShard, or the hub is closing
	case isReply(err):
		// Redis refused a command; the connection is fine. A MOVED means
		// the slot has a new owner: place the rooms again.
		h.log.Warn("pubsub command refused", "shard", s.key, "err", err)
		if strings.HasPrefix(err.Error(), "MOVED ") {
			h.replaceShard(s)
		}
	default:
		if st.failures == 0 {
			h.log.Warn("pubsub connection lost; will resubscribe and resync", "shard", s.key, "err", err)
		}
		if h.cluster != nil {
			// The master may have failed over: find the new owners.
			h.replaceShard(s) // counts the reconnect
		} else {
			h.Stats.Reconnects.Add(1)
			h.connectionLost(s)
		}
		st.failures++
		h.pause(min(100*time.Millisecond<<min(st.failures, 5), 2*time.Second))
	}
}

// isReply tells an error reply from Redis (the connection still works)
// from a broken connection.
func isReply(err error) bool {
	var re redis.Error
	return errors.As(err, &re) && !errors.Is(err, redis.ErrClosed)
}

func (h *Hub) pause(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-h.ctx.Done():
	}
}

// connectionLost forgets a shard's in-flight commands: their
// confirmations died with the connection. go-redis re-subscribes the
// wanted channels when it reconnects, and those confirmations trigger
// resyncs in confirmed.
func (h *Hub) connectionLost(s *shard) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, r := range h.rooms {
		if r.shard != s {
			continue
		}
		r.pending = 0
		if len(r.listeners) == 0 {
			delete(h.rooms, id)
		}
	}
}

// confirmed tracks Redis's answers to our subscribe and unsubscribe
// commands. A room is ready once its own subscribe is confirmed; a
// subscribe confirmation nobody waits for is go-redis re-subscribing after
// a reconnect, and anything published meanwhile was lost, so the room
// resyncs.
func (h *Hub) confirmed(s *shard, m *redis.Subscription) {
	id, ok := rooms.RoomOfChannel(m.Channel)
	if !ok {
		return
	}
	isSub := m.Kind == "subscribe" || m.Kind == "ssubscribe"
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[id]
	if r == nil || r.shard != s {
		return
	}
	if m.Kind == "sunsubscribe" && r.pending == 0 && len(r.listeners) > 0 {
		// Nobody asked: the node no longer owns the slot (failover or
		// migration). Place the shard's rooms again.
		h.wg.Add(1)
		go func() { defer h.wg.Done(); h.replaceShard(s) }()
		return
	}
	expected := r.pending > 0
	if expected {
		r.pending--
	}
	if r.pending > 0 {
		return
	}
	if len(r.listeners) == 0 {
		delete(h.rooms, id)
		return
	}
	if !isSub {
		return
	}
	if !r.isReady {
		r.isReady = true
		close(r.ready)
		return
	}
	if !expected {
		h.requestResyncLocked(r, 0, ReasonReconnect)
	}
}

// dispatch frames a delta once and offers it to every local listener of
// its room without blocking.
func (h *Hub) dispatch(m *redis.Message) {
	id, ok := rooms.RoomOfChannel(m.Channel)
	if !ok {
		return
	}
	ev, err := rooms.ParseEvent(m.Payload)
	if err != nil {
		h.log.Warn("ignoring malformed message", "room", menusync.Tag(id), "err", err)
		return
	}
	f := NewFrame(ev.Pos(), ev.Type, ev.Data, ev.PublishedAt)
	f.Closed = ev.Type == menusync.TypeClosed
	if ev.Type == menusync.TypeLeft {
		var who struct {
			MemberID string `json:"memberId"`
		}
		_ = json.Unmarshal(ev.Data, &who)
		f.Subject = who.MemberID
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[id]
	if r == nil || len(r.listeners) == 0 {
		return
	}
	if r.epoch != "" && ev.Epoch != r.epoch {
		// The room's history was rewritten: what listeners hold may be
		// newer than what Redis has. Only a snapshot can tell them.
		h.log.Info("room epoch changed; resyncing its listeners", "room", menusync.Tag(id), "from", r.epoch, "to", ev.Epoch)
		h.Stats.Epochs.Add(1)
		r.epoch, r.last = ev.Epoch, ev.Version
		h.requestResyncLocked(r, ev.Version, ReasonEpoch)
		return
	}
	if ev.Version <= r.last {
		return // already covered by a resync snapshot
	}
	if r.last != 0 && ev.Version > r.last+1 {
		h.Stats.Gaps.Add(1)
		h.requestResyncLocked(r, ev.Version, ReasonGap)
	}
	r.epoch, r.last = ev.Epoch, ev.Version
	var delivered, dropped uint64
	for l := range r.listeners {
		if l.send(f) {
			delivered++
		} else {
			dropped++
		}
	}
	h.Stats.Delivered.Add(delivered)
	if dropped > 0 {
		h.Stats.Dropped.Add(dropped)
		h.requestResyncLocked(r, ev.Version, ReasonSlow)
	}
}

func (h *Hub) requestResync(r *room, min uint64, why string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requestResyncLocked(r, min, why)
}

// requestResyncLocked coalesces requests: one snapshot read per room is
// in flight at a time, and a request that arrives during it causes one
// more read afterwards, so the snapshot always starts after the request.
func (h *Hub) requestResyncLocked(r *room, min uint64, why string) {
	if r.resyncEpoch != r.epoch {
		r.resyncEpoch, r.resyncMin = r.epoch, 0
	}
	r.resyncMin = max(r.resyncMin, min)
	if r.resyncing {
		r.resyncAgain = true
		return
	}
	switch why {
	case ReasonGap:
		h.Stats.ResyncGap.Add(1)
	case ReasonSlow:
		h.Stats.ResyncSlow.Add(1)
	case ReasonReconnect:
		h.Stats.ResyncReconn.Add(1)
	case ReasonEpoch:
		h.Stats.ResyncEpoch.Add(1)
	}
	r.resyncing = true
	h.wg.Add(1)
	go h.resync(r)
}

func (h *Hub) resync(r *room) {
	defer h.wg.Done()
	backoff := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		h.mu.Lock()
		r.resyncAgain = false
		want, wantEpoch, live := r.resyncMin, r.resyncEpoch, len(r.listeners) > 0
		if !live || h.ctx.Err() != nil {
			r.resyncing, r.resyncMin = false, 0
			h.mu.Unlock()
			return
		}
		h.mu.Unlock()

		select {
		case h.resyncSlots <- struct{}{}:
		case <-h.ctx.Done():
			continue
		}
		ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
		f, err := h.SnapshotFrame(ctx, r.id)
		cancel()
		<-h.resyncSlots
		if errors.Is(err, menusync.ErrNotFound) {
			h.closeRoom(r)
			h.mu.Lock()
			r.resyncing, r.resyncMin = false, 0
			h.mu.Unlock()
			return
		}
		if err != nil {
			h.log.Warn("resync failed; retrying", "room", menusync.Tag(r.id), "err", err)
			h.pause(backoff)
			backoff = min(backoff*2, 2*time.Second)
			continue
		}
		h.mu.Lock()
		if f.Epoch != r.epoch {
			// Redis' answer is the truth, even older than what we saw.
			r.epoch, r.last = f.Epoch, f.Version
		} else {
			r.last = max(r.last, f.Version)
		}
		for l := range r.listeners {
			l.offer(f)
		}
		// A version beyond what Redis holds can only come from a stray
		// publisher on our channel; stop chasing it after a few reads.
		done := !r.resyncAgain && (f.Epoch != wantEpoch || f.Version >= want || attempt >= 3)
		if done {
			r.resyncing, r.resyncMin = false, 0
		}
		h.mu.Unlock()
		if done {
			return
		}
	}
}

// expiryLoop closes the streams of rooms that expired in Redis and sweeps
// the presence of the others.
func (h *Hub) expiryLoop() {
	t := time.NewTicker(h.cfg.ExpiryInterval)
	defer t.Stop()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
		h.mu.Lock()
		var live []*room
		for _, r := range h.rooms {
			if len(r.listeners) > 0 {
				live = append(live, r)
			}
		}
		h.mu.Unlock()
		for len(live) > 0 {
			batch := live[:min(len(live), 500)]
			live = live[len(batch):]
			ids := make([]string, len(batch))
			for i, r := range batch {
				ids[i] = r.id
			}
			ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
			exists, err := h.cfg.Store.Exists(ctx, ids...)
			var stale []bool
			if err == nil {
				stale, err = h.cfg.Store.StalePresence(ctx, ids...)
			}
			cancel()
			if err != nil {
				break // Redis is away; try again next tick
			}
			for i, ok := range exists {
				if !ok {
					h.closeRoom(batch[i])
					continue
				}
				if !stale[i] {
					continue
				}
				// Connections of a dead replica stop being renewed; some
				// replica with listeners has to notice and announce it.
				// Checked in one pipeline first: the script is the cost.
				sctx, scancel := context.WithTimeout(h.ctx, 2*time.Second)
				_ = h.cfg.Store.SweepPresence(sctx, batch[i].id)
				scancel()
			}
		}
	}
}

func (h *Hub) closeRoom(r *room) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(r.listeners) > 0 {
		h.Stats.RoomsClosed.Add(1)
	}
	for l := range r.listeners {
		l.close()
	}
}
