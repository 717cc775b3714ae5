package rooms

import (
	"time"

	"github.com/menusync/menusync"
)

// CreateInput is what a room is created from.
type CreateInput struct {
	Menu []menusync.MenuItem
	TTL  time.Duration // zero means menusync.DefaultTTL
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
func (r Result) Pos() menusync.Position { return menusync.Position{Epoch: r.Epoch, Version: r.Version} }

// ChoiceResult is the outcome of SetChoice.
type ChoiceResult struct {
	Result
	Choice menusync.Choice
}
