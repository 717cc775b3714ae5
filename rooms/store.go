package rooms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	reader  redis.Cmdable
	publish PublishMode
	now     func() time.Time

	maxRooms   int // the room budget; 0: none
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

// NewStore returns a Store on rdb. now is the clock (time.Now in production).
func NewStore(rdb redis.UniversalClient, publish PublishMode, now func() time.Time, opts ...Option) *Store {
	if now == nil {
		now = time.Now
	}
	s := &Store{rdb: rdb, reader: rdb, publish: publish, now: now, defaultTTL: menusync.DefaultTTL, maxTTL: menusync.MaxTTL}
	for _, o := range opts {
		o(s)
	}
	return s
}

// budgetKey holds the live rooms by expiry, in a slot of its own.
const budgetKey = "menusync:{budget}:rooms"

// reserve takes a place in the room budget for a new room.
func (s *Store) reserve(ctx context.Context, id string, expires time.Time) error {
	if s.maxRooms <= 0 {
		return nil
	}
	ok, err := budgetScript.Run(ctx, s.rdb, []string{budgetKey}, s.now().UnixMilli(), s.maxRooms, id, expires.UnixMilli()).Int()
	if err != nil {
		return unavailable(err)
	}
	if ok != 1 {
		return fmt.Errorf("%w: %d rooms are open", menusync.ErrBudget, s.maxRooms)
	}
	return nil
}

// renewed moves a room's place in the budget after its TTL was renewed.
func (s *Store) renewed(ctx context.Context, id string, expires int64) {
	if s.maxRooms <= 0 || expires == 0 {
		return
	}
	_ = s.reader.ZAddXX(context.WithoutCancel(ctx), budgetKey, redis.Z{Score: float64(expires * 1000), Member: id}).Err()
}

// Create opens a new room with a fresh unguessable id.
func (s *Store) Create(ctx context.Context, in CreateInput) (menusync.Room, error) {
	menu, err := menusync.ValidateMenu(in.Menu)
	if err != nil {
		return menusync.Room{}, err
	}
	ttl, err := s.validTTL(in.TTL)
	if err != nil {
		return menusync.Room{}, err
	}
	menuJSON, err := json.Marshal(menu)
	if err != nil {
		return menusync.Room{}, fmt.Errorf("encode menu: %w", err)
	}
	id := menusync.NewRoomID()
	if in.IdempotencyKey != "" {
		sum := sha256.Sum256(append(menuJSON, strconv.FormatInt(int64(ttl), 10)...))
		prev, replay, err := s.claimCreate(ctx, in.IdempotencyKey, id, hex.EncodeToString(sum[:16]))
		if err != nil || replay {
			return prev, err
		}
	}
	now := s.now().Truncate(time.Second)
	if err := s.reserve(ctx, id, now.Add(ttl)); err != nil {
		if in.IdempotencyKey != "" {
			s.reader.Del(context.WithoutCancel(ctx), createKey(in.IdempotencyKey)) // let a retry try again
		}
		return menusync.Room{}, err
	}
	epoch := menusync.NewEpoch()
	args := make([]any, 0, 4+len(menu))
	args = append(args, menuJSON, now.Unix(), int64(ttl.Seconds()), epoch)
	for _, it := range menu {
		args = append(args, it.ID)
	}
	k := keysOf(id)
	created, err := createScript.Run(ctx, s.rdb, []string{k.room, k.items}, args...).Int()
	if err != nil {
		if in.IdempotencyKey != "" {
			s.reader.Del(context.WithoutCancel(ctx), createKey(in.IdempotencyKey)) // let a retry try again
		}
		if s.maxRooms > 0 {
			s.reader.ZRem(context.WithoutCancel(ctx), budgetKey, id)
		}
		return menusync.Room{}, unavailable(err)
	}
	if created != 1 {
		// 128 random bits collided: treat as an internal fault, not a retry loop.
		return menusync.Room{}, fmt.Errorf("room id collision for %s", id)
	}
	return menusync.Room{ID: id, Epoch: epoch, Menu: menu, CreatedAt: now.UTC(), ExpiresAt: now.Add(ttl).UTC(), Version: 1}, nil
}

func createKey(key string) string { return "idem:{create:" + key + "}" }

// claimCreate records that key creates room id (for 10 minutes). When
// the key was claimed already, it returns that room instead, waiting a
// moment if the first request is still creating it.
func (s *Store) claimCreate(ctx context.Context, key, id, fingerprint string) (menusync.Room, bool, error) {
	k := createKey(key)
	ok, err := s.reader.SetNX(ctx, k, id+"|"+fingerprint, 10*time.Minute).Result()
	if err != nil {
		return menusync.Room{}, false, unavailable(err)
	}
	if ok {
		return menusync.Room{}, false, nil
	}
	prev, err := s.reader.Get(ctx, k).Result()
	if err != nil {
		return menusync.Room{}, true, unavailable(err)
	}
	prevID, prevFP, _ := strings.Cut(prev, "|")
	if prevFP != fingerprint {
		return menusync.Room{}, true, menusync.ErrIdempotencyReused
	}
	for range 20 {
		snap, err := s.Snapshot(ctx, prevID)
		if err == nil {
			snap.Room.Replayed = true
			return snap.Room, true, nil
		}
		if !errors.Is(err, menusync.ErrNotFound) {
			return menusync.Room{}, true, err
		}
		select {
		case <-ctx.Done():
			return menusync.Room{}, true, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return menusync.Room{}, true, fmt.Errorf("%w: the first request with this key did not finish", menusync.ErrUnavailable)
}

// Join adds a member to a room. A retry with the same idempotency key
// returns the member the first call created.
func (s *Store) Join(ctx context.Context, roomID, name string, o WriteOpts) (menusync.Member, Result, error) {
	name, err := menusync.CleanMemberName(name)
	if err != nil {
		return menusync.Member{}, Result{}, err
	}
	id := menusync.NewMemberID()
	esc, err := json.Marshal(name)
	if err != nil {
		return menusync.Member{}, Result{}, fmt.Errorf("encode name: %w", err)
	}
	roomForNumber := "0"
	if utf8.RuneCountInString(name)+3 <= menusync.MaxMemberNameLen { // " 64"
		roomForNumber = "1"
	}
	r, err := s.run(ctx, joinScript, roomID, "join", o, name, menusync.TypeMember, "", id, string(esc[1:len(esc)-1]), menusync.NameKey(name), menusync.MaxMembers, roomForNumber)
	if err != nil {
		return menusync.Member{}, Result{}, err
	}
	var m menusync.Member
	if err := json.Unmarshal([]byte(r.extra), &m); err != nil {
		return menusync.Member{}, Result{}, fmt.Errorf("joined member: %w", err)
	}
	return m, r.Result, nil
}

// SetChoice sets memberID's quantity of menuID; quantity 0 removes it.
func (s *Store) SetChoice(ctx context.Context, roomID, memberID, menuID string, quantity int, o WriteOpts) (ChoiceResult, error) {
	if err := menusync.ValidQuantity(quantity); err != nil {
		return ChoiceResult{}, err
	}
	if menuID == "" {
		return ChoiceResult{}, menusync.Invalidf("menuId is required")
	}
	if menusync.CheckItemID(menuID) != nil {
		return ChoiceResult{}, fmt.Errorf("%w: %q", menusync.ErrUnknownMenuItem, menuID)
	}
	c := menusync.Choice{MenuID: menuID, MemberID: memberID, Quantity: quantity}
	cj, err := json.Marshal(c)
	if err != nil {
		return ChoiceResult{}, fmt.Errorf("encode choice: %w", err)
	}
	prefix := string(cj[:len(cj)-1]) + `,"version":`
	fp := menuID + "=" + strconv.Itoa(quantity)
	r, err := s.run(ctx, choiceScript, roomID, memberID, o, fp, menusync.TypeChoice, prefix, memberID, menuID, quantity)
	if err != nil {
		if errors.Is(err, menusync.ErrUnknownMenuItem) {
			err = fmt.Errorf("%w: %q", menusync.ErrUnknownMenuItem, menuID)
		}
		return ChoiceResult{}, err
	}
	return ChoiceResult{Result: r.Result, Choice: c}, nil
}

// Leave takes memberID out of the room. With keepChoices their choices
// stay in the order (and their name with them, under Snapshot.Left);
// without, their choices go too.
func (s *Store) Leave(ctx context.Context, roomID, memberID, reason string, keepChoices bool, o WriteOpts) (Result, error) {
	prefix := `{"memberId":"` + memberID + `","reason":"` + reason + `","keepChoices":` + strconv.FormatBool(keepChoices) + `,"version":`
	keep := "0"
	if keepChoices {
		keep = "1"
	}
	r, err := s.run(ctx, leaveScript, roomID, memberID, o, "leave:"+keep, menusync.TypeLeft, prefix, memberID, keep)
	return r.Result, err
}

// Refresh bumps the version and tells every listener to refetch.
// memberID scopes the idempotency key.
func (s *Store) Refresh(ctx context.Context, roomID, memberID string, o WriteOpts) (Result, error) {
	r, err := s.run(ctx, refreshScript, roomID, memberID, o, "refresh", menusync.TypeRefresh, `{"version":`)
	return r.Result, err
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
func (s *Store) run(ctx context.Context, sc *redis.Script, roomID, scope string, o WriteOpts, fingerprint, typ, prefix string, extra ...any) (scriptResult, error) {
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
	res, err := sc.Run(ctx, s.rdb, keys, args...).Slice()
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
	-1: menusync.ErrNotFound,
	-2: menusync.ErrMemberNotFound,
	-3: menusync.ErrUnknownMenuItem,
	-4: fmt.Errorf("%w: the limit is %d members", menusync.ErrRoomFull, menusync.MaxMembers),
	-5: menusync.ErrIdempotencyReused,
	-6: menusync.ErrExpired,
	-7: menusync.ErrNameTaken,
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
