package rooms

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
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

// Snapshot reads the whole room in one script, so state and version
// belong to the same moment, and the epoch is checked as it is read.
func (s *Store) Snapshot(ctx context.Context, roomID string) (*Snapshot, error) {
	if !ValidRoomID(roomID) {
		return nil, ErrNotFound
	}
	k := keysOf(roomID)
	res, err := snapshotScript.Run(ctx, s.rdb, []string{k.room, k.members, k.choices, k.left, k.online}, newEpoch()).Slice()
	if err != nil {
		return nil, unavailable(err)
	}
	if len(res) != 5 {
		return nil, ErrNotFound
	}
	var online []string
	for _, v := range asList(res[4]) {
		if s, ok := v.(string); ok {
			online = append(online, s)
		}
	}
	return decodeSnapshot(roomID, pairs(res[0]), pairs(res[1]), pairs(res[2]), pairs(res[3]), online)
}

func asList(v any) []any { l, _ := v.([]any); return l }

// pairs turns an HGETALL reply (a flat field, value list) into a map.
func pairs(v any) map[string]string {
	l := asList(v)
	m := make(map[string]string, len(l)/2)
	for i := 0; i+1 < len(l); i += 2 {
		f, _ := l[i].(string)
		val, _ := l[i+1].(string)
		m[f] = val
	}
	return m
}

func decodeSnapshot(roomID string, room, members, choices, left map[string]string, online []string) (*Snapshot, error) {
	if len(room) == 0 || room["menu"] == "" {
		return nil, ErrNotFound
	}
	snap := &Snapshot{Room: Room{ID: roomID, Epoch: room["epoch"]}, Epoch: room["epoch"]}
	if err := json.Unmarshal([]byte(room["menu"]), &snap.Room.Menu); err != nil {
		return nil, fmt.Errorf("decode menu of %s: %w", roomID, err)
	}
	snap.Room.CreatedAt = time.Unix(atoiDefault(room["createdAt"]), 0).UTC()
	snap.Room.ExpiresAt = time.Unix(atoiDefault(room["expiresAt"]), 0).UTC()
	snap.Version = uint64(atoiDefault(room["version"]))
	snap.Room.Version = snap.Version
	var err error
	if snap.Members, err = decodeMembers(roomID, members, online); err != nil {
		return nil, err
	}
	if snap.Left, err = decodeMembers(roomID, left, nil); err != nil {
		return nil, err
	}
	everyone := append(slices.Clone(snap.Members), snap.Left...)
	memberPos := make(map[string]int, len(everyone))
	for i, m := range everyone {
		memberPos[m.ID] = i
	}
	itemPos := make(map[string]int, len(snap.Room.Menu))
	for i, it := range snap.Room.Menu {
		itemPos[it.ID] = i
	}
	snap.Choices = make([]Choice, 0, len(choices))
	for f, q := range choices {
		memberID, menuID, ok := strings.Cut(f, "|")
		if !ok {
			continue
		}
		if _, known := memberPos[memberID]; !known {
			continue
		}
		n, err := strconv.Atoi(q)
		if err != nil || n <= 0 {
			continue
		}
		snap.Choices = append(snap.Choices, Choice{MenuID: menuID, MemberID: memberID, Quantity: n})
	}
	slices.SortFunc(snap.Choices, func(a, b Choice) int {
		return cmp.Or(cmp.Compare(memberPos[a.MemberID], memberPos[b.MemberID]),
			cmp.Compare(itemPos[a.MenuID], itemPos[b.MenuID]))
	})
	snap.Summary = Summarize(snap.Room.Menu, everyone, snap.Choices)
	return snap, nil
}

// decodeMembers reads a members hash ("<join version>|<json>" by id) in
// join order.
func decodeMembers(roomID string, members map[string]string, online []string) ([]Member, error) {
	type joined struct {
		m   Member
		seq int64
	}
	js := make([]joined, 0, len(members))
	for id, raw := range members {
		seq, body, ok := strings.Cut(raw, "|")
		if !ok {
			return nil, fmt.Errorf("member %s of %s: malformed value", id, roomID)
		}
		var m Member
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			return nil, fmt.Errorf("member %s of %s: %w", id, roomID, err)
		}
		m.Online = slices.Contains(online, m.ID)
		js = append(js, joined{m: m, seq: atoiDefault(seq)})
	}
	slices.SortFunc(js, func(a, b joined) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]Member, len(js))
	for i, j := range js {
		out[i] = j.m
	}
	return out, nil
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
