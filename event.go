package menusync

import "time"

// Event types carried on a room's channel and on the SSE stream.
const (
	TypeSnapshot = "snapshot"
	TypeChoice   = "choice"
	TypeMember   = "member"
	TypeRefresh  = "refresh"
	TypeClosed   = "closed"
	TypeLeft     = "left"
	// TypeHeartbeat is sent on idle streams; it has no id and changes
	// nothing. It is an event, not a comment, so browsers see it too.
	TypeHeartbeat = "heartbeat"
)

// Event is one change of a room, as every replica receives it: its
// position, its type and its JSON (which holds the version and epoch too),
// and when it was published.
type Event struct {
	Epoch       string
	Version     uint64
	Type        string
	PublishedAt time.Time
	Data        []byte
}

// Pos is the event's position.
func (e Event) Pos() Position { return Position{Epoch: e.Epoch, Version: e.Version} }

// TypePresence is the event of a member coming online or going offline.
const TypePresence = "presence"
