package menusync

import (
	"cmp"
	"encoding/json"
	"errors"
	"slices"
)

// ErrCannotApply: a delta this code cannot apply (unknown to it, or
// malformed); a client fetches the room instead.
var ErrCannotApply = errors.New("cannot apply this event")

// Apply applies one delta to the snapshot, in place, and moves it to pos.
// The caller has checked that pos follows the snapshot's position. It is
// what every Go client does with a stream, so the server's tests and the
// clients agree on what each event means.
func (s *Snapshot) Apply(typ string, data []byte, pos Position) error {
	if err := s.apply(typ, data); err != nil {
		return err
	}
	s.Version, s.Epoch = pos.Version, pos.Epoch
	s.Room.Version, s.Room.Epoch = pos.Version, pos.Epoch
	s.Finish()
	return nil
}

func (s *Snapshot) apply(typ string, data []byte) error {
	switch typ {
	case TypeChoice:
		var c Choice
		return decodeThen(data, &c, func() { s.applyChoice(c) })
	case TypeMember:
		var e MemberEvent
		return decodeThen(data, &e, func() { s.Members = append(s.Members, e.Member) })
	case TypePresence:
		var p struct {
			MemberID string `json:"memberId"`
			Online   bool   `json:"online"`
		}
		return decodeThen(data, &p, func() { s.member(p.MemberID, func(m *Member) { m.Online = p.Online }) })
	case TypeLeft:
		var e LeftEvent
		return decodeThen(data, &e, func() { s.applyLeft(e) })
	case TypeRoom:
		var e RoomEvent
		return decodeThen(data, &e, func() { s.applyRoom(e) })
	case TypeMenu:
		var e MenuEvent
		return decodeThen(data, &e, func() { s.applyMenu(e.Menu); s.sortChoices() })
	case TypeDishName:
		var e DishNameEvent
		return decodeThen(data, &e, func() { s.applyDishName(e) })
	case TypeDone:
		var e DoneEvent
		return decodeThen(data, &e, func() { s.member(e.MemberID, func(m *Member) { m.Done = e.Done }) })
	case TypeRenamed:
		var e RenamedEvent
		return decodeThen(data, &e, func() { s.member(e.MemberID, func(m *Member) { m.Name = e.Name }) })
	case TypeClosed:
		var e ClosedEvent
		return decodeThen(data, &e, func() {
			s.Room.Closed, s.Room.ClosedReason = true, e.Message
			if e.ExpiresAt != nil {
				s.Room.ExpiresAt = *e.ExpiresAt
			}
		})
	}
	return ErrCannotApply
}

func decodeThen(data []byte, v any, then func()) error {
	if json.Unmarshal(data, v) != nil {
		return ErrCannotApply
	}
	then()
	return nil
}

func (s *Snapshot) member(id string, f func(*Member)) {
	for i := range s.Members {
		if s.Members[i].ID == id {
			f(&s.Members[i])
		}
	}
}

func (s *Snapshot) applyChoice(c Choice) {
	i := slices.IndexFunc(s.Choices, func(x Choice) bool { return x.MemberID == c.MemberID && x.MenuID == c.MenuID })
	switch {
	case i >= 0 && c.Quantity == 0:
		s.Choices = slices.Delete(s.Choices, i, i+1)
	case i >= 0:
		s.Choices[i] = c
	case c.Quantity > 0:
		s.Choices = append(s.Choices, c)
		s.sortChoices()
	}
}

// sortChoices keeps the snapshot's order: by member (join order, those
// who left last), then by dish (menu order), so a client's state and a
// fresh snapshot list the same choices the same way.
func (s *Snapshot) sortChoices() {
	memberPos := map[string]int{}
	for i, m := range append(slices.Clone(s.Members), s.Left...) {
		memberPos[m.ID] = i
	}
	itemPos := map[string]int{}
	for i, it := range s.Room.Menu {
		itemPos[it.ID] = i
	}
	slices.SortStableFunc(s.Choices, func(a, b Choice) int {
		if d := memberPos[a.MemberID] - memberPos[b.MemberID]; d != 0 {
			return d
		}
		return itemPos[a.MenuID] - itemPos[b.MenuID]
	})
}

func (s *Snapshot) applyLeft(e LeftEvent) {
	s.Room.HostID = e.HostID
	i := slices.IndexFunc(s.Members, func(m Member) bool { return m.ID == e.MemberID })
	if i < 0 {
		return
	}
	m := s.Members[i]
	m.Online, m.Done = false, false
	s.Members = slices.Delete(s.Members, i, i+1)
	if !e.KeepChoices {
		s.Choices = slices.DeleteFunc(s.Choices, func(c Choice) bool { return c.MemberID == e.MemberID })
		return
	}
	// Those who left are listed in join order too.
	j, _ := slices.BinarySearchFunc(s.Left, m.Joined, func(x Member, v uint64) int { return cmp.Compare(x.Joined, v) })
	s.Left = slices.Insert(s.Left, j, m)
	s.sortChoices()
}

func (s *Snapshot) applyRoom(e RoomEvent) {
	r := &s.Room
	if e.Name != nil {
		r.Name = *e.Name
	}
	if e.Locked != nil {
		r.Locked = *e.Locked
	}
	if e.ServiceChargePercent != nil {
		r.ServiceChargePercent = *e.ServiceChargePercent
	}
	if e.TipPercent != nil {
		r.TipPercent = *e.TipPercent
	}
	if e.HostID != nil {
		r.HostID = *e.HostID
	}
}

// applyMenu replaces the menu; choices of dishes no longer on it go.
func (s *Snapshot) applyMenu(menu []MenuItem) {
	s.Room.Menu = menu
	on := make(map[string]bool, len(menu))
	for _, it := range menu {
		on[it.ID] = true
	}
	s.Choices = slices.DeleteFunc(s.Choices, func(c Choice) bool { return !on[c.MenuID] })
}

func (s *Snapshot) applyDishName(e DishNameEvent) {
	for i := range s.Room.Menu {
		it := &s.Room.Menu[i]
		if it.ID != e.MenuID {
			continue
		}
		if it.Names == nil {
			it.Names = map[string]string{}
		}
		it.Names[e.Lang] = e.Name
	}
}

// Clone is a deep enough copy for a client to hand out: slices and the
// menu's maps are its own.
func (s *Snapshot) Clone() *Snapshot {
	c := *s
	c.Members = slices.Clone(s.Members)
	c.Left = slices.Clone(s.Left)
	c.Choices = slices.Clone(s.Choices)
	c.Room.Menu = slices.Clone(s.Room.Menu)
	for i := range c.Room.Menu {
		if n := c.Room.Menu[i].Names; n != nil {
			m := make(map[string]string, len(n))
			for k, v := range n {
				m[k] = v
			}
			c.Room.Menu[i].Names = m
		}
	}
	return &c
}
