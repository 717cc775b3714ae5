package menutext

import (
	"fmt"
	"sort"
	"strings"
)

// entry is a dish as a reader saw it, before the menu-wide decisions
// (currency, decimal separator) turn its price text into minor units.
type entry struct {
	line       int
	id         string
	name       string
	desc       string
	names      map[string]string
	price      priceText
	priceIssue bool // a warning already says why there is no price
	warns      []Warning
}

func (e *entry) warn(code, msg string) {
	e.warns = append(e.warns, Warning{Line: e.line, Code: code, Message: msg})
}

type state struct {
	opt      Options
	lang     langHint
	format   string
	entries  []*entry
	warnings []Warning
	full     bool
	// A currency the document itself states (JSON "currency").
	docCurrency     string
	docCurrencyLine int
}

func (s *state) warn(line int, code, msg string) {
	s.warnings = append(s.warnings, Warning{Line: line, Code: code, Message: msg})
}

// newEntry starts a dish, or returns nil once MaxItems are read.
func (s *state) newEntry(line int) *entry {
	if len(s.entries) >= MaxItems {
		if !s.full {
			s.full = true
			s.warn(line, CodeTooManyItems, fmt.Sprintf("more than %d dishes: the menu was read up to line %d", MaxItems, line-1))
		}
		return nil
	}
	e := &entry{line: line}
	s.entries = append(s.entries, e)
	return e
}

func (s *state) finish() Draft {
	d := Draft{Format: s.format, Items: make([]Item, 0, len(s.entries))}
	cur, known := s.decideCurrency()
	d.Currency = cur.Code
	ctx := readContext{cur: cur, menuDec: s.menuDecimal(), convention: decimalConvention(cur.Code, s.lang)}
	names := make(map[string]int, len(s.entries))
	ids := make(map[string]int)
	for _, e := range s.entries {
		it := Item{Line: e.line, ID: e.id, Name: e.name, Description: e.desc, Names: e.names}
		s.warnings = append(s.warnings, e.warns...)
		s.limit(&it)
		switch {
		case e.price.num == "":
			if !e.priceIssue {
				s.warn(e.line, CodeNoPrice, fmt.Sprintf("no price found for “%s”: kept as a dish without a price", short(it.Name)))
			}
		case !known:
			// The menu-wide currency_unknown warning says why.
		case e.price.mark != nil && !e.price.mark.allows(cur.Code):
			s.warn(e.line, CodeCurrencyMismatch, fmt.Sprintf("price “%s %s” is in %s but the menu is in %s: not read",
				short(e.price.num), short(e.price.mark.text), describeCodes(e.price.mark), cur.Code))
		default:
			v, ok, code, msg := readPrice(e.price, ctx)
			if code != "" {
				s.warn(e.line, code, msg)
			}
			if ok {
				it.PriceMinor = &v
			}
		}
		if key := strings.ToLower(it.Name); it.Name != "" {
			if first, dup := names[key]; dup {
				s.warn(e.line, CodeDuplicateName, fmt.Sprintf("“%s” is also on line %d", short(it.Name), first))
			} else {
				names[key] = e.line
			}
		}
		if it.ID != "" {
			if first, dup := ids[it.ID]; dup {
				s.warn(e.line, CodeDuplicateID, fmt.Sprintf("id “%s” is also used on line %d", short(it.ID), first))
			} else {
				ids[it.ID] = e.line
			}
		}
		d.Items = append(d.Items, it)
	}
	sort.SliceStable(s.warnings, func(i, j int) bool { return s.warnings[i].Line < s.warnings[j].Line })
	if n := len(s.warnings); n > MaxWarnings {
		first := s.warnings[MaxWarnings-1].Line
		s.warnings = append(s.warnings[:MaxWarnings-1], Warning{Line: first, Code: CodeTooManyWarnings,
			Message: fmt.Sprintf("%d more warnings from line %d on were left out", n-MaxWarnings+1, first)})
	}
	d.Warnings = s.warnings
	if d.Warnings == nil {
		d.Warnings = []Warning{} // an empty list, not null, for JSON clients
	}
	return d
}

// limit cuts what is too long, saying so.
func (s *state) limit(it *Item) {
	if v, cut := truncateRunes(it.Name, MaxNameLen); cut {
		it.Name = v
		s.warn(it.Line, CodeTooLong, fmt.Sprintf("name longer than %d characters: cut", MaxNameLen))
	}
	if v, cut := truncateRunes(it.Description, MaxDescriptionLen); cut {
		it.Description = v
		s.warn(it.Line, CodeTooLong, fmt.Sprintf("description longer than %d characters: cut", MaxDescriptionLen))
	}
	if v, cut := truncateRunes(it.ID, MaxIDLen); cut {
		it.ID = v
		s.warn(it.Line, CodeTooLong, fmt.Sprintf("id longer than %d characters: cut", MaxIDLen))
	}
	for _, tag := range sortedKeys(it.Names) {
		if cut, was := truncateRunes(it.Names[tag], MaxNameLen); was {
			it.Names[tag] = cut
			s.warn(it.Line, CodeTooLong, fmt.Sprintf("%s name longer than %d characters: cut", tag, MaxNameLen))
		}
	}
}

// menuDecimal is the decimal separator the menu's unambiguous prices use
// (9,50 / 1.234,50 / 12.5), 0 when they do not say or disagree evenly.
func (s *state) menuDecimal() rune {
	comma, dot := 0, 0
	for _, e := range s.entries {
		if e.price.num == "" || e.price.plain {
			continue
		}
		switch splitNumber(e.price.num).decimalVote() {
		case ',':
			comma++
		case '.':
			dot++
		}
	}
	switch {
	case comma > dot:
		return ','
	case dot > comma:
		return '.'
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
