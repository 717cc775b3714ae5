package rooms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/menusync/menusync"
)

// SetChoice sets memberID's quantity of a dish, with its note and whether
// it is for the table; quantity 0 removes it.
func (s *Store) SetChoice(ctx context.Context, roomID, memberID string, in ChoiceInput, o WriteOpts) (ChoiceResult, error) {
	if err := menusync.ValidQuantity(in.Quantity); err != nil {
		return ChoiceResult{}, err
	}
	if in.MenuID == "" {
		return ChoiceResult{}, menusync.Invalidf("menuId is required")
	}
	if menusync.CheckItemID(in.MenuID) != nil {
		return ChoiceResult{}, fmt.Errorf("%w: %q", menusync.ErrUnknownMenuItem, in.MenuID)
	}
	note, err := menusync.CleanNote(in.Note)
	if err != nil {
		return ChoiceResult{}, err
	}
	c := menusync.Choice{MenuID: in.MenuID, MemberID: memberID, Quantity: in.Quantity, Note: note, Shared: in.Shared}
	if c.Quantity == 0 {
		c.Note, c.Shared = "", false
	}
	cj, err := json.Marshal(c)
	if err != nil {
		return ChoiceResult{}, fmt.Errorf("encode choice: %w", err)
	}
	prefix := string(cj[:len(cj)-1]) + `,"version":`
	value := choiceValue(c)
	r, err := s.run(ctx, choiceScript, roomID, memberID, o, c.MenuID+"="+value, menusync.TypeChoice, prefix, memberID, c.MenuID, c.Quantity, value)
	if err != nil {
		if errors.Is(err, menusync.ErrUnknownMenuItem) {
			err = fmt.Errorf("%w: %q", menusync.ErrUnknownMenuItem, c.MenuID)
		}
		return ChoiceResult{}, err
	}
	return ChoiceResult{Result: r.Result, Choice: c}, nil
}

// choiceValue is how the choices hash holds a choice:
// "<quantity>|<shared 0/1>|<note>" (a bare quantity in rooms from before
// notes).
func choiceValue(c menusync.Choice) string {
	return strconv.Itoa(c.Quantity) + "|" + boolArg(c.Shared) + "|" + c.Note
}

// NameDish sets a member's name for a dish in a language (a translation,
// or a correction of a machine suggestion). A dish gets new languages
// from members until it has MaxNamesPerItem; a room takes at most
// MaxDishNamesPerRoom names from members.
func (s *Store) NameDish(ctx context.Context, roomID, memberID, menuID, lang, name string, o WriteOpts) (menusync.DishNameEvent, Result, error) {
	lang, err := menusync.CleanLang(lang)
	if err != nil {
		return menusync.DishNameEvent{}, Result{}, err
	}
	if name, err = menusync.CleanDishName(name); err != nil {
		return menusync.DishNameEvent{}, Result{}, err
	}
	if menusync.CheckItemID(menuID) != nil {
		return menusync.DishNameEvent{}, Result{}, fmt.Errorf("%w: %q", menusync.ErrUnknownMenuItem, menuID)
	}
	snap, err := s.Snapshot(ctx, roomID)
	if err != nil {
		return menusync.DishNameEvent{}, Result{}, err
	}
	for _, it := range snap.Room.Menu {
		if _, known := it.Names[lang]; it.ID == menuID && !known && len(it.Names) >= menusync.MaxNamesPerItem {
			return menusync.DishNameEvent{}, Result{}, menusync.Invalidf("this dish has names in %d languages already; correct one of them", menusync.MaxNamesPerItem)
		}
	}
	e := menusync.DishNameEvent{MenuID: menuID, Lang: lang, Name: name}
	ej, err := json.Marshal(e)
	if err != nil {
		return menusync.DishNameEvent{}, Result{}, fmt.Errorf("encode dish name: %w", err)
	}
	prefix := string(ej[:len(ej)-1]) + `,"version":`
	field := menuID + "|" + lang
	r, err := s.run(ctx, dishnameScript, roomID, memberID, o, field+"="+e.Name, menusync.TypeDishName, prefix,
		memberID, menuID, field, e.Name, menusync.MaxNamesPerItem, menusync.MaxDishNamesPerRoom)
	return e, r.Result, err
}

// Refresh bumps the version and tells every listener to refetch.
// memberID scopes the idempotency key.
func (s *Store) Refresh(ctx context.Context, roomID, memberID string, o WriteOpts) (Result, error) {
	r, err := s.run(ctx, refreshScript, roomID, memberID, o, "refresh", menusync.TypeRefresh, `{"version":`, memberID)
	return r.Result, err
}
