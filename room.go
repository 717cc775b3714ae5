package menusync

import "time"

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
	// idempotency key created (for the HTTP layer's header, not sent).
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
