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
	lr := &lineReader{st: st, raw: raw, lines: make([]line, len(raw)), lastLine: -1, afterGap: true}
	for i, r := range raw {
		lr.lines[i] = parseLine(r, i+1)
	}
	lr.next = nextNonBlank(lr.lines)
	for i := range lr.lines {
		if !lr.read(i) {
			return
		}
	}
}

// lineReader is what readLines carries from one line to the next: a line
// can finish the dish above it, so each is read against its neighbours.
type lineReader struct {
	st       *state
	raw      []string
	lines    []line
	next     []int  // next[i] is the first non-blank line after i, or -1
	last     *entry // the dish read most recently
	lastLine int    // index of the last line that belonged to it
	afterGap bool   // the previous line was blank, a heading, or the start
}

func nextNonBlank(lines []line) []int {
	next := make([]int, len(lines))
	n := -1
	for i := len(lines) - 1; i >= 0; i-- {
		next[i] = n
		if !lines[i].blank {
			n = i
		}
	}
	return next
}

// read takes line i into the menu; false once the menu is full.
func (lr *lineReader) read(i int) bool {
	l := &lr.lines[i]
	adjacent := lr.last != nil && lr.lastLine == i-1
	switch {
	case l.blank:
		lr.afterGap = true
		return true
	case l.hasPrice && l.name == "":
		lr.priceOnly(i, adjacent)
		return true
	case !l.hasPrice && l.issue == nil:
		if l.indented && adjacent && lr.last.price.num != "" {
			lr.description(i)
			return true
		}
		if lr.isHeading(i) {
			lr.st.warn(l.num, CodeHeading, fmt.Sprintf("“%s” read as a section heading, not a dish", short(l.name)))
			lr.afterGap = true
			lr.last = nil
			return true
		}
	}
	return lr.dish(i)
}

// priceOnly reads a line that holds nothing but a price: "비빔밥" then
// "12,000원" underneath is a layout copied from PDFs.
func (lr *lineReader) priceOnly(i int, adjacent bool) {
	l := &lr.lines[i]
	if last := lr.last; adjacent && last.price.num == "" && !last.priceIssue {
		last.price = l.price
		last.warns = append(last.warns, l.notes...)
		last.warn(CodePriceOwnLine, fmt.Sprintf("the price on line %d, alone on its line, was given to “%s” above", l.num, short(last.name)))
		lr.lastLine = i
	} else {
		lr.st.warn(l.num, CodeNoName, fmt.Sprintf("price “%s” without a dish name: skipped", short(strings.TrimSpace(lr.raw[i]))))
	}
	lr.afterGap = false
}

// description adds an indented unpriced line under a priced dish to
// that dish's description.
func (lr *lineReader) description(i int) {
	l, last := &lr.lines[i], lr.last
	if last.desc != "" {
		last.desc += " "
	}
	last.desc += l.name
	last.warn(CodeDescriptionLine, fmt.Sprintf("indented line %d read as the description of “%s”", l.num, short(last.name)))
	lr.lastLine = i
}

// isHeading reports whether unpriced line i is a section heading. A short
// line without digits that opens a block and leads into dishes or another
// heading is one ("メイン", a restaurant's name); anywhere else an unpriced
// line is kept as a dish.
func (lr *lineReader) isHeading(i int) bool {
	l := &lr.lines[i]
	if l.heading {
		return true
	}
	nx := lr.next[i]
	leads := nx >= 0 && (lr.lines[nx].heading || lr.lines[nx].hasPrice && lr.lines[nx].name != "")
	return !l.digits && lr.afterGap && leads && len([]rune(l.name)) <= 40
}

// dish starts a dish from line i; false once the menu is full.
func (lr *lineReader) dish(i int) bool {
	l := &lr.lines[i]
	e := lr.st.newEntry(l.num)
	if e == nil {
		return false
	}
	e.name, e.desc, e.price = l.name, l.desc, l.price
	e.warns = append(e.warns, l.notes...)
	if l.issue != nil {
		e.priceIssue = true
		e.warns = append(e.warns, *l.issue)
	}
	lr.last, lr.lastLine, lr.afterGap = e, i, false
	return true
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
