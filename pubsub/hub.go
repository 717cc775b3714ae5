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

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/rooms"
)

// Store is what the hub needs from the room store.
type Store interface {
	Snapshot(ctx context.Context, roomID string) (*menusync.Snapshot, error)
	Exists(ctx context.Context, roomIDs ...string) ([]bool, error)
	StalePresence(ctx context.Context, roomIDs ...string) ([]bool, error)
	SweepPresence(ctx context.Context, roomID string) error
}

// Resync reasons, also used as metric labels.
const (
	ReasonGap       = "gap"
	ReasonReconnect = "reconnect"
	ReasonSlow      = "slow"
	ReasonEpoch     = "epoch"
)

// ErrSubscribeTimeout means Redis did not confirm a subscription in time.
var ErrSubscribeTimeout = errors.New("pubsub: subscription not confirmed in time")

// Config holds the hub's collaborators and tunables. Zero durations and
// sizes take the defaults shown.
type Config struct {
	Client redis.UniversalClient
	Store  Store
	Logger *slog.Logger
	// Sharded uses SSUBSCRIBE instead of SUBSCRIBE (Redis Cluster). With a
	// *redis.ClusterClient the hub keeps one pub/sub connection per master
	// and subscribes each room on the master that owns its slot.
	Sharded bool
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

// Hub owns the replica's pub/sub connections (one, or one per cluster
// master) and its local listeners.
type Hub struct {
	cfg     Config
	log     *slog.Logger
	cluster *redis.ClusterClient // nil unless sharding over a cluster

	mu      sync.Mutex
	shards  map[string]*shard // by master address; "" when not a cluster
	rooms   map[string]*room
	running bool

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
	ResyncEpoch   atomic.Uint64
	Epochs        atomic.Uint64 // epoch changes seen on a channel
	RoomsClosed   atomic.Uint64
	SnapshotReads atomic.Uint64
}

type room struct {
	id        string
	shard     *shard
	listeners map[*Listener]struct{}
	pending   int // subscribe/unsubscribe commands not yet confirmed
	ready     chan struct{}
	isReady   bool
	// The newest position seen on the channel or in a resync. An event of
	// another epoch than this one means the room's history changed (Redis
	// came back older): its listeners then get a snapshot, whatever its
	// version.
	epoch string
	last  uint64

	// First-snapshot reads shared by new streams (firstsnapshot.go):
	// the one running, and the one to start when it ends.
	snap, nextSnap *snapCall

	resyncing   bool
	resyncAgain bool
	resyncMin   uint64 // in resyncEpoch
	resyncEpoch string
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
	h := &Hub{cfg: cfg, log: cfg.Logger, shards: map[string]*shard{}, rooms: map[string]*room{}, resyncSlots: make(chan struct{}, maxConcurrentResyncs), ctx: ctx, cancel: cancel}
	if cc, ok := cfg.Client.(*redis.ClusterClient); ok && cfg.Sharded {
		h.cluster = cc
	}
	return h
}

// Run receives from Redis until ctx ends or Close is called.
func (h *Hub) Run(ctx context.Context) {
	h.mu.Lock()
	h.running = true
	for _, s := range h.shards {
		h.startShard(s)
	}
	h.mu.Unlock()
	h.wg.Add(1)
	go func() { defer h.wg.Done(); h.expiryLoop() }()
	stop := context.AfterFunc(ctx, h.cancel)
	defer stop()
	<-h.ctx.Done()
}

// Close stops the hub and closes its Redis connections. Listeners get
// nothing more; their owners are expected to be gone already.
func (h *Hub) Close() error {
	h.cancel()
	h.mu.Lock()
	var errs []error
	for _, s := range h.shards {
		errs = append(errs, s.conn.ps.Close())
	}
	h.mu.Unlock()
	h.wg.Wait()
	return errors.Join(errs...)
}

// Listen registers a listener for roomID and returns once Redis has
// confirmed the room's subscription, so that a snapshot read afterwards
// cannot miss a change: anything newer arrives through the listener.
func (h *Hub) Listen(ctx context.Context, roomID string) (*Listener, error) {
	key, err := h.shardKey(ctx, roomID)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	r := h.rooms[roomID]
	if r == nil {
		r = &room{id: roomID, shard: h.shardLocked(key), listeners: map[*Listener]struct{}{}, ready: make(chan struct{})}
		h.rooms[roomID] = r
	}
	l := newListener(h, r, h.cfg.BufferSize)
	if len(r.listeners) == 0 {
		// First listener: subscribe, again if an unsubscribe is in flight,
		// and wait for this subscription's own confirmation.
		if r.isReady {
			r.isReady, r.ready = false, make(chan struct{})
		}
		r.shard.enqueueLocked(command{subscribe: true, channel: rooms.Channel(roomID)})
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
		r.shard.enqueueLocked(command{subscribe: false, channel: rooms.Channel(r.id)})
		r.pending++
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
	f := NewFrame(snap.Pos(), menusync.TypeSnapshot, data, time.Time{})
	f.Closed = snap.Room.Closed
	f.Members = make([]string, len(snap.Members))
	for i, m := range snap.Members {
		f.Members[i] = m.ID
	}
	return f, nil
}
