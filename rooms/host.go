package rooms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/menusync/menusync"
)

// UpdateRoom changes the host's settings. Only the host may; the event
// carries what changed.
func (s *Store) UpdateRoom(ctx context.Context, roomID, actor string, in menusync.Settings, o WriteOpts) (Result, error) {
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
	fp := make([]string, len(args))
	for i, a := range args {
		fp[i] = a.(string)
	}
	r, err := s.run(ctx, settingsScript, roomID, actor, o, strings.Join(fp, "\x1f"), menusync.TypeRoom, prefix, args...)
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
	expires := s.now().Add(ClosedGrace).Truncate(time.Second).UTC()
	ej, err := json.Marshal(menusync.ClosedEvent{Reason: menusync.ClosedByHost, Message: message, ExpiresAt: &expires})
	if err != nil {
		return Result{}, fmt.Errorf("encode closed event: %w", err)
	}
	prefix := string(ej[:len(ej)-1]) + `,"version":`
	r, err := s.run(ctx, closeScript, roomID, actor, o, "close\x1f"+message, menusync.TypeClosed, prefix, actor, message, expires.Unix())
	return r.Result, err
}

// errStale: a member named a dish between reading the room and
// replacing its menu.
var errStale = errors.New("stale")

// ReplaceMenu gives the room a new menu (the host's edit: dishes added,
// removed, renamed, repriced). Choices of dishes no longer on it go.
// Names members gave to kept dishes stay unless the new menu names the
// dish in that language itself. New dishes without an id get one no
// dish of the room ever had. A retry with the same idempotency key gets
// the first edit's answer, whatever the room became since.
func (s *Store) ReplaceMenu(ctx context.Context, roomID, actor string, menu []menusync.MenuItem, o WriteOpts) ([]menusync.MenuItem, Result, error) {
	asSent, err := json.Marshal(menu)
	if err != nil {
		return nil, Result{}, fmt.Errorf("encode menu: %w", err)
	}
	sum := sha256.Sum256(asSent)
	fingerprint := hex.EncodeToString(sum[:16])
	for range 5 {
		snap, x, err := s.snapshot(ctx, roomID)
		if err != nil {
			return nil, Result{}, err
		}
		if snap.Room.HostID != actor && o.IdempotencyKey == "" {
			return nil, Result{}, menusync.ErrNotHost // the script checks again, atomically
		}
		merged, next := menusync.AssignIDs(menu, snap.Room.Menu, x.nextDish)
		if merged, err = menusync.ValidateMenu(merged); err != nil {
			return nil, Result{}, err
		}
		mergeNames(merged, x.memberNames, false)
		r, err := s.replaceMenu(ctx, roomID, actor, x.namesv, next, merged, fingerprint, o)
		switch {
		case errors.Is(err, errStale):
			continue
		case err == nil && r.Replayed:
			// The first edit's menu is the room's, or what it became.
			if snap, err = s.Snapshot(ctx, roomID); err != nil {
				return nil, Result{}, err
			}
			return snap.Room.Menu, r, nil
		}
		return merged, r, err
	}
	return nil, Result{}, fmt.Errorf("%w: members kept naming dishes; send the menu edit again", menusync.ErrConflict)
}

func (s *Store) replaceMenu(ctx context.Context, roomID, actor, namesv string, next int, menu []menusync.MenuItem, fingerprint string, o WriteOpts) (Result, error) {
	mj, err := json.Marshal(menu)
	if err != nil {
		return Result{}, fmt.Errorf("encode menu: %w", err)
	}
	ej, err := json.Marshal(menusync.MenuEvent{Menu: menu})
	if err != nil {
		return Result{}, fmt.Errorf("encode menu event: %w", err)
	}
	prefix := string(ej[:len(ej)-1]) + `,"version":`
	args := make([]any, 0, 4+len(menu))
	args = append(args, actor, namesv, mj, next)
	for _, it := range menu {
		args = append(args, it.ID)
	}
	r, err := s.run(ctx, menuScript, roomID, actor, o, fingerprint, menusync.TypeMenu, prefix, args...)
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
