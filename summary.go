package menusync

import "slices"

// Summary is the running order, and the fair split of its bill. Every
// amount is in minor units of the room's currency; the amounts appear
// when some dish has a price (unpriced dishes count 0).
//
// The split: a member pays for the dishes they chose. A dish chosen "for
// the table" (shared) costs the table: its total splits evenly among the
// members at the table now (not those who left), one minor unit more for
// a few of them when it does not divide (counted in join order from a
// different member for each dish, so nobody pays every dish's extra
// units). The service charge and the tip are percentages of the table's
// subtotal, rounded half up, split in proportion to what each member's
// dishes cost, by largest remainder. So every member's total is exact, and the members' totals
// always add up to the table's total.
type Summary struct {
	Currency       string        `json:"currency,omitempty"`
	CurrencyDigits int           `json:"currencyDigits"`
	Items          []ItemTotal   `json:"items"`
	Members        []MemberShare `json:"members"`
	Quantity       int           `json:"quantity"`
	SubtotalMinor  *int64        `json:"subtotalMinor,omitempty"`
	ServiceMinor   *int64        `json:"serviceMinor,omitempty"`
	TipMinor       *int64        `json:"tipMinor,omitempty"`
	TotalMinor     *int64        `json:"totalMinor,omitempty"`
}

// ItemTotal is how many of one dish the table ordered.
type ItemTotal struct {
	MenuID         string `json:"menuId"`
	Name           string `json:"name"`
	Quantity       int    `json:"quantity"`
	SharedQuantity int    `json:"sharedQuantity"`
	TotalMinor     *int64 `json:"totalMinor,omitempty"`
}

// MemberShare is one member's part of the order and of the bill.
type MemberShare struct {
	MemberID      string      `json:"memberId"`
	Name          string      `json:"name"`
	Items         []ShareLine `json:"items"`
	Quantity      int         `json:"quantity"` // of their own dishes
	SubtotalMinor *int64      `json:"subtotalMinor,omitempty"`
	ServiceMinor  *int64      `json:"serviceMinor,omitempty"`
	TipMinor      *int64      `json:"tipMinor,omitempty"`
	TotalMinor    *int64      `json:"totalMinor,omitempty"`
}

// ShareLine is one line of a member's part: a dish they chose, or their
// share of a dish for the table (Shared, split SharedBy ways).
type ShareLine struct {
	MenuID      string `json:"menuId"`
	Quantity    int    `json:"quantity"`
	Shared      bool   `json:"shared"`
	SharedBy    int    `json:"sharedBy,omitempty"`
	AmountMinor *int64 `json:"amountMinor,omitempty"`
	Note        string `json:"note,omitempty"`
}

// Summarize computes the summary and the split: dishes in menu order,
// members in join order (those who left with their choices kept last).
func Summarize(room *Room, members, left []Member, choices []Choice) Summary {
	menu := room.Menu
	t := newTally(menu, append(slices.Clone(members), left...))
	for _, c := range choices {
		t.add(c)
	}
	t.shareDishes(len(members))
	return t.summary(room)
}

// tally gathers a table's choices by dish and by member.
type tally struct {
	menu      []MenuItem
	members   []Member
	itemPos   map[string]int
	memberPos map[string]int
	priced    bool
	qty       []int         // by dish
	sharedQty []int         // by dish
	lines     [][]ShareLine // by member
	sub       []int64       // by member
}

func newTally(menu []MenuItem, everyone []Member) *tally {
	t := &tally{menu: menu, members: everyone, itemPos: make(map[string]int, len(menu)), memberPos: make(map[string]int, len(everyone)),
		qty: make([]int, len(menu)), sharedQty: make([]int, len(menu)), lines: make([][]ShareLine, len(everyone)), sub: make([]int64, len(everyone))}
	for i, it := range menu {
		t.itemPos[it.ID] = i
		t.priced = t.priced || it.PriceMinor != nil
	}
	for i, m := range everyone {
		t.memberPos[m.ID] = i
	}
	return t
}

func (t *tally) price(i int) int64 {
	if p := t.menu[i].PriceMinor; p != nil {
		return *p
	}
	return 0
}

// add counts one choice: a member's own dish goes on their part at once;
// a shared one waits for shareDishes.
func (t *tally) add(c Choice) {
	ip, ok1 := t.itemPos[c.MenuID]
	mp, ok2 := t.memberPos[c.MemberID]
	if !ok1 || !ok2 || c.Quantity <= 0 {
		return
	}
	t.qty[ip] += c.Quantity
	if c.Shared {
		t.sharedQty[ip] += c.Quantity
		return
	}
	amount := t.price(ip) * int64(c.Quantity)
	t.lines[mp] = append(t.lines[mp], ShareLine{MenuID: c.MenuID, Quantity: c.Quantity, AmountMinor: &amount, Note: c.Note})
	t.sub[mp] += amount
}

// shareDishes splits each dish for the table among the members at the
// table now (the first present members in join order); if nobody is, the
// whole room (those who left) shares it.
func (t *tally) shareDishes(present int) {
	if present == 0 {
		present = len(t.members)
	}
	for ip, q := range t.sharedQty {
		if q == 0 || present == 0 {
			continue
		}
		equal := make([]int64, present)
		for i := range equal {
			equal[i] = 1
		}
		// The units that do not divide go one each to the first members
		// in join order, starting at a different member for each dish:
		// nobody pays every dish's extra units.
		parts := apportion(t.price(ip)*int64(q), equal)
		for k := range parts {
			mp := (k + ip) % present
			amount := parts[k]
			t.lines[mp] = append(t.lines[mp], ShareLine{MenuID: t.menu[ip].ID, Quantity: q, Shared: true, SharedBy: present, AmountMinor: &amount})
			t.sub[mp] += amount
		}
	}
}

// summary lays out the tally, with the service charge and tip split in
// proportion to each member's subtotal.
func (t *tally) summary(room *Room) Summary {
	sum := Summary{Items: []ItemTotal{}, Members: make([]MemberShare, len(t.members))}
	var subtotal int64
	for i, it := range t.menu {
		if t.qty[i] == 0 {
			continue
		}
		total := t.price(i) * int64(t.qty[i])
		subtotal += total
		sum.Quantity += t.qty[i]
		sum.Items = append(sum.Items, ItemTotal{MenuID: it.ID, Name: it.Name, Quantity: t.qty[i], SharedQuantity: t.sharedQty[i], TotalMinor: t.amount(total)})
	}
	service, tip := room.ServiceChargePercent.Of(subtotal), room.TipPercent.Of(subtotal)
	services, tips := apportion(service, t.sub), apportion(tip, t.sub)
	for i, m := range t.members {
		ms := MemberShare{MemberID: m.ID, Name: m.Name, Items: t.lines[i]}
		if ms.Items == nil {
			ms.Items = []ShareLine{}
		}
		for j := range ms.Items {
			if !ms.Items[j].Shared {
				ms.Quantity += ms.Items[j].Quantity
			}
			if !t.priced {
				ms.Items[j].AmountMinor = nil
			}
		}
		if t.priced {
			ms.SubtotalMinor, ms.ServiceMinor, ms.TipMinor = ptr(t.sub[i]), ptr(services[i]), ptr(tips[i])
			ms.TotalMinor = ptr(t.sub[i] + services[i] + tips[i])
		}
		sum.Members[i] = ms
	}
	if t.priced {
		sum.Currency, sum.CurrencyDigits = room.Currency, room.CurrencyDigits
		sum.SubtotalMinor, sum.ServiceMinor, sum.TipMinor = ptr(subtotal), ptr(service), ptr(tip)
		sum.TotalMinor = ptr(subtotal + service + tip)
	}
	return sum
}

func (t *tally) amount(v int64) *int64 {
	if !t.priced {
		return nil
	}
	return ptr(v)
}

func ptr[T any](v T) *T { return &v }
