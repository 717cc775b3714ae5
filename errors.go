package menusync

import (
	"errors"
	"fmt"
)

// Domain errors. Adapters wrap them with %w and the HTTP layer maps each
// to a status and a problem code in one table (handlers/errors.go).
var (
	// ErrInvalid is wrapped by every error for a value a caller supplied
	// (an unknown currency code, a malformed amount, a name too long).
	ErrInvalid         = errors.New("invalid value")
	ErrNotFound        = errors.New("room not found")
	ErrMemberNotFound  = errors.New("member not found")
	ErrUnknownMenuItem = errors.New("unknown menu item")
	ErrRoomFull        = errors.New("room is full")
	ErrUnavailable     = errors.New("room store unavailable")
	// ErrBudget: as many rooms as the deployment allows are open.
	ErrBudget = errors.New("room budget reached")
	// ErrStoreFull: the store is at its memory limit and refuses writes.
	ErrStoreFull = errors.New("room store is full")
	// ErrNameTaken: someone at the table has this name, and it is too
	// long to tell them apart with a number.
	ErrNameTaken = errors.New("name taken")
	// ErrExpired: the request waited past its deadline (in a frozen
	// replica, say) and was not carried out.
	ErrExpired = errors.New("request expired before it was carried out")
	// ErrIdempotencyReused: an Idempotency-Key came back with another request.
	ErrIdempotencyReused = errors.New("idempotency key reused for a different request")
	// ErrOrderLocked: the host locked the order; choices (and new
	// members) wait until it is unlocked.
	ErrOrderLocked = errors.New("the order is locked")
	// ErrRoomClosed: the host closed the table; it takes no more changes.
	ErrRoomClosed = errors.New("the table is closed")
	// ErrNotHost: only the table's host may do this.
	ErrNotHost = errors.New("only the host may do this")
	// ErrNoSuchMember: the member a change is about (to take out, to hand
	// the table to) is not at the table. ErrMemberNotFound is about the
	// caller's own token.
	ErrNoSuchMember = errors.New("no such member at this table")
	// ErrConflict: the room changed while a change was being prepared
	// from it, again and again.
	ErrConflict = errors.New("the room changed meanwhile")
)

// InvalidError describes which value was rejected. Its message is written
// for the API user, so it is safe to show.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Invalidf makes an InvalidError.
func Invalidf(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}
