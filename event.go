package menusync

import "time"

// Event types carried on a room's channel and on the SSE stream. Each
// delta's JSON is one of the *Event types below plus "version" and
// "epoch".
const (
	TypeSnapshot = "snapshot"
	TypeChoice   = "choice"  // a Choice
	TypeMember   = "member"  // MemberEvent: someone joined
	TypeRefresh  = "refresh" // nothing changed; fetch the room again
	TypeClosed   = "closed"  // ClosedEvent: the stream ends after it
	TypeLeft     = "left"    // LeftEvent
	TypeRoom     = "room"    // RoomEvent: the host changed settings
	TypeMenu     = "menu"    // MenuEvent: the host edited the menu
	TypeDishName = "dishname"
	TypeDone     = "done"    // DoneEvent
	TypeRenamed  = "renamed" // RenamedEvent
	// TypeHeartbeat is sent on idle streams; it has no id and changes
	// nothing. It is an event, not a comment, so browsers see it too.
	TypeHeartbeat = "heartbeat"
	// TypePresence is a member coming online or going offline.
	TypePresence = "presence"
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

// MemberEvent: a member joined.
type MemberEvent struct {
	Member Member `json:"member"`
}

// Reasons a member is out.
const (
	ReasonLeft    = "left"    // they left
	ReasonRemoved = "removed" // the host took them out
)

// LeftEvent: a member is out. HostID is the host after it (a host who
// leaves hands the table to the member who joined first).
type LeftEvent struct {
	MemberID    string `json:"memberId"`
	Reason      string `json:"reason"`
	KeepChoices bool   `json:"keepChoices"`
	HostID      string `json:"hostId"`
}

// RoomEvent carries the settings the host changed (the Settings of the
// PATCH that changed them); the others are absent.
type RoomEvent Settings

// MenuEvent is the whole new menu, members' names of dishes included.
type MenuEvent struct {
	Menu []MenuItem `json:"menu"`
}

// DishNameEvent: a member named a dish in a language.
type DishNameEvent struct {
	MenuID string `json:"menuId"`
	Lang   string `json:"lang"`
	Name   string `json:"name"`
}

// DoneEvent: a member is done choosing, or not any more.
type DoneEvent struct {
	MemberID string `json:"memberId"`
	Done     bool   `json:"done"`
}

// RenamedEvent: a member changed their name.
type RenamedEvent struct {
	MemberID string `json:"memberId"`
	Name     string `json:"name"`
}

// Reasons a room closes.
const (
	ClosedByHost  = "host"    // the host closed the table
	ClosedExpired = "expired" // nobody used it for its TTL
)

// ClosedEvent: the room is over. Message is the host's words, if any;
// ExpiresAt, when the room (kept for late readers) goes.
type ClosedEvent struct {
	Reason    string     `json:"reason"`
	Message   string     `json:"message,omitempty"`
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
}
