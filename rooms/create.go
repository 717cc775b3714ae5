package rooms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
)

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

// renewed moves a room's place in the budget after its TTL was renewed
// (or shortened, when it closed).
func (s *Store) renewed(ctx context.Context, id string, expires int64) {
	if s.maxRooms <= 0 || expires == 0 {
		return
	}
	_ = s.reader.ZAddXX(context.WithoutCancel(ctx), budgetKey, redis.Z{Score: float64(expires * 1000), Member: id}).Err()
}

// creatorKey is the creator's join's idempotency key: a retry of the
// create finds the same member.
const creatorKey = "creator"

// Create opens a new room with a fresh unguessable id; with a creator's
// name, the creator joins it as its host in the same call.
func (s *Store) Create(ctx context.Context, in CreateInput) (Created, error) {
	menu, err := menusync.ValidateMenu(in.Menu)
	if err != nil {
		return Created{}, err
	}
	ttl, err := s.validTTL(in.TTL)
	if err != nil {
		return Created{}, err
	}
	if in.Name, err = menusync.CleanRoomName(in.Name); err != nil {
		return Created{}, err
	}
	if in.CreatorName != "" {
		if in.CreatorName, err = menusync.CleanMemberName(in.CreatorName); err != nil {
			return Created{}, err
		}
	}
	if in.Currency.Code == "" {
		in.Currency.Digits = 2 // no currency named: hundredths, as rooms had before currencies
	}
	menuJSON, err := json.Marshal(menu)
	if err != nil {
		return Created{}, fmt.Errorf("encode menu: %w", err)
	}
	id := menusync.NewRoomID()
	if in.IdempotencyKey != "" {
		sum := sha256.Sum256(fmt.Appendf(menuJSON, "\x00%d\x00%s\x00%s\x00%s", ttl, in.Name, in.Currency.Code, in.CreatorName))
		prev, replay, err := s.claimCreate(ctx, in.IdempotencyKey, id, hex.EncodeToString(sum[:16]))
		if err != nil {
			return Created{}, err
		}
		if replay {
			return s.withCreator(ctx, Created{Room: prev, Replayed: true}, in.CreatorName)
		}
	}
	room, err := s.create(ctx, in, id, menu, menuJSON, ttl)
	if err != nil {
		return Created{}, err
	}
	return s.withCreator(ctx, Created{Room: room}, in.CreatorName)
}

func (s *Store) create(ctx context.Context, in CreateInput, id string, menu []menusync.MenuItem, menuJSON []byte, ttl time.Duration) (menusync.Room, error) {
	undo := func() {
		if in.IdempotencyKey != "" {
			s.reader.Del(context.WithoutCancel(ctx), createKey(in.IdempotencyKey)) // let a retry try again
		}
	}
	now := s.now().Truncate(time.Second)
	if err := s.reserve(ctx, id, now.Add(ttl)); err != nil {
		undo()
		return menusync.Room{}, err
	}
	epoch := menusync.NewEpoch()
	args := make([]any, 0, 8+len(menu))
	args = append(args, menuJSON, now.Unix(), int64(ttl.Seconds()), epoch, in.Name, in.Currency.Code, in.Currency.Digits, menusync.NextDishNumber(menu))
	for _, it := range menu {
		args = append(args, it.ID)
	}
	k := keysOf(id)
	created, err := createScript.Run(ctx, s.rdb, []string{k.room, k.items}, args...).Int()
	if err != nil {
		undo()
		if s.maxRooms > 0 {
			s.reader.ZRem(context.WithoutCancel(ctx), budgetKey, id)
		}
		return menusync.Room{}, unavailable(err)
	}
	if created != 1 {
		// 128 random bits collided: treat as an internal fault, not a retry loop.
		return menusync.Room{}, fmt.Errorf("room id collision for %s", id)
	}
	return menusync.Room{ID: id, Epoch: epoch, Name: in.Name, Currency: in.Currency.Code, CurrencyDigits: in.Currency.Digits,
		Menu: menu, CreatedAt: now.UTC(), ExpiresAt: now.Add(ttl).UTC(), Version: 1}, nil
}

// withCreator makes the creator the room's first member and host. A
// retried create replays the same join.
func (s *Store) withCreator(ctx context.Context, c Created, name string) (Created, error) {
	if name == "" {
		return c, nil
	}
	m, res, err := s.join(ctx, c.Room.ID, name, WriteOpts{IdempotencyKey: creatorKey}, true)
	if err != nil {
		return Created{}, err
	}
	c.Creator = &m
	c.Room.HostID = m.ID
	c.Room.Version, c.Room.Epoch = res.Version, res.Epoch
	return c, nil
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
