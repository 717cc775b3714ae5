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

	"github.com/menusync/menusync"
)

// Snapshot reads the whole room in one script, so state and version
// belong to the same moment, and the epoch is checked as it is read.
func (s *Store) Snapshot(ctx context.Context, roomID string) (*menusync.Snapshot, error) {
	snap, _, err := s.snapshot(ctx, roomID)
	return snap, err
}

// extras are what the store keeps of a room besides its snapshot.
type extras struct {
	memberNames map[string]map[string]string // names members gave dishes, by dish, by language
	nextDish    int                          // the next free dish number
	namesv      string                       // bumped by every change to dish names
}

// snapshot also returns the room's extras.
func (s *Store) snapshot(ctx context.Context, roomID string) (*menusync.Snapshot, extras, error) {
	if !menusync.ValidRoomID(roomID) {
		return nil, extras{}, menusync.ErrNotFound
	}
	k := keysOf(roomID)
	res, err := s.reads.run(ctx, snapshotScript, []string{k.room, k.members, k.choices, k.left, k.online, k.dishnames, k.done}, menusync.NewEpoch())
	if err != nil {
		return nil, extras{}, unavailable(err)
	}
	if len(res) != 7 {
		return nil, extras{}, menusync.ErrNotFound
	}
	raw := rawRoom{room: pairs(res[0]), members: pairs(res[1]), choices: pairs(res[2]), left: pairs(res[3]),
		online: setOf(res[4]), dishnames: pairs(res[5]), done: setOf(res[6])}
	return raw.decode(roomID)
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

// setOf reads an SMEMBERS reply.
func setOf(v any) []string {
	var out []string
	for _, x := range asList(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// rawRoom is a room as the snapshot script read it.
type rawRoom struct {
	room, members, choices, left, dishnames map[string]string
	online, done                            []string
}

func (raw *rawRoom) decode(roomID string) (*menusync.Snapshot, extras, error) {
	room := raw.room
	if len(room) == 0 || room["menu"] == "" {
		return nil, extras{}, menusync.ErrNotFound
	}
	r, err := decodeRoom(roomID, room)
	if err != nil {
		return nil, extras{}, err
	}
	snap := &menusync.Snapshot{Room: r, Version: r.Version, Epoch: r.Epoch}
	if snap.Members, err = decodeMembers(roomID, raw.members, raw.online, raw.done); err != nil {
		return nil, extras{}, err
	}
	if snap.Left, err = decodeMembers(roomID, raw.left, nil, nil); err != nil {
		return nil, extras{}, err
	}
	x := extras{memberNames: dishNames(raw.dishnames), nextDish: int(atoiDefault(room["nextId"])), namesv: room["namesv"]}
	if x.namesv == "" {
		x.namesv = "0"
	}
	mergeNames(snap.Room.Menu, x.memberNames, true)
	snap.Choices = decodeChoices(raw.choices, snap)
	snap.Finish()
	return snap, x, nil
}

// legacyItem reads menus stored before prices were exact: a float
// price in hundredths.
type legacyItem struct {
	menusync.MenuItem
	Price *float64 `json:"price"`
}

func decodeRoom(roomID string, room map[string]string) (menusync.Room, error) {
	r := menusync.Room{ID: roomID, Epoch: room["epoch"], Name: room["name"], Currency: room["currency"],
		HostID: room["hostId"], Locked: room["locked"] == "1", Closed: room["closed"] == "1", ClosedReason: room["closedReason"],
		ServiceChargePercent: menusync.Percent(atoiDefault(room["service"])), TipPercent: menusync.Percent(atoiDefault(room["tip"])),
		CreatedAt: time.Unix(atoiDefault(room["createdAt"]), 0).UTC(), ExpiresAt: time.Unix(atoiDefault(room["expiresAt"]), 0).UTC(),
		Version: uint64(atoiDefault(room["version"]))}
	var items []legacyItem
	if err := json.Unmarshal([]byte(room["menu"]), &items); err != nil {
		return r, fmt.Errorf("decode menu of %s: %w", roomID, err)
	}
	r.Menu = make([]menusync.MenuItem, len(items))
	for i, it := range items {
		if it.PriceMinor == nil && it.Price != nil {
			p := int64(math.Round(*it.Price * 100))
			it.PriceMinor = &p
		}
		r.Menu[i] = it.MenuItem
	}
	r.CurrencyDigits = 2
	if d, ok := room["digits"]; ok {
		r.CurrencyDigits = int(atoiDefault(d))
	}
	return r, nil
}

// dishNames reads the dish names hash ("<menuId>|<lang>" → name; the
// "#<menuId>" and "#" fields count them by dish and in the room).
func dishNames(h map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for f, name := range h {
		menuID, lang, ok := strings.Cut(f, "|")
		if !ok || name == "" {
			continue
		}
		if out[menuID] == nil {
			out[menuID] = map[string]string{}
		}
		out[menuID][lang] = name
	}
	return out
}

// decodeChoices reads the choices hash ("<memberId>|<menuId>" →
// "<quantity>|<shared>|<note>", or a bare quantity from before notes), in
// member then menu order.
func decodeChoices(choices map[string]string, snap *menusync.Snapshot) []menusync.Choice {
	everyone := append(slices.Clone(snap.Members), snap.Left...)
	memberPos := make(map[string]int, len(everyone))
	for i, m := range everyone {
		memberPos[m.ID] = i
	}
	itemPos := make(map[string]int, len(snap.Room.Menu))
	for i, it := range snap.Room.Menu {
		itemPos[it.ID] = i
	}
	out := make([]menusync.Choice, 0, len(choices))
	for f, v := range choices {
		memberID, menuID, ok := strings.Cut(f, "|")
		if !ok {
			continue
		}
		if _, known := memberPos[memberID]; !known {
			continue
		}
		q, rest, _ := strings.Cut(v, "|")
		shared, note, _ := strings.Cut(rest, "|")
		n, err := strconv.Atoi(q)
		if err != nil || n <= 0 {
			continue
		}
		out = append(out, menusync.Choice{MenuID: menuID, MemberID: memberID, Quantity: n, Shared: shared == "1", Note: note})
	}
	slices.SortFunc(out, func(a, b menusync.Choice) int {
		return cmp.Or(cmp.Compare(memberPos[a.MemberID], memberPos[b.MemberID]),
			cmp.Compare(itemPos[a.MenuID], itemPos[b.MenuID]))
	})
	return out
}

// decodeMembers reads a members hash ("<join version>|<json>" by id) in
// join order.
func decodeMembers(roomID string, members map[string]string, online, done []string) ([]menusync.Member, error) {
	type joined struct {
		m   menusync.Member
		seq int64
	}
	js := make([]joined, 0, len(members))
	for id, raw := range members {
		seq, body, ok := strings.Cut(raw, "|")
		if !ok {
			return nil, fmt.Errorf("member %s of %s: malformed value", id, roomID)
		}
		m, err := decodeMember(body)
		if err != nil {
			return nil, fmt.Errorf("member %s of %s: %w", id, roomID, err)
		}
		m.Online = slices.Contains(online, m.ID)
		m.Done = slices.Contains(done, m.ID)
		m.Joined = uint64(atoiDefault(seq))
		js = append(js, joined{m: m, seq: atoiDefault(seq)})
	}
	slices.SortFunc(js, func(a, b joined) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]menusync.Member, len(js))
	for i, j := range js {
		out[i] = j.m
	}
	return out, nil
}
