package pubsub

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync/rooms"
)

// shard is one pub/sub connection and the rooms subscribed on it. A single
// Redis (or a Sentinel-managed one) needs one shard. On a cluster, sharded
// channels can only be subscribed on the master that owns their slot, so
// the hub keeps one shard per master, keyed by its address.
type shard struct {
	key   string
	conn  *psConn
	queue []command // subscribe/unsubscribe commands, sent in order
	kick  chan struct{}
	// replacing coalesces replacement requests (a failover sends one
	// sunsubscribe per room).
	replacing atomic.Bool
}

// psConn is one go-redis PubSub. ready closes once a subscribe was sent on
// it: a cluster PubSub connects to the owner of its first channel, so it
// must not be read (which would connect it to a random node) before that.
type psConn struct {
	ps      *redis.PubSub
	ready   chan struct{}
	isReady bool
}

// markReadyLocked closes ready once (h.mu held).
func (c *psConn) markReadyLocked() {
	if !c.isReady {
		c.isReady = true
		close(c.ready)
	}
}

type command struct {
	subscribe bool
	channel   string
}

func (h *Hub) newConn() *psConn {
	c := &psConn{ready: make(chan struct{})}
	if h.cfg.Sharded {
		c.ps = h.cfg.Client.SSubscribe(h.ctx)
	} else {
		c.ps = h.cfg.Client.Subscribe(h.ctx)
	}
	return c
}

// shardKey names the shard a room belongs on: the address of the master
// owning its channel's slot, or "" without a cluster.
func (h *Hub) shardKey(ctx context.Context, roomID string) (string, error) {
	if h.cluster == nil {
		return "", nil
	}
	node, err := h.cluster.MasterForKey(ctx, rooms.Channel(roomID))
	if err != nil {
		return "", ErrSubscribeTimeout
	}
	return node.Options().Addr, nil
}

// shardLocked returns the shard for key, creating (and, once the hub
// runs, starting) it.
func (h *Hub) shardLocked(key string) *shard {
	s := h.shards[key]
	if s == nil {
		s = &shard{key: key, conn: h.newConn(), kick: make(chan struct{}, 1)}
		h.shards[key] = s
		if h.running {
			h.startShard(s)
		}
	}
	return s
}

func (h *Hub) startShard(s *shard) {
	h.wg.Add(2)
	go func() { defer h.wg.Done(); h.controlLoop(s) }()
	go func() { defer h.wg.Done(); h.receiveLoop(s) }()
}

func (s *shard) enqueueLocked(c command) {
	s.queue = append(s.queue, c)
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// controlLoop sends subscribe/unsubscribe commands in the order they were
// queued, off the callers' path: a slow Redis write never holds the lock
// that fan-out needs.
func (h *Hub) controlLoop(s *shard) {
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-s.kick:
		}
		h.mu.Lock()
		q := s.queue
		s.queue = nil
		conn := s.conn
		h.mu.Unlock()
		for i := 0; i < len(q); {
			j := i
			var chans []string
			for j < len(q) && q[j].subscribe == q[i].subscribe {
				chans = append(chans, q[j].channel)
				j++
			}
			err := h.send(conn.ps, q[i].subscribe, chans)
			if err != nil && h.ctx.Err() == nil {
				// go-redis records the channel set before writing, so the
				// reconnect that follows re-subscribes what is wanted.
				h.log.Warn("pubsub command failed", "subscribe", q[i].subscribe, "channels", len(chans), "shard", s.key, "err", err)
			}
			if q[i].subscribe {
				h.mu.Lock()
				conn.markReadyLocked()
				h.mu.Unlock()
			}
			i = j
		}
	}
}

func (h *Hub) send(ps *redis.PubSub, subscribe bool, chans []string) error {
	ctx, cancel := context.WithTimeout(h.ctx, h.cfg.SubscribeTimeout)
	defer cancel()
	switch {
	case subscribe && !h.cfg.Sharded:
		return ps.Subscribe(ctx, chans...)
	case !h.cfg.Sharded:
		return ps.Unsubscribe(ctx, chans...)
	}
	// One SSUBSCRIBE names channels of one slot only (else CROSSSLOT), so
	// each room gets its own command; they are written without waiting
	// for the confirmations, which arrive through the receive loop.
	var errs []error
	for _, ch := range chans {
		if subscribe {
			errs = append(errs, ps.SSubscribe(ctx, ch))
		} else {
			errs = append(errs, ps.SUnsubscribe(ctx, ch))
		}
	}
	return errors.Join(errs...)
}

// replaceShard gives a shard a fresh connection and subscribes its rooms
// again; their confirmations read as re-subscriptions and resync them. On
// a cluster each room is placed again first, since after a failover or a
// slot migration its channel may be owned by another master.
func (h *Hub) replaceShard(s *shard) {
	if !s.replacing.CompareAndSwap(false, true) {
		return
	}
	defer s.replacing.Store(false)
	if h.cluster != nil {
		h.cluster.ReloadState(h.ctx)
	}
	h.mu.Lock()
	var ids []string // resolved without the lock: it may take a round trip
	for id, r := range h.rooms {
		if r.shard == s && len(r.listeners) > 0 {
			ids = append(ids, id)
		}
	}
	h.mu.Unlock()
	keys := make(map[string]string, len(ids))
	for _, id := range ids {
		ctx, cancel := context.WithTimeout(h.ctx, h.cfg.SubscribeTimeout)
		k, err := h.shardKey(ctx, id)
		cancel()
		if err != nil {
			k = s.key // the new connection still follows its first channel's slot
		}
		keys[id] = k
	}

	h.mu.Lock()
	old := s.conn
	s.conn = h.newConn()
	s.queue = nil
	old.markReadyLocked() // let a receive loop waiting on it move on
	for id, r := range h.rooms {
		if r.shard != s {
			continue
		}
		r.pending = 0
		if len(r.listeners) == 0 {
			delete(h.rooms, id)
			continue
		}
		k, ok := keys[id]
		if !ok {
			k = s.key // joined while we were resolving
		}
		// Not counted as pending: the confirmation then reads as a
		// re-subscription and resyncs the room.
		r.shard = h.shardLocked(k)
		r.shard.enqueueLocked(command{subscribe: true, channel: rooms.Channel(id)})
	}
	h.mu.Unlock()
	h.Stats.Reconnects.Add(1)
	_ = old.ps.Close()
}
