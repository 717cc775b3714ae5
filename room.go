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
	MaxRoomNameLen    = 64
	MaxMembers        = 64
	MaxQuantity       = 99
	// MaxNoteLen: "no cilantro, very spicy", an allergy, not a letter.
	MaxNoteLen = 140
	// MaxNamesPerItem bounds a dish's translations: the languages of a
	// table, not of the world. A menu may bring that many and members
	// may add languages until the dish has that many; a host's edit, which
	// sends back what everyone sees, may carry twice as many.
	MaxNamesPerItem = 16
	// MaxDishNameLen bounds a member's name for a dish; MaxDishNamesPerRoom
	// the names members give in one room: together they keep a room's
	// snapshot within what clients take in one event.
	MaxDishNameLen      = 100
	MaxDishNamesPerRoom = 1000
	MaxReasonLen        = 140
	MinTTL              = 1 * time.Second
	// A room lives DefaultTTL after its last change: a meal, with room
	// for a long one. Up to MaxTTL when its creator asks (configurable).
	MaxTTL             = 24 * time.Hour
	DefaultTTL         = 3 * time.Hour
	roomIDBytes        = 16 // 128 bits, 22 URL-safe characters
	memberIDBytes      = 8
	encodedRoomIDLen   = 22
	encodedMemberIDLen = 16
)

// MenuItem is one dish on the room's menu. Its price is in minor units of
// the room's currency (KRW 12000 is 12000, USD 12.50 is 1250): never a
// float.
type MenuItem struct {
	ID          string `json:"id"`
	Name        string `json:"name"` // as printed on the menu
	PriceMinor  *int64 `json:"priceMinor,omitempty"`
	Description string `json:"description,omitempty"`
	// Names are the dish's name in other languages, by BCP 47 tag, from
	// the menu file, the host or any member.
	Names map[string]string `json:"names,omitempty"`
	// SuggestedNames come from the dish glossary, by machine: a member's
	// name in Names for the same language replaces one.
	SuggestedNames map[string]string `json:"suggestedNames,omitempty"`
	// Romanized says the printed name out loud (Revised Romanization of
	// Korean, Hepburn for kana).
	Romanized string         `json:"romanized,omitempty"`
	Glossary  *GlossaryMatch `json:"glossary,omitempty"`
}

// GlossaryMatch tells which glossary entry suggested a dish's names, and
// how sure the match is.
type GlossaryMatch struct {
	Entry string `json:"entry"`
	// Kind is exact (the printed name is the entry's) or head (the name
	// ends with the entry's: 돌솥 비빔밥 is a 비빔밥).
	Kind     string `json:"kind"`
	Modifier string `json:"modifier,omitempty"` // the words before the head
}

// Room is the room's own record.
type Room struct {
	ID    string `json:"id"`
	Epoch string `json:"epoch"`
	Name  string `json:"name"` // "Dinner at Gwangjang"; may be empty
	// Currency is the ISO 4217 code the prices are in; empty when the
	// menu has no prices. CurrencyDigits is its minor-unit digits.
	Currency       string     `json:"currency,omitempty"`
	CurrencyDigits int        `json:"currencyDigits"`
	Menu           []MenuItem `json:"menu"`
	// HostID is the member who runs the table (closes it, locks the
	// order, takes people out, edits the menu); empty for a room opened
	// without a creator.
	HostID string `json:"hostId"`
	// Locked: the order is final; choices are refused until unlocked.
	Locked bool `json:"locked"`
	// Closed: the host closed the table; it is kept a short while so late
	// readers get the final order.
	Closed               bool      `json:"closed"`
	ClosedReason         string    `json:"closedReason,omitempty"`
	ServiceChargePercent Percent   `json:"serviceChargePercent"`
	TipPercent           Percent   `json:"tipPercent"`
	CreatedAt            time.Time `json:"createdAt"`
	ExpiresAt            time.Time `json:"expiresAt"`
	Version              uint64    `json:"version"`
}

// Money is the room's currency, for the summary's arithmetic.
func (r *Room) Money() Currency { return Currency{Code: r.Currency, Digits: r.CurrencyDigits} }

// Settings are what the host may change (PATCH /v1/rooms/{id}); nil
// leaves a setting as it is.
type Settings struct {
	Name                 *string  `json:"name,omitempty"`
	Locked               *bool    `json:"locked,omitempty"`
	ServiceChargePercent *Percent `json:"serviceChargePercent,omitempty"`
	TipPercent           *Percent `json:"tipPercent,omitempty"`
	HostID               *string  `json:"hostId,omitempty"`
}

// Member is one person at the table. Online is true while one of their
// streams is open on any replica (plus a grace period). Done: they have
// finished choosing.
type Member struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Online bool   `json:"online"`
	Done   bool   `json:"done"`
	// Joined is the room's version at the member's join: members (and
	// those who left) are listed in that order.
	Joined uint64 `json:"joined"`
}

// Choice is the quantity of one dish chosen by one member, with a note
// for the kitchen, and whether it is for the table (its cost shared).
type Choice struct {
	MenuID   string `json:"menuId"`
	MemberID string `json:"memberId"`
	Quantity int    `json:"quantity"`
	Note     string `json:"note,omitempty"`
	Shared   bool   `json:"shared"`
}

// Snapshot is the whole room at one version, read in one atomic step.
type Snapshot struct {
	Room    Room     `json:"room"`
	Members []Member `json:"members"`
	// Left are members who left with their choices kept in the order.
	Left    []Member `json:"left"`
	Choices []Choice `json:"choices"`
	Summary Summary  `json:"summary"`
	// AllDone: there are members and every one of them is done.
	AllDone bool   `json:"allDone"`
	Version uint64 `json:"version"`
	Epoch   string `json:"epoch"`
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

// Finish fills in what a snapshot derives from its parts: the summary
// with the split, and whether everyone is done.
func (s *Snapshot) Finish() {
	s.Summary = Summarize(&s.Room, s.Members, s.Left, s.Choices)
	s.AllDone = len(s.Members) > 0
	for _, m := range s.Members {
		s.AllDone = s.AllDone && m.Done
	}
}
