package menusync

import "errors"

// ErrInvalid is wrapped by every error this package returns for a value a
// caller supplied (an unknown currency code, a malformed or out-of-range
// amount), so callers can map it to a 400-style answer with errors.Is.
var ErrInvalid = errors.New("invalid value")
