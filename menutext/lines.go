package menutext

import (
	"fmt"
	"strings"
	"unicode"
)

// line is one pasted line as read on its own; readLines then looks at
// its neighbours (headings, prices on their own line, indented descriptions).
type line struct {
	num        int
	blank      bool // nothing but spaces, leaders and decoration
	indented   bool
	heading    bool // shaped like a heading: [식사], 【メイン】, MAINS, Desserts:
	digits     bool
	name, desc string
	price      priceText
	hasPrice   bool
	issue      *Warning // why a price-like text was not read
	notes      []Warning
}

func (l *line) note(code, format string, args ...any) {
	l.notes = append(l.notes, Warning{Line: l.num, Code: code, Message: fmt.Sprintf(format, args...)})
}

// readLines reads one dish per line.
func readLines(text string, st *state) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	raw := strings.Split(strings.ReplaceAll(text, "\r", "\n"), "\n") // a lone CR ends a line too
	lines := make([]line, len(raw))
	for i, r := range raw {
		lines[i] = parseLine(r, i+1)
	}
	// next[i] is the first non-blank line after i, or -1.
	next := make([]int, len(lines))
	n := -1
	for i := len(lines) - 1; i >= 0; i-- {
		next[i] = n
		if !lines[i].blank {
			n = i
		}
	}
	var last *entry  // the dish read most recently
	lastLine := -1   // index of the last line that belonged to it
	afterGap := true // the previous line was blank, a heading, or the start
	for i := range lines {
		l := &lines[i]
		if l.blank {
			afterGap = true
			continue
		}
		adjacent := last != nil && lastLine == i-1
		switch {
		case l.hasPrice && l.name == "":
			// "비빔밥" then "12,000원" underneath: a layout copied from PDFs.
			if adjacent && last.price.num == "" && !last.priceIssue {
				last.price = l.price
				last.warns = append(last.warns, l.notes...)
				last.warn(CodePriceOwnLine, fmt.Sprintf("the price on line %d, alone on its line, was given to “%s” above", l.num, short(last.name)))
				lastLine = i
			} else {
				st.warn(l.num, CodeNoName, fmt.Sprintf("price “%s” without a dish name: skipped", short(strings.TrimSpace(raw[i]))))
			}
			afterGap = false
			continue
		case !l.hasPrice && l.issue == nil:
			if l.indented && adjacent && last.price.num != "" {
				if last.desc != "" {
					last.desc += " "
				}
				last.desc += l.name
				last.warn(CodeDescriptionLine, fmt.Sprintf("indented line %d read as the description of “%s”", l.num, short(last.name)))
				lastLine = i
				continue
			}
			nx := next[i]
			// A short line without digits that opens a block and leads into
			// dishes or another heading is a heading ("メイン", a restaurant's
			// name); anywhere else an unpriced line is kept as a dish.
			leads := nx >= 0 && (lines[nx].heading || lines[nx].hasPrice && lines[nx].name != "")
			if l.heading || (!l.digits && afterGap && leads && len([]rune(l.name)) <= 40) {
				st.warn(l.num, CodeHeading, fmt.Sprintf("“%s” read as a section heading, not a dish", short(l.name)))
				afterGap = true
				last = nil
				continue
			}
		}
		e := st.newEntry(l.num)
		if e == nil {
			return
		}
		e.name, e.desc, e.price = l.name, l.desc, l.price
		e.warns = append(e.warns, l.notes...)
		if l.issue != nil {
			e.priceIssue = true
			e.warns = append(e.warns, *l.issue)
		}
		last, lastLine, afterGap = e, i, false
	}
}

// parseLine reads one line on its own. Shapes, in order: columns split by
// "|" or tabs with the price in the middle; a price at the end; "name,
// price, description"; a price followed by a bracketed note; prices
// written in a way we refuse to guess (1만2천원, 65k); else no price.
func parseLine(raw string, num int) line {
	l := line{num: num}
	r := []rune(raw)
	f := foldRunes(r)
	lo, hi := trimSpaceRunes(f, 0, len(f))
	l.indented = lo > 0
	l.blank = true
	for _, c := range f[lo:hi] {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			l.blank = false
		}
		l.digits = l.digits || isDigit(c)
	}
	if l.blank {
		return l
	}
	// "120++" (Thailand, Indonesia): service charge and tax come on top.
	end, plus := hi, false
	if hi-lo > 2 && f[hi-1] == '+' && f[hi-2] == '+' {
		_, end = trimSpaceRunes(f, lo, hi-2)
		plus = true
	}
	readShapes(&l, r, f, lo, end, hi)
	if l.name == "" && !l.hasPrice {
		l.blank = true // nothing but leaders, such as a rule of ーーーー
		return l
	}
	if plus && l.hasPrice {
		l.note(CodePriceNote, "“++” after the price: service charge and tax are added on top")
	}
	return l
}

// readShapes tries each shape of a priced line on f[lo:end]; hi is the
// end of the whole text, for a line that turns out to have no price.
func readShapes(l *line, r, f []rune, lo, end, hi int) {
	if columns(l, r, f, lo, end) {
		return
	}
	if t, ok := findTail(f, lo, end); ok && !phoneNumber(f, lo, end) {
		nameEnd := t.nameEnd
		if low, ok := priceBefore(f, lo, nameEnd); ok {
			l.note(CodePriceAmbiguous, "the line shows two prices (“%s”); the last one, %s, was used",
				short(strings.TrimSpace(string(r[low:end]))), short(t.price.num))
			nameEnd = low
		}
		if k := nameEnd - 1; k >= lo && (f[k] == '-' || f[k] == '−') && (k == lo || isSpace(f[k-1])) {
			// "Set discount -2.00": a minus against the number is a sign,
			// not a leader, and menus have no negative prices.
			if l.name = trimName(r, f, lo, k); l.name == "" {
				l.name = trimName(r, f, lo, hi)
			}
			l.issue = &Warning{Line: l.num, Code: CodePriceNegative,
				Message: fmt.Sprintf("price “%s” is negative: not read", short(strings.TrimSpace(string(r[k:end]))))}
			return
		}
		if hidden := commaPrice(r, f, lo, nameEnd); hidden != "" {
			l.note(CodePriceAmbiguous, "“%s” earlier on the line also looks like a price; the last number, %s, was used",
				short(hidden), short(t.price.num))
		}
		l.name = trimName(r, f, lo, nameEnd)
		l.price, l.hasPrice = t.price, true
		return
	}
	if commaFields(l, r, f, lo, end) || bracketNote(l, r, f, lo, end) || trailingSymbols(l, r, f, lo, end) ||
		numberWords(l, r, f, lo, end) {
		return
	}
	l.name = trimName(r, f, lo, hi)
	l.heading = headingShape(f, lo, hi)
}
