package rooms

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
)

// PublishMode selects the publish command the write scripts use. A single
// Redis (and the embedded store) takes PUBLISH; a Redis Cluster wants
// SPUBLISH so a message stays on its room's shard.
type PublishMode string

const (
	PublishClassic PublishMode = "PUBLISH"
	PublishSharded PublishMode = "SPUBLISH"
)

// Store reads and writes rooms in Redis.
type Store struct {
	rdb     redis.Scripter
	scripts *pipeliner // the write scripts, pipelined
	marks   *pipeliner // presence marks, apart: a storm's thousands never queue ahead of a choice
	reads   *pipeliner // the snapshot script, pipelined apart from the writes
	reader  redis.Cmdable
	publish PublishMode
	now     func() time.Time

	noPin      bool // WithoutPinning
	maxRooms   int  // the room budget; 0: none
	defaultTTL time.Duration
	maxTTL     time.Duration
}

// An Option sets one of the store's limits.
type Option func(*Store)

// WithRoomBudget caps the rooms alive at once across every replica
// (counted in Redis); past it, creating a room fails with ErrBudget.
func WithRoomBudget(rooms int) Option { return func(s *Store) { s.maxRooms = rooms } }

// WithTTL sets a room's lifetime without activity when its creator asks
// for none, and the most they may ask for.
func WithTTL(def, max time.Duration) Option {
	return func(s *Store) { s.defaultTTL, s.maxTTL = def, max }
}

// WithScriptClient runs the scripts through c instead of the store's
// client: one that never resends. go-redis resends a whole pipeline when
// its first reply is a retryable error (LOADING, READONLY, NOREPLICAS) or
// the connection breaks mid-read, so scripts that already ran would run
// again and their callers get the second run's answer (a keyless leave
// that happened answered 404). Without resends such a batch fails as a
// whole: 503, which the API documents as "unknown, retry with the key".
// NOSCRIPT is still answered by loading the script (pipeline.go). Not for
// a cluster: there every script runs on its own, as Script.Run.
func WithScriptClient(c redis.UniversalClient) Option {
	return func(s *Store) {
		s.pipelinesOn(c)
	}
}

// WithoutPinning makes every script ask INFO for its Redis process
// instead of being loaded pinned to it (pins.go): for servers that report
// Redis 7 but keep or copy loaded scripts.
func WithoutPinning() Option {
	return func(s *Store) { s.noPin = true }
}

// pipelinesOn gives the store its three pipelines on rdb, sharing one
// pinner.
func (s *Store) pipelinesOn(rdb redis.UniversalClient) {
	pin := &pinner{rdb: rdb}
	s.scripts = newPipeliner(rdb, writesInFlight, maxBatch, pin)
	s.marks = newPipeliner(rdb, presenceInFlight, maxBatch, pin)
	s.reads = newPipeliner(rdb, readsInFlight, maxReadBatch, pin)
}

// NewStore returns a Store on rdb. now is the clock (time.Now in production).
func NewStore(rdb redis.UniversalClient, publish PublishMode, now func() time.Time, opts ...Option) *Store {
	if now == nil {
		now = time.Now
	}
	s := &Store{rdb: rdb, reader: rdb, publish: publish, now: now, defaultTTL: menusync.DefaultTTL, maxTTL: menusync.MaxTTL}
	s.pipelinesOn(rdb)
	for _, o := range opts {
		o(s)
	}
	s.scripts.pin.noPin = s.noPin // whichever client they run on; the three share it
	return s
}

// idemScope names the idempotency record of a request: per room and per
// member (or "join"), so keys of different clients never meet.
func idemScope(roomID, scope, key string) string {
	return keysOf(roomID).room + ":idem:" + scope + ":" + key
}

type scriptResult struct {
	Result
	extra string
}

// run calls one of the write scripts with the shared calling convention
// (see lua/write.lua).
func (s *Store) run(ctx context.Context, sc *script, roomID, scope string, o WriteOpts, fingerprint, typ, prefix string, extra ...any) (scriptResult, error) {
	if !menusync.ValidRoomID(roomID) {
		return scriptResult{}, menusync.ErrNotFound
	}
	now := s.now()
	var deadline int64
	if !o.Deadline.IsZero() {
		if !now.Before(o.Deadline) {
			return scriptResult{}, menusync.ErrExpired // no need to ask Redis
		}
		deadline = o.Deadline.UnixMilli()
	}
	ttl := o.IdempotencyTTL
	if ttl <= 0 {
		ttl = IdempotencyWindow
	}
	args := make([]any, 0, 9+len(extra))
	args = append(args, string(s.publish), Channel(roomID), now.Unix(), now.UnixMicro(), prefix, menusync.NewEpoch(), deadline, int64(ttl/time.Second))
	args = append(args, extra...)
	args = append(args, fingerprint)
	keys := keysOf(roomID).writeKeys()
	if o.IdempotencyKey != "" {
		keys = append(keys, idemScope(roomID, scope, o.IdempotencyKey))
	}
	res, err := s.scripts.run(ctx, sc, keys, args...)
	if err != nil {
		return scriptResult{}, unavailable(err)
	}
	r, renewed, err := readReply(res)
	if err == nil {
		s.renewed(ctx, roomID, renewed)
	}
	return r, err
}

// scriptStatus are the write scripts' refusals (lua/write.lua), by status.
var scriptStatus = map[int64]error{
	-1:  menusync.ErrNotFound,
	-2:  menusync.ErrMemberNotFound,
	-3:  menusync.ErrUnknownMenuItem,
	-4:  fmt.Errorf("%w: the limit is %d members", menusync.ErrRoomFull, menusync.MaxMembers),
	-5:  menusync.ErrIdempotencyReused,
	-6:  menusync.ErrExpired,
	-7:  menusync.ErrNameTaken,
	-8:  menusync.ErrOrderLocked,
	-9:  menusync.ErrRoomClosed,
	-10: menusync.ErrNotHost,
	-11: errStale,
	-12: menusync.Invalidf("members have named this dish in %d languages, or this table's dishes %d times, already", menusync.MaxNamesPerItem, menusync.MaxDishNamesPerRoom),
	-13: menusync.ErrNoSuchMember,
}

// readReply reads {status, version, changed, extra, replayed, epoch,
// renewed expiry}.
func readReply(res []any) (r scriptResult, renewed int64, err error) {
	status, _ := res[0].(int64)
	if status != 0 {
		if err, ok := scriptStatus[status]; ok {
			return r, 0, err
		}
		return r, 0, fmt.Errorf("unexpected script reply %v", res)
	}
	if len(res) < 7 {
		return r, 0, fmt.Errorf("unexpected script reply %v", res)
	}
	v, _ := res[1].(int64)
	changed, _ := res[2].(int64)
	r.extra, _ = res[3].(string)
	replayed, _ := res[4].(int64)
	r.Epoch, _ = res[5].(string)
	renewed, _ = res[6].(int64)
	r.Version, r.Changed, r.Replayed = uint64(v), changed == 1, replayed == 1
	return r, renewed, nil
}

// Exists reports whether the room is still there (it expires on its own).
func (s *Store) Exists(ctx context.Context, roomIDs ...string) ([]bool, error) {
	pipe := s.reader.Pipeline()
	cmds := make([]*redis.IntCmd, len(roomIDs))
	for i, id := range roomIDs {
		cmds[i] = pipe.Exists(ctx, keysOf(id).room)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, unavailable(err)
	}
	out := make([]bool, len(roomIDs))
	for i, c := range cmds {
		out[i] = c.Val() == 1
	}
	return out, nil
}

func unavailable(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var re redis.Error
	if errors.As(err, &re) && strings.HasPrefix(re.Error(), "OOM ") {
		// maxmemory reached with noeviction: Redis refuses every write
		// (a script as a whole, before it runs).
		return fmt.Errorf("%w: %w", menusync.ErrStoreFull, err)
	}
	return fmt.Errorf("%w: %w", menusync.ErrUnavailable, err)
}

func atoiDefault(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// CountInWindow counts one event under key in the current fixed window of
// the given length and returns the count so far and the time until the
// window ends. Shared by all replicas, e.g. for rooms created per address.
func (s *Store) CountInWindow(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	now := s.now().UnixNano()
	slot := now / int64(window)
	k := "ratelimit:{" + key + "}:" + strconv.FormatInt(slot, 10)
	var incr *redis.IntCmd
	_, err := s.reader.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.Incr(ctx, k)
		p.Expire(ctx, k, 2*window)
		return nil
	})
	if err != nil {
		return 0, 0, unavailable(err)
	}
	return incr.Val(), time.Duration(int64(window) - now%int64(window)), nil
}
