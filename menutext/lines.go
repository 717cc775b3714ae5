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
	raw := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	lines := make([]line, len(raw))
	for i, r := range raw {
		lines[i] = parseLine(strings.TrimSuffix(r, "\r"), i+1)
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
				last.warn(CodePriceOwnLine, fmt.Sprintf("the price on line %d, alone on its line, was given to “%s” above", l.num, last.name))
				lastLine = i
			} else {
				st.warn(l.num, CodeNoName, fmt.Sprintf("price “%s” without a dish name: skipped", strings.TrimSpace(raw[i])))
			}
			afterGap = false
			continue
		case !l.hasPrice && l.issue == nil:
			if l.indented && adjacent && last.price.num != "" {
				if last.desc != "" {
					last.desc += " "
				}
				last.desc += l.name
				last.warn(CodeDescriptionLine, fmt.Sprintf("indented line %d read as the description of “%s”", l.num, last.name))
				lastLine = i
				continue
			}
			nx := next[i]
			followedByDish := nx >= 0 && lines[nx].hasPrice && lines[nx].name != ""
			if l.heading || (!l.digits && afterGap && followedByDish && len([]rune(l.name)) <= 40) {
				st.warn(l.num, CodeHeading, fmt.Sprintf("“%s” read as a section heading, not a dish", l.name))
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
				strings.TrimSpace(string(r[low:end])), t.price.num)
			nameEnd = low
		}
		if hidden := commaPrice(r, f, lo, nameEnd); hidden != "" {
			l.note(CodePriceAmbiguous, "“%s” earlier on the line also looks like a price; the last number, %s, was used",
				hidden, t.price.num)
		}
		l.name = trimName(r, f, lo, nameEnd)
		l.price, l.hasPrice = t.price, true
		return
	}
	if commaFields(l, r, f, lo, end) || bracketNote(l, r, f, lo, end) || numberWords(l, r, f, lo, end) {
		return
	}
	l.name = trimName(r, f, lo, hi)
	l.heading = headingShape(f, lo, hi)
}

// priceBefore finds a second price just before the one at nameEnd, joined
// to it by a range mark or a slash: "12,000~15,000원", "8.50 / 12.00".
func priceBefore(f []rune, lo, nameEnd int) (int, bool) {
	k := nameEnd
	for k > lo && isSpace(f[k-1]) {
		k--
	}
	if k == lo {
		return 0, false
	}
	switch c := f[k-1]; {
	case c == '~' || c == '〜' || c == '/':
	case isDashLike(c) && k == nameEnd: // 12-15 but not "Set 2 - 15.00"
	default:
		return 0, false
	}
	if isDashLike(f[k-1]) && (k-2 < lo || isSpace(f[k-2])) {
		return 0, false
	}
	t, ok := findTail(f, lo, k-1)
	if !ok {
		return 0, false
	}
	return t.nameEnd, true
}

// columns reads "name | price | description" and tab-separated columns.
func columns(l *line, r, f []rune, lo, hi int) bool {
	type span struct{ a, b int }
	var cols []span
	a := lo
	for i := lo; i <= hi; i++ {
		if i < hi && f[i] != '|' && f[i] != '\t' {
			continue
		}
		if ca, cb := trimSpaceRunes(f, a, i); ca < cb {
			cols = append(cols, span{ca, cb})
		}
		a = i + 1
	}
	if len(cols) < 3 {
		return false
	}
	at := -1
	var found tail
	for i, c := range cols {
		t, ok := findTail(f, c.a, c.b)
		if !ok || trimName(r, f, c.a, t.nameEnd) != "" {
			continue
		}
		if at < 0 {
			at, found = i, t
		} else if at > 0 {
			l.note(CodePriceAmbiguous, "more than one column looks like a price; “%s” was used", found.price.num)
			break
		}
	}
	if at < 1 {
		return false
	}
	l.name = trimName(r, f, cols[0].a, cols[at-1].b)
	if at+1 < len(cols) {
		l.desc = string(r[cols[at+1].a:cols[len(cols)-1].b])
	}
	l.price, l.hasPrice = found.price, true
	return true
}

// phoneNumber reports a line ending in a telephone number (02-123-4567),
// which the price reader would otherwise take for two prices.
func phoneNumber(f []rune, lo, hi int) bool {
	s := hi
	for s > lo && !isSpace(f[s-1]) {
		s--
	}
	dashes := 0
	for _, c := range f[s:hi] {
		switch {
		case c == '-':
			dashes++
		case !isDigit(c) && c != '(' && c != ')' && c != '+':
			return false
		}
	}
	return dashes >= 2
}

// commaCuts lists the commas that separate fields of f[lo:hi]: "," before
// a space, or the ideographic "、" and full-width "，" anywhere. A comma
// between digits (12,000) never separates.
func commaCuts(r, f []rune, lo, hi int) []int {
	var cuts []int
	for i := lo + 1; i < hi-1; i++ {
		if f[i] == ',' && (isSpace(f[i+1]) || r[i] != ',') {
			cuts = append(cuts, i)
		}
	}
	return cuts
}

// commaPrice returns a field of f[lo:hi], after its first comma, that is
// nothing but a price: "Bibimbap, 12.50, served with soup 2".
func commaPrice(r, f []rune, lo, hi int) string {
	cuts := commaCuts(r, f, lo, hi)
	for k, c := range cuts {
		end := hi
		if k+1 < len(cuts) {
			end = cuts[k+1]
		}
		if t, ok := findTail(f, c+1, end); ok && trimName(r, f, c+1, t.nameEnd) == "" {
			a, b := trimSpaceRunes(f, c+1, end)
			return string(r[a:b])
		}
	}
	return ""
}

// commaFields reads "name, price, description" when the description,
// not the price, ends the line: "Bibimbap, ₩12,000, rice with vegetables".
func commaFields(l *line, r, f []rune, lo, hi int) bool {
	cuts := commaCuts(r, f, lo, hi)
	for k, c := range cuts {
		end := hi
		if k+1 < len(cuts) {
			end = cuts[k+1]
		}
		t, ok := findTail(f, c+1, end)
		if !ok || trimName(r, f, c+1, t.nameEnd) != "" {
			continue
		}
		name := trimName(r, f, lo, c)
		if name == "" {
			return false
		}
		l.name, l.price, l.hasPrice = name, t.price, true
		da, db := trimSpaceRunes(f, end+1, hi)
		if end < hi && da < db {
			l.desc = string(r[da:db])
		}
		return true
	}
	return false
}

// bracketNote reads a price followed by a note in brackets, as Japanese
// menus add 税込 (tax included): "ラーメン 850円（税込）". The note must follow
// a currency, or "Set 2 (for two)" would be priced 2.
func bracketNote(l *line, r, f []rune, lo, hi int) bool {
	if hi-lo < 3 {
		return false
	}
	open := map[rune]rune{')': '(', ']': '[', '】': '【', '〕': '〔', '」': '「'}[f[hi-1]]
	if open == 0 {
		return false
	}
	k := hi - 2
	for k > lo && f[k] != open {
		k--
	}
	if k <= lo || f[k] != open {
		return false
	}
	t, ok := findTail(f, lo, k)
	if !ok || t.price.mark == nil {
		return false
	}
	name := trimName(r, f, lo, t.nameEnd)
	if name == "" {
		return false
	}
	l.name, l.price, l.hasPrice = name, t.price, true
	l.desc = strings.TrimSpace(string(r[k+1 : hi-1]))
	return true
}

// numberWords spots prices we will not guess at: Korean and Japanese
// number words (1만2천원, 12천원, 2万円) and the "65k" shorthand.
func numberWords(l *line, r, f []rune, lo, hi int) bool {
	e := hi
	for _, suffix := range []rune{'원', '円', '元', 'đ', '₫'} {
		if e > lo && f[e-1] == suffix {
			e--
			break
		}
	}
	_, e = trimSpaceRunes(f, lo, e)
	if e-lo < 2 {
		return false
	}
	s := e
	switch {
	case strings.ContainsRune("천만백억千万百億", f[e-1]):
		for s > lo && (isDigit(f[s-1]) || strings.ContainsRune("천만백억千万百億,. ", f[s-1])) {
			s--
		}
	case (f[e-1] == 'k' || f[e-1] == 'K') && isDigit(f[e-2]):
		s = e - 1
		for s > lo && (isDigit(f[s-1]) || f[s-1] == '.' || f[s-1] == ',') {
			s--
		}
		if s > lo && unicode.IsLetter(f[s-1]) {
			return false
		}
	default:
		return false
	}
	a, _ := trimSpaceRunes(f, s, e)
	written := string(r[a:hi])
	if !strings.ContainsFunc(written, isDigit) {
		return false
	}
	l.name = trimName(r, f, lo, a)
	l.issue = &Warning{Line: l.num, Code: CodePriceUnreadable,
		Message: fmt.Sprintf("price “%s” is written with number words or a thousands shorthand; not guessed — write it in digits (12,000)", written)}
	return true
}

// headingShape reports lines dressed as headings: wrapped in brackets,
// marked like Markdown, ending in a colon, or Latin capitals only.
func headingShape(f []rune, lo, hi int) bool {
	first, last := f[lo], f[hi-1]
	pairs := map[rune]rune{'[': ']', '【': '】', '〔': '〕', '<': '>', '《': '》', '〈': '〉', '(': ')', '「': '」', '『': '』'}
	if c, ok := pairs[first]; ok && c == last && hi-lo > 2 {
		return true
	}
	if first == '#' || last == ':' || (hi-lo > 4 && (first == '=' || first == '*') && first == last) {
		return true
	}
	letters := 0
	for _, c := range f[lo:hi] {
		if unicode.IsLetter(c) {
			if !isLatinLetter(c) || unicode.IsLower(c) {
				return false
			}
			letters++
		}
	}
	return letters >= 3
}
