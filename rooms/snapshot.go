package rooms

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/menusync/menusync"
)

// Snapshot reads the whole room in one script, so state and version
// belong to the same moment, and the epoch is checked as it is read.
func (s *Store) Snapshot(ctx context.Context, roomID string) (*menusync.Snapshot, error) {
	if !menusync.ValidRoomID(roomID) {
		return nil, menusync.ErrNotFound
	}
	k := keysOf(roomID)
	res, err := snapshotScript.Run(ctx, s.rdb, []string{k.room, k.members, k.choices, k.left, k.online}, menusync.NewEpoch()).Slice()
	if err != nil {
		return nil, unavailable(err)
	}
	if len(res) != 5 {
		return nil, menusync.ErrNotFound
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

func decodeSnapshot(roomID string, room, members, choices, left map[string]string, online []string) (*menusync.Snapshot, error) {
	if len(room) == 0 || room["menu"] == "" {
		return nil, menusync.ErrNotFound
	}
	snap := &menusync.Snapshot{Room: menusync.Room{ID: roomID, Epoch: room["epoch"]}, Epoch: room["epoch"]}
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
	snap.Choices = make([]menusync.Choice, 0, len(choices))
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
		snap.Choices = append(snap.Choices, menusync.Choice{MenuID: menuID, MemberID: memberID, Quantity: n})
	}
	slices.SortFunc(snap.Choices, func(a, b menusync.Choice) int {
		return cmp.Or(cmp.Compare(memberPos[a.MemberID], memberPos[b.MemberID]),
			cmp.Compare(itemPos[a.MenuID], itemPos[b.MenuID]))
	})
	snap.Summary = menusync.Summarize(snap.Room.Menu, everyone, snap.Choices)
	return snap, nil
}

// decodeMembers reads a members hash ("<join version>|<json>" by id) in
// join order.
func decodeMembers(roomID string, members map[string]string, online []string) ([]menusync.Member, error) {
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
		var m menusync.Member
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			return nil, fmt.Errorf("member %s of %s: %w", id, roomID, err)
		}
		m.Online = slices.Contains(online, m.ID)
		js = append(js, joined{m: m, seq: atoiDefault(seq)})
	}
	slices.SortFunc(js, func(a, b joined) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]menusync.Member, len(js))
	for i, j := range js {
		out[i] = j.m
	}
	return out, nil
}
