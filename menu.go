package menusync

import "strconv"

// AssignIDs gives the dishes of an edited menu that have no id one that
// no dish of the old or the new menu has: the next number up. Ids must
// never be reused, or a choice of a removed dish would come back as a
// choice of a new one.
func AssignIDs(menu, old []MenuItem) []MenuItem {
	next := 1
	for _, list := range [][]MenuItem{old, menu} {
		for _, it := range list {
			if n, err := strconv.Atoi(it.ID); err == nil && n >= next {
				next = n + 1
			}
		}
	}
	out := make([]MenuItem, len(menu))
	for i, it := range menu {
		if it.ID == "" {
			it.ID = strconv.Itoa(next)
			next++
		}
		out[i] = it
	}
	return out
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
