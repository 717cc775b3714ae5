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
