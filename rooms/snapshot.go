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

	"github.com/redis/go-redis/v9"
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

// Snapshot reads the whole room in one MULTI/EXEC, so state and version
// belong to the same moment.
func (s *Store) Snapshot(ctx context.Context, roomID string) (*Snapshot, error) {
	if !ValidRoomID(roomID) {
		return nil, ErrNotFound
	}
	k := keysOf(roomID)
	var room, members, choices *redis.MapStringStringCmd
	var online *redis.StringSliceCmd
	_, err := s.reader.TxPipelined(ctx, func(p redis.Pipeliner) error {
		room = p.HGetAll(ctx, k.room)
		members = p.HGetAll(ctx, k.members)
		choices = p.HGetAll(ctx, k.choices)
		online = p.SMembers(ctx, k.room+":online")
		return nil
	})
	if err != nil {
		return nil, unavailable(err)
	}
	return decodeSnapshot(roomID, room.Val(), members.Val(), choices.Val(), online.Val())
}

func decodeSnapshot(roomID string, room, members, choices map[string]string, online []string) (*Snapshot, error) {
	if len(room) == 0 || room["menu"] == "" {
		return nil, ErrNotFound
	}
	snap := &Snapshot{Room: Room{ID: roomID}}
	if err := json.Unmarshal([]byte(room["menu"]), &snap.Room.Menu); err != nil {
		return nil, fmt.Errorf("decode menu of %s: %w", roomID, err)
	}
	snap.Room.CreatedAt = time.Unix(atoiDefault(room["createdAt"]), 0).UTC()
	snap.Room.ExpiresAt = time.Unix(atoiDefault(room["expiresAt"]), 0).UTC()
	snap.Version = uint64(atoiDefault(room["version"]))
	snap.Room.Version = snap.Version

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
	snap.Members = make([]Member, len(js))
	memberPos := make(map[string]int, len(js))
	for i, j := range js {
		snap.Members[i] = j.m
		memberPos[j.m.ID] = i
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
	snap.Summary = Summarize(snap.Room.Menu, snap.Members, snap.Choices)
	return snap, nil
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
