package menusync

import (
	"math"
	"slices"
)

// Summary is the running order to show the waiter.
type Summary struct {
	Items    []ItemTotal   `json:"items"`
	Members  []MemberTotal `json:"members"`
	Quantity int           `json:"quantity"`
	// Total is present when the menu has prices; unpriced dishes count 0.
	Total *float64 `json:"total,omitempty"`
}

// ItemTotal is how many of one dish the table ordered.
type ItemTotal struct {
	MenuID   string   `json:"menuId"`
	Name     string   `json:"name"`
	Quantity int      `json:"quantity"`
	Total    *float64 `json:"total,omitempty"`
}

// MemberTotal is one member's part of the order.
type MemberTotal struct {
	MemberID string       `json:"memberId"`
	Name     string       `json:"name"`
	Items    []ItemChoice `json:"items"`
	Quantity int          `json:"quantity"`
	Total    *float64     `json:"total,omitempty"`
}

// ItemChoice is one line of a member's order.
type ItemChoice struct {
	MenuID   string `json:"menuId"`
	Quantity int    `json:"quantity"`
}

// Summarize computes the order summary: per dish (menu order), per member
// (join order) and for the table. Totals exist only if some dish has a
// price; they are rounded to 4 decimals to hide float noise.
func Summarize(menu []MenuItem, members []Member, choices []Choice) Summary {
	priced := slices.ContainsFunc(menu, func(it MenuItem) bool { return it.Price != nil })
	itemPos := make(map[string]int, len(menu))
	price := make([]float64, len(menu))
	for i, it := range menu {
		itemPos[it.ID] = i
		if it.Price != nil {
			price[i] = *it.Price
		}
	}
	itemQty := make([]int, len(menu))
	memberPos := make(map[string]int, len(members))
	mt := make([]MemberTotal, len(members))
	mtSum := make([]float64, len(members))
	for i, m := range members {
		memberPos[m.ID] = i
		mt[i] = MemberTotal{MemberID: m.ID, Name: m.Name, Items: []ItemChoice{}}
	}
	var sum Summary
	var grand float64
	for _, c := range choices {
		ip, ok1 := itemPos[c.MenuID]
		mp, ok2 := memberPos[c.MemberID]
		if !ok1 || !ok2 || c.Quantity <= 0 {
			continue
		}
		itemQty[ip] += c.Quantity
		mt[mp].Items = append(mt[mp].Items, ItemChoice{MenuID: c.MenuID, Quantity: c.Quantity})
		mt[mp].Quantity += c.Quantity
		mtSum[mp] += price[ip] * float64(c.Quantity)
		sum.Quantity += c.Quantity
		grand += price[ip] * float64(c.Quantity)
	}
	sum.Items = []ItemTotal{}
	for i, it := range menu {
		if itemQty[i] == 0 {
			continue
		}
		t := ItemTotal{MenuID: it.ID, Name: it.Name, Quantity: itemQty[i]}
		if priced {
			t.Total = round4(price[i] * float64(itemQty[i]))
		}
		sum.Items = append(sum.Items, t)
	}
	for i := range mt {
		if priced {
			mt[i].Total = round4(mtSum[i])
		}
	}
	sum.Members = mt
	if priced {
		sum.Total = round4(grand)
	}
	return sum
}

func round4(x float64) *float64 {
	r := math.Round(x*1e4) / 1e4
	return &r
}
