package pubsub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/menusync/menusync/rooms"
	"github.com/redis/go-redis/v9"
)

// Store is what the hub needs from the room store.
type Store interface {
	Snapshot(ctx context.Context, roomID string) (*rooms.Snapshot, error)
	Exists(ctx context.Context, roomIDs ...string) ([]bool, error)
	SweepPresence(ctx context.Context, roomID string) error
}

// Resync reasons, also used as metric labels.
const (
	ReasonGap       = "gap"
	ReasonReconnect = "reconnect"
	ReasonSlow      = "slow"
)

// ErrSubscribeTimeout means Redis did not confirm a subscription in time.
var ErrSubscribeTimeout = errors.New("pubsub: subscription not confirmed in time")

// Config holds the hub's collaborators and tunables. Zero durations and
// sizes take the defaults shown.
type Config struct {
	Client  redis.UniversalClient
	Store   Store
	Logger  *slog.Logger
	Sharded bool // SSUBSCRIBE instead of SUBSCRIBE (Redis Cluster)
	// BufferSize is each listener's queue of deltas (32).
	BufferSize int
	// PingInterval: a pub/sub connection silent this long gets a PING, and
	// one silent twice as long is replaced (5s).
	PingInterval time.Duration
	// ExpiryInterval is how often rooms with listeners are checked for
	// expiry (5s).
	ExpiryInterval time.Duration
	// SubscribeTimeout bounds the wait for Redis to confirm a subscription (5s).
	SubscribeTimeout time.Duration
}

// Hub owns the replica's pub/sub connection and its local listeners.
type Hub struct {
	cfg Config
	log *slog.Logger

	mu    sync.Mutex
	ps    *redis.PubSub
	rooms map[string]*room
	queue []command // subscribe/unsubscribe commands, sent in order
	kick  chan struct{}

	resyncSlots chan struct{}

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	Stats Stats
}

// Stats are counters for metrics and tests.
type Stats struct {
	Delivered     atomic.Uint64
	Dropped       atomic.Uint64 // deltas not queued because a buffer was full
	Gaps          atomic.Uint64
	Reconnects    atomic.Uint64
	ResyncGap     atomic.Uint64
	ResyncSlow    atomic.Uint64
	ResyncReconn  atomic.Uint64
	RoomsClosed   atomic.Uint64
	SnapshotReads atomic.Uint64
}

type room struct {
	id        string
	listeners map[*Listener]struct{}
	pending   int // subscribe/unsubscribe commands not yet confirmed
	ready     chan struct{}
	isReady   bool
	last      uint64 // newest version seen on the channel or in a resync

	resyncing   bool
	resyncAgain bool
	resyncMin   uint64
	resyncWhy   string
}

type command struct {
	subscribe bool
	channel   string
}

// New returns a hub; call Run to start it.
func New(cfg Config) *Hub {
	if cfg.BufferSize <= 0 {
		cfg.BufferSize = 32
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 5 * time.Second
	}
	if cfg.ExpiryInterval <= 0 {
		cfg.ExpiryInterval = 5 * time.Second
	}
	if cfg.SubscribeTimeout <= 0 {
		cfg.SubscribeTimeout = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &Hub{cfg: cfg, log: cfg.Logger, rooms: map[string]*room{}, kick: make(chan struct{}, 1), resyncSlots: make(chan struct{}, maxConcurrentResyncs), ctx: ctx, cancel: cancel}
	h.ps = h.newPubSub()
	return h
}

func (h *Hub) newPubSub() *redis.PubSub {
	if h.cfg.Sharded {
		return h.cfg.Client.SSubscribe(h.ctx)
	}
	return h.cfg.Client.Subscribe(h.ctx)
}

// Run receives from Redis until ctx ends or Close is called.
func (h *Hub) Run(ctx context.Context) {
	h.wg.Add(2)
	go func() { defer h.wg.Done(); h.controlLoop() }()
	go func() { defer h.wg.Done(); h.expiryLoop() }()
	stop := context.AfterFunc(ctx, h.cancel)
	defer stop()
	h.receiveLoop()
}

// Close stops the hub and closes its Redis connection. Listeners get
// nothing more; their owners are expected to be gone already.
func (h *Hub) Close() error {
	h.cancel()
	h.mu.Lock()
	ps := h.ps
	h.mu.Unlock()
	err := ps.Close()
	h.wg.Wait()
	return err
}

// Listen registers a listener for roomID and returns once Redis has
// confirmed the room's subscription, so that a snapshot read afterwards
// cannot miss a change: anything newer arrives through the listener.
func (h *Hub) Listen(ctx context.Context, roomID string) (*Listener, error) {
	h.mu.Lock()
	r := h.rooms[roomID]
	if r == nil {
		r = &room{id: roomID, listeners: map[*Listener]struct{}{}, ready: make(chan struct{})}
		h.rooms[roomID] = r
	}
	l := newListener(h, r, h.cfg.BufferSize)
	if len(r.listeners) == 0 {
		// First listener: subscribe, again if an unsubscribe is in flight,
		// and wait for this subscription's own confirmation.
		if r.isReady {
			r.isReady, r.ready = false, make(chan struct{})
		}
		h.enqueueLocked(command{subscribe: true, channel: rooms.Channel(roomID)})
		r.pending++
	}
	r.listeners[l] = struct{}{}
	ready := r.ready
	h.mu.Unlock()

	timer := time.NewTimer(h.cfg.SubscribeTimeout)
	defer timer.Stop()
	select {
	case <-ready:
		return l, nil
	case <-ctx.Done():
		l.Close()
		return nil, ctx.Err()
	case <-timer.C:
		l.Close()
		return nil, ErrSubscribeTimeout
	case <-h.ctx.Done():
		l.Close()
		return nil, ErrSubscribeTimeout
	}
}

func (h *Hub) remove(l *Listener) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := l.room
	if _, ok := r.listeners[l]; !ok {
		return
	}
	delete(r.listeners, l)
	if len(r.listeners) == 0 {
		h.enqueueLocked(command{subscribe: false, channel: rooms.Channel(r.id)})
		r.pending++
	}
}

func (h *Hub) enqueueLocked(c command) {
	h.queue = append(h.queue, c)
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// controlLoop sends subscribe/unsubscribe commands in the order they were
// queued, off the callers' path: a slow Redis write never holds the lock
// that fan-out needs.
func (h *Hub) controlLoop() {
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-h.kick:
		}
		h.mu.Lock()
		q := h.queue
		h.queue = nil
		ps := h.ps
		h.mu.Unlock()
		for i := 0; i < len(q); {
			j := i
			var chans []string
			for j < len(q) && q[j].subscribe == q[i].subscribe {
				chans = append(chans, q[j].channel)
				j++
			}
			if err := h.send(ps, q[i].subscribe, chans); err != nil && h.ctx.Err() == nil {
				// go-redis records the channel set before writing, so the
				// reconnect that follows re-subscribes what is wanted.
				h.log.Warn("pubsub command failed", "subscribe", q[i].subscribe, "channels", len(chans), "err", err)
			}
			i = j
		}
	}
}

func (h *Hub) send(ps *redis.PubSub, subscribe bool, chans []string) error {
	ctx, cancel := context.WithTimeout(h.ctx, h.cfg.SubscribeTimeout)
	defer cancel()
	switch {
	case subscribe && h.cfg.Sharded:
		return ps.SSubscribe(ctx, chans...)
	case subscribe:
		return ps.Subscribe(ctx, chans...)
	case h.cfg.Sharded:
		return ps.SUnsubscribe(ctx, chans...)
	default:
		return ps.Unsubscribe(ctx, chans...)
	}
}

// RoomCount returns the rooms with local listeners and the listeners.
func (h *Hub) RoomCount() (roomsWithListeners, listeners int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.rooms {
		if len(r.listeners) > 0 {
			roomsWithListeners++
			listeners += len(r.listeners)
		}
	}
	return
}

// SnapshotFrame reads a room and frames it as a snapshot event.
func (h *Hub) SnapshotFrame(ctx context.Context, roomID string) (*Frame, error) {
	h.Stats.SnapshotReads.Add(1)
	snap, err := h.cfg.Store.Snapshot(ctx, roomID)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(snap)
	if err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	return NewFrame(snap.Version, rooms.TypeSnapshot, data, time.Time{}), nil
}
