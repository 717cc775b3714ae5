package pubsub

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/menusync/menusync/rooms"
	"github.com/redis/go-redis/v9"
)

// maxConcurrentResyncs bounds the snapshot reads one replica runs at once,
// e.g. right after a Redis reconnect when every room resyncs.
const maxConcurrentResyncs = 32

// receiveLoop reads the pub/sub connection itself rather than through
// go-redis's Channel(): it sees connection errors (so it knows when to
// resync), it never drops a message for a full channel, and it hands each
// message to the listeners without blocking.
func (h *Hub) receiveLoop() {
	pingSent := false
	failures := 0
	for h.ctx.Err() == nil {
		h.mu.Lock()
		ps := h.ps
		h.mu.Unlock()
		msg, err := ps.ReceiveTimeout(h.ctx, h.cfg.PingInterval)
		if h.ctx.Err() != nil {
			return
		}
		if err != nil {
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				if pingSent {
					// A half-open TCP connection looks silent, not broken.
					h.log.Warn("pubsub connection did not answer a ping; replacing it")
					h.replacePubSub()
					pingSent = false
					continue
				}
				pingSent = ps.Ping(h.ctx) == nil
			case errors.Is(err, redis.ErrClosed):
				// replaced by replacePubSub, or the hub is closing
			default:
				h.Stats.Reconnects.Add(1)
				if failures == 0 {
					h.log.Warn("pubsub connection lost; will resubscribe and resync", "err", err)
				}
				h.connectionLost()
				failures++
				h.pause(min(100*time.Millisecond<<min(failures, 5), 2*time.Second))
			}
			continue
		}
		if failures > 0 {
			h.log.Info("pubsub connection back", "after_failures", failures)
			failures = 0
		}
		pingSent = false
		switch m := msg.(type) {
		case *redis.Subscription:
			h.confirmed(m)
		case *redis.Message:
			h.dispatch(m)
		}
	}
}

func (h *Hub) pause(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-h.ctx.Done():
	}
}

// connectionLost forgets in-flight commands: their confirmations died with
// the connection. go-redis re-subscribes the wanted channels when it
// reconnects, and those confirmations trigger resyncs in confirmed.
func (h *Hub) connectionLost() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, r := range h.rooms {
		r.pending = 0
		if len(r.listeners) == 0 {
			delete(h.rooms, id)
		}
	}
}

func (h *Hub) replacePubSub() {
	h.mu.Lock()
	old := h.ps
	h.ps = h.newPubSub()
	for id, r := range h.rooms {
		r.pending = 0
		if len(r.listeners) == 0 {
			delete(h.rooms, id)
			continue
		}
		// Not counted as pending: the confirmation then reads as a
		// re-subscription and resyncs the room.
		h.enqueueLocked(command{subscribe: true, channel: rooms.Channel(id)})
	}
	h.mu.Unlock()
	h.Stats.Reconnects.Add(1)
	_ = old.Close()
}

// confirmed tracks Redis's answers to our subscribe and unsubscribe
// commands. A room is ready once its own subscribe is confirmed; a
// subscribe confirmation nobody waits for is go-redis re-subscribing after
// a reconnect, and anything published meanwhile was lost, so the room
// resyncs.
func (h *Hub) confirmed(s *redis.Subscription) {
	id, ok := rooms.RoomOfChannel(s.Channel)
	if !ok {
		return
	}
	isSub := s.Kind == "subscribe" || s.Kind == "ssubscribe"
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[id]
	if r == nil {
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
		h.log.Warn("ignoring malformed message", "room", id, "err", err)
		return
	}
	f := NewFrame(ev.Version, ev.Type, ev.Data, ev.PublishedAt)
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[id]
	if r == nil || len(r.listeners) == 0 || ev.Version <= r.last {
		return // nobody here, or already covered by a resync snapshot
	}
	if r.last != 0 && ev.Version > r.last+1 {
		h.Stats.Gaps.Add(1)
		h.requestResyncLocked(r, ev.Version, ReasonGap)
	}
	r.last = ev.Version
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
		want, live := r.resyncMin, len(r.listeners) > 0
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
		if errors.Is(err, rooms.ErrNotFound) {
			h.closeRoom(r)
			h.mu.Lock()
			r.resyncing, r.resyncMin = false, 0
			h.mu.Unlock()
			return
		}
		if err != nil {
			h.log.Warn("resync failed; retrying", "room", r.id, "err", err)
			h.pause(backoff)
			backoff = min(backoff*2, 2*time.Second)
			continue
		}
		h.mu.Lock()
		r.last = max(r.last, f.Version)
		for l := range r.listeners {
			l.offer(f)
		}
		// A version beyond what Redis holds can only come from a stray
		// publisher on our channel; stop chasing it after a few reads.
		done := !r.resyncAgain && (f.Version >= want || attempt >= 3)
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
			cancel()
			if err != nil {
				break // Redis is away; try again next tick
			}
			for i, ok := range exists {
				if !ok {
					h.closeRoom(batch[i])
					continue
				}
				// Connections of a dead replica stop being renewed; some
				// replica with listeners has to notice and announce it.
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
