// Package rooms keeps room state in Redis: the menu, the members and their
// choices, and a version that every change bumps. Each change is written,
// versioned and published by one Lua script, so the order of published
// events is the order of versions.
package rooms

import (
	"errors"
	"fmt"
	"time"
)

// Limits of the domain. They are part of the public contract (see
// openapi.yaml) and each one is tested.
const (
	MaxMenuItems      = 500
	MaxItemIDLen      = 64
	MaxItemNameLen    = 200
	MaxDescriptionLen = 1000
	MaxMemberNameLen  = 64
	MaxMembers        = 64
	MaxQuantity       = 99
	MaxPrice          = 1_000_000
	MinTTL            = 1 * time.Second
	// A room lives DefaultTTL after its last change: a meal, with room
	// for a long one. Up to MaxTTL when its creator asks (configurable).
	MaxTTL             = 24 * time.Hour
	DefaultTTL         = 3 * time.Hour
	roomIDBytes        = 16 // 128 bits, 22 URL-safe characters
	memberIDBytes      = 8
	encodedRoomIDLen   = 22
	encodedMemberIDLen = 16
)

// Domain errors. Callers map them to transport errors in one place; they
// are wrapped with %w so the cause stays visible to errors.Is.
var (
	ErrNotFound        = errors.New("room not found")
	ErrMemberNotFound  = errors.New("member not found")
	ErrUnknownMenuItem = errors.New("unknown menu item")
	ErrRoomFull        = errors.New("room is full")
	ErrInvalid         = errors.New("invalid value")
	ErrUnavailable     = errors.New("room store unavailable")
	// ErrBudget: as many rooms as the deployment allows are open.
	ErrBudget = errors.New("room budget reached")
	// ErrStoreFull: Redis is at its memory limit and refuses writes.
	ErrStoreFull = errors.New("room store is full")
	// ErrNameTaken: someone at the table has this name, and it is too
	// long to tell them apart with a number.
	ErrNameTaken = errors.New("name taken")
	// ErrExpired: the request waited past its deadline (in a frozen
	// replica, say) and was not carried out.
	ErrExpired = errors.New("request expired before it was carried out")
	// ErrIdempotencyReused: an Idempotency-Key came back with another request.
	ErrIdempotencyReused = errors.New("idempotency key reused for a different request")
)

// InvalidError describes which value was rejected. Its message is written
// for the API user, so it is safe to show.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }
func (e *InvalidError) Unwrap() error { return ErrInvalid }

func invalidf(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// MenuItem is one dish on the room's menu.
type MenuItem struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Price       *float64 `json:"price,omitempty"`
	Description string   `json:"description,omitempty"`
}

// Room is the room's own record.
type Room struct {
	ID        string     `json:"id"`
	Epoch     string     `json:"epoch"`
	Menu      []MenuItem `json:"menu"`
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt time.Time  `json:"expiresAt"`
	Version   uint64     `json:"version"`
	// Replayed: this is the room an earlier request with the same
	// idempotency key created.
	Replayed bool `json:"-"`
}

// Member is one person at the table. Online is true while one of their
// streams is open on any replica (plus a grace period).
type Member struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Online bool   `json:"online"`
}

// Choice is the quantity of one dish chosen by one member.
type Choice struct {
	MenuID   string `json:"menuId"`
	MemberID string `json:"memberId"`
	Quantity int    `json:"quantity"`
}

// Snapshot is the whole room at one version, read in one atomic step.
type Snapshot struct {
	Room    Room     `json:"room"`
	Members []Member `json:"members"`
	// Left are members who left with their choices kept in the order.
	Left    []Member `json:"left"`
	Choices []Choice `json:"choices"`
	Summary Summary  `json:"summary"`
	Version uint64   `json:"version"`
	Epoch   string   `json:"epoch"`
}

// Pos is the snapshot's position.
func (s *Snapshot) Pos() Position { return Position{Epoch: s.Epoch, Version: s.Version} }

// HasMember reports whether memberID is a member now (not one who left).
func (s *Snapshot) HasMember(memberID string) bool {
	for _, m := range s.Members {
		if m.ID == memberID {
			return true
		}
	}
	return false
}

// CreateInput is what a room is created from.
type CreateInput struct {
	Menu []MenuItem
	TTL  time.Duration // zero means DefaultTTL
	// IdempotencyKey, when set, makes a retry return the room the first
	// request created. The caller scopes it (by client address).
	IdempotencyKey string
}

// WriteOpts are what every change may carry besides its own values.
type WriteOpts struct {
	// IdempotencyKey, when set, makes a retry return the first answer and
	// change nothing. The caller scopes it.
	IdempotencyKey string
	// IdempotencyTTL is how long the record lives (zero: IdempotencyWindow).
	IdempotencyTTL time.Duration
	// Deadline, when set, is the moment after which the change must not
	// happen any more (Redis' clock decides): a proxy has given up on it.
	Deadline time.Time
}

// IdempotencyWindow is how long a retry with the same key gets the first
// answer.
const IdempotencyWindow = 10 * time.Minute

// Result is the outcome of a change.
type Result struct {
	Version uint64
	Epoch   string
	// Changed is false when nothing had to change (a harmless retry).
	Changed bool
	// Replayed is true when an Idempotency-Key matched an earlier request,
	// whose answer this is.
	Replayed bool
}

// Pos is the position the change produced (or found).
func (r Result) Pos() Position { return Position{Epoch: r.Epoch, Version: r.Version} }

// ChoiceResult is the outcome of SetChoice.
type ChoiceResult struct {
	Result
	Choice Choice
}
