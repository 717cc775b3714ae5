package rooms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/menusync/menusync"
)

// UpdateRoom changes the host's settings. Only the host may; the event
// carries what changed.
func (s *Store) UpdateRoom(ctx context.Context, roomID, actor string, in Settings, o WriteOpts) (Result, error) {
	e := menusync.RoomEvent(in)
	args := []any{actor, "", "", "", "", ""}
	if in.Name != nil {
		name, err := menusync.CleanRoomName(*in.Name)
		if err != nil {
			return Result{}, err
		}
		e.Name, args[1] = &name, "="+name
	}
	if in.Locked != nil {
		args[2] = boolArg(*in.Locked)
	}
	for i, p := range []*menusync.Percent{in.ServiceChargePercent, in.TipPercent} {
		if p == nil {
			continue
		}
		if *p < 0 || *p > menusync.MaxPercent {
			return Result{}, menusync.Invalidf("a percentage must be between 0 and 100")
		}
		args[3+i] = strconv.FormatInt(int64(*p), 10)
	}
	if in.HostID != nil {
		if !menusync.ValidMemberID(*in.HostID) {
			return Result{}, menusync.ErrMemberNotFound
		}
		args[5] = *in.HostID
	}
	ej, err := json.Marshal(e)
	if err != nil {
		return Result{}, fmt.Errorf("encode settings: %w", err)
	}
	prefix := string(ej[:len(ej)-1]) + `,"version":`
	if len(ej) == 2 { // {}
		prefix = `{"version":`
	}
	r, err := s.run(ctx, settingsScript, roomID, actor, o, fmt.Sprint(args...), menusync.TypeRoom, prefix, args...)
	return r.Result, err
}

// Close ends the table for everyone: the closed event ends every stream,
// changes are refused, and the room is kept ClosedGrace so late readers
// get the final order.
func (s *Store) Close(ctx context.Context, roomID, actor, message string, o WriteOpts) (Result, error) {
	message, err := menusync.CleanReason(message)
	if err != nil {
		return Result{}, err
	}
	ej, err := json.Marshal(menusync.ClosedEvent{Reason: menusync.ClosedByHost, Message: message})
	if err != nil {
		return Result{}, fmt.Errorf("encode closed event: %w", err)
	}
	prefix := string(ej[:len(ej)-1]) + `,"version":`
	r, err := s.run(ctx, closeScript, roomID, actor, o, "close", menusync.TypeClosed, prefix, actor, message, int64(ClosedGrace.Seconds()))
	return r.Result, err
}

// errStale: the room moved on between reading it and replacing its menu.
var errStale = errors.New("stale")

// ReplaceMenu gives the room a new menu (the host's edit: dishes added,
// removed, renamed, repriced). Choices of dishes no longer on it go.
// Names members gave to kept dishes stay unless the new menu names the
// dish in that language itself. New dishes without an id get one no
// dish had.
func (s *Store) ReplaceMenu(ctx context.Context, roomID, actor string, menu []menusync.MenuItem, o WriteOpts) ([]menusync.MenuItem, Result, error) {
	for range 5 {
		snap, memberNames, err := s.snapshot(ctx, roomID)
		if err != nil {
			return nil, Result{}, err
		}
		if snap.Room.HostID != actor {
			return nil, Result{}, menusync.ErrNotHost
		}
		merged, err := menusync.ValidateMenu(menusync.AssignIDs(menu, snap.Room.Menu))
		if err != nil {
			return nil, Result{}, err
		}
		mergeNames(merged, memberNames, false)
		r, err := s.replaceMenu(ctx, roomID, actor, snap.Version, merged, o)
		if errors.Is(err, errStale) {
			continue
		}
		return merged, r, err
	}
	return nil, Result{}, fmt.Errorf("%w: try the menu edit again", menusync.ErrConflict)
}

func (s *Store) replaceMenu(ctx context.Context, roomID, actor string, at uint64, menu []menusync.MenuItem, o WriteOpts) (Result, error) {
	mj, err := json.Marshal(menu)
	if err != nil {
		return Result{}, fmt.Errorf("encode menu: %w", err)
	}
	ej, err := json.Marshal(menusync.MenuEvent{Menu: menu})
	if err != nil {
		return Result{}, fmt.Errorf("encode menu event: %w", err)
	}
	prefix := string(ej[:len(ej)-1]) + `,"version":`
	args := make([]any, 0, 3+len(menu))
	args = append(args, actor, at, mj)
	for _, it := range menu {
		args = append(args, it.ID)
	}
	sum := sha256.Sum256(mj)
	r, err := s.run(ctx, menuScript, roomID, actor, o, hex.EncodeToString(sum[:16]), menusync.TypeMenu, prefix, args...)
	return r.Result, err
}

// mergeNames adds the members' names of dishes to a menu. A member's
// name replaces the menu's own in a snapshot (a correction); a host who
// edits the menu has the last word, so there the menu's own name wins.
func mergeNames(menu []menusync.MenuItem, memberNames map[string]map[string]string, membersWin bool) {
	for i := range menu {
		for lang, name := range memberNames[menu[i].ID] {
			if _, own := menu[i].Names[lang]; own && !membersWin {
				continue
			}
			if menu[i].Names == nil {
				menu[i].Names = map[string]string{}
			}
			menu[i].Names[lang] = name
		}
	}
}
