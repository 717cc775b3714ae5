package menusync

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
)

// Position is where a client stands in a room's history: the epoch (which
// history) and the version within it. Versions of one epoch are
// contiguous; a new epoch means the history may have been rewritten (Redis
// came back older), so whatever a client applied in another epoch is
// dropped and replaced by a snapshot.
//
// On the event stream it is the event id "<epoch>.<version>".
type Position struct {
	Epoch   string
	Version uint64
}

// String is the position as an event id.
func (p Position) String() string { return p.Epoch + "." + strconv.FormatUint(p.Version, 10) }

// AppendID appends the event id to b.
func (p Position) AppendID(b []byte) []byte {
	b = append(b, p.Epoch...)
	b = append(b, '.')
	return strconv.AppendUint(b, p.Version, 10)
}

// ParsePosition reads an event id. A bare version (as servers before
// epochs sent) parses with an empty epoch, which matches no room: the
// client gets a snapshot.
func ParsePosition(s string) (Position, bool) {
	epoch, v, found := strings.Cut(s, ".")
	if !found {
		epoch, v = "", s
	} else if !ValidEpoch(epoch) {
		return Position{}, false
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return Position{}, false
	}
	return Position{Epoch: epoch, Version: n}, true
}

// epochBytes: 64 random bits; an epoch only has to differ from the
// room's other epochs.
const epochBytes = 8

// ValidEpoch reports whether s has the shape of an epoch.
func ValidEpoch(s string) bool { return s != "" && len(s) <= 32 && urlSafe(s) }

// NewEpoch mints an epoch id.
func NewEpoch() string {
	var b [epochBytes]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// The rules every client applies, the server's streams included: a
// snapshot replaces what was applied when it is in another epoch or
// newer; a delta applies only as the exact next version of the same
// epoch; a delta already covered is skipped; anything else (a gap, a new
// epoch) calls for a snapshot.

// Follows reports whether an event at next applies right after p.
func (p Position) Follows(next Position) bool {
	return next.Epoch == p.Epoch && next.Version == p.Version+1
}

// Covers reports whether an event at q was applied already.
func (p Position) Covers(q Position) bool { return q.Epoch == p.Epoch && q.Version <= p.Version }

// Replaced reports whether a snapshot at s replaces what p has applied.
func (p Position) Replaced(s Position) bool { return s.Epoch != p.Epoch || s.Version > p.Version }
