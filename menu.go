package menusync

import "strconv"

// AssignIDs gives the dishes of an edited menu that have no id one that
// no dish of the room ever had: the next number up from next (the room's
// count, which only grows) and from every numeric id of the old and the
// new menu. It returns the menu and the next free number. Ids are never
// reused, or a choice of a removed dish would come back as a choice of a
// new one.
func AssignIDs(menu, old []MenuItem, next int) ([]MenuItem, int) {
	next = max(next, NextDishNumber(old), NextDishNumber(menu))
	out := make([]MenuItem, len(menu))
	for i, it := range menu {
		if it.ID == "" {
			it.ID = strconv.Itoa(next)
			next++
		}
		out[i] = it
	}
	return out, next
}

// NextDishNumber is one more than the largest numeric dish id of menu
// (1 when it has none).
func NextDishNumber(menu []MenuItem) int {
	next := 1
	for _, it := range menu {
		if n, err := strconv.Atoi(it.ID); err == nil && n >= next && n < 1<<30 {
			next = n + 1
		}
	}
	return next
}

// NameIn is the dish's name for a reader of lang: a member's or the
// menu's own translation, else the glossary's suggestion, else the name
// as printed. suggested tells which it is.
func (it *MenuItem) NameIn(lang string) (name string, suggested bool) {
	if n := it.Names[lang]; n != "" {
		return n, false
	}
	if n := it.SuggestedNames[lang]; n != "" {
		return n, true
	}
	return it.Name, false
}
