package menusync

import (
	"fmt"
	"strings"
)

// StaffOrder is what the waiter brings: the whole table's order by dish,
// in menu order, under the names printed on the menu (the staff read the
// menu's language), with the notes for the kitchen.
type StaffOrder struct {
	RoomName string      `json:"roomName"`
	Lines    []OrderLine `json:"lines"`
	Quantity int         `json:"quantity"`
	Locked   bool        `json:"locked"`
	Closed   bool        `json:"closed"`
}

// OrderLine is one dish of the order.
type OrderLine struct {
	MenuID         string      `json:"menuId"`
	Name           string      `json:"name"`
	Romanized      string      `json:"romanized,omitempty"` // to say it out loud`
	Quantity       int         `json:"quantity"`
	SharedQuantity int         `json:"sharedQuantity"`
	Notes          []OrderNote `json:"notes"`
}

// OrderNote is a note on some of a dish's portions.
type OrderNote struct {
	Note     string `json:"note"`
	Quantity int    `json:"quantity"`
	Member   string `json:"member"`
}

// Order builds the staff order from a snapshot.
func Order(s *Snapshot) StaffOrder {
	names := map[string]string{}
	for _, m := range append(append([]Member{}, s.Members...), s.Left...) {
		names[m.ID] = m.Name
	}
	byDish := map[string]*OrderLine{}
	for _, c := range s.Choices {
		l := byDish[c.MenuID]
		if l == nil {
			l = &OrderLine{MenuID: c.MenuID, Notes: []OrderNote{}}
			byDish[c.MenuID] = l
		}
		l.Quantity += c.Quantity
		if c.Shared {
			l.SharedQuantity += c.Quantity
		}
		if c.Note != "" {
			l.Notes = append(l.Notes, OrderNote{Note: c.Note, Quantity: c.Quantity, Member: names[c.MemberID]})
		}
	}
	o := StaffOrder{RoomName: s.Room.Name, Lines: []OrderLine{}, Locked: s.Room.Locked, Closed: s.Room.Closed}
	for _, it := range s.Room.Menu {
		if l := byDish[it.ID]; l != nil && l.Quantity > 0 {
			l.Name, l.Romanized = it.Name, it.Romanized
			o.Lines = append(o.Lines, *l)
			o.Quantity += l.Quantity
		}
	}
	return o
}

// Text is the order as plain text, to copy into a message or read out:
//
//	Dinner at Gwangjang · 4 dishes · order locked
//	2 × 비빔밥
//	    1: no cilantro (Ana)
//	2 × 해물파전 (for the table)
func (o StaffOrder) Text() string {
	var b strings.Builder
	name := o.RoomName
	if name == "" {
		name = "Order"
	}
	fmt.Fprintf(&b, "%s · %d %s", name, o.Quantity, map[bool]string{true: "dish", false: "dishes"}[o.Quantity == 1])
	switch {
	case o.Closed:
		b.WriteString(" · table closed")
	case o.Locked:
		b.WriteString(" · order locked")
	}
	b.WriteByte('\n')
	if len(o.Lines) == 0 {
		b.WriteString("(nothing chosen yet)\n")
	}
	for _, l := range o.Lines {
		fmt.Fprintf(&b, "%d × %s", l.Quantity, l.Name)
		switch {
		case l.SharedQuantity == l.Quantity:
			b.WriteString(" (for the table)")
		case l.SharedQuantity > 0:
			fmt.Fprintf(&b, " (%d for the table)", l.SharedQuantity)
		}
		b.WriteByte('\n')
		for _, n := range l.Notes {
			fmt.Fprintf(&b, "    %d: %s", n.Quantity, n.Note)
			if n.Member != "" {
				fmt.Fprintf(&b, " (%s)", n.Member)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}
