package rooms

import (
	"time"

	"github.com/menusync/menusync"
)

// CreateInput is what a room is created from.
type CreateInput struct {
	Menu     []menusync.MenuItem
	Name     string            // the table's name; may be empty
	Currency menusync.Currency // the prices' currency; zero: none
	// CreatorName, when set, makes the creator the room's first member
	// and its host.
	CreatorName string
	TTL         time.Duration // zero means menusync.DefaultTTL
	// IdempotencyKey, when set, makes a retry return the room the first
	// request created. The caller scopes it (by client address).
	IdempotencyKey string
}

// Created is a new room, and its creator when the input named one.
type Created struct {
	Room    menusync.Room
	Creator *menusync.Member
	// Replayed: an earlier request with the same idempotency key created
	// this room.
	Replayed bool
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

// ClosedGrace is how long a closed table is kept, so that members who
// look late still see the final order and the split.
const ClosedGrace = 30 * time.Minute

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
func (r Result) Pos() menusync.Position { return menusync.Position{Epoch: r.Epoch, Version: r.Version} }

// ChoiceResult is the outcome of SetChoice.
type ChoiceResult struct {
	Result
	Choice menusync.Choice
}

// ChoiceInput is one member's choice of one dish.
type ChoiceInput struct {
	MenuID   string
	Quantity int
	Note     string
	Shared   bool
}
