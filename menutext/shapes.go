package menutext

import (
	"fmt"
	"strings"
	"unicode"
)

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
			l.note(CodePriceAmbiguous, "more than one column looks like a price; “%s” was used", short(found.price.num))
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
// menus add 税込 (tax included) and English ones dietary marks:
// "ラーメン 850円（税込）", "Soup 5.00 (v)". The note becomes the
// description. Without a currency the number must look like a price, or
// "Set 2 (for two)" would be priced 2.
func bracketNote(l *line, r, f []rune, lo, hi int) bool {
	if hi-lo < 3 {
		return false
	}
	var open rune
	for o, c := range brackets {
		if c == f[hi-1] {
			open = o
		}
	}
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
	if !ok {
		return false
	}
	if t.price.mark == nil && (strings.ContainsFunc(string(f[k:hi]), isDigit) ||
		!strings.ContainsAny(t.price.num, ".,") && len(t.price.num) < 3) {
		return false // without a currency, only a number that cannot be a count
	}
	name := trimName(r, f, lo, t.nameEnd)
	if name == "" {
		return false
	}
	l.name, l.price, l.hasPrice = name, t.price, true
	l.desc = strings.TrimSpace(string(r[k+1 : hi-1]))
	return true
}

// trailingSymbols reads a price followed by emoji or other symbols
// ("김치찌개 9,000원 🔥"), which become the description.
func trailingSymbols(l *line, r, f []rune, lo, hi int) bool {
	k := hi
	for k > lo && (isSpace(f[k-1]) || isDecoration(f[k-1])) {
		k--
	}
	if k == hi {
		return false
	}
	t, ok := findTail(f, lo, k)
	if !ok {
		return false
	}
	if l.name = trimName(r, f, lo, t.nameEnd); l.name == "" {
		return false
	}
	a, b := trimSpaceRunes(f, k, hi)
	l.desc = string(r[a:b])
	l.price, l.hasPrice = t.price, true
	return true
}

// isDecoration reports symbols that are not currency signs (🔥 ★ ♨) and
// the invisible parts of emoji sequences.
func isDecoration(r rune) bool {
	return unicode.In(r, unicode.So, unicode.Sk) || r == 0xfe0f || r == 0x200d || r == 0x20e3
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
	if !strings.ContainsFunc(string(f[a:e]), isDigit) {
		return false
	}
	written := string(r[a:hi])
	if l.name = trimName(r, f, lo, a); l.name == "" {
		return false
	}
	l.issue = &Warning{Line: l.num, Code: CodePriceUnreadable,
		Message: fmt.Sprintf("price “%s” is written with number words or a thousands shorthand; not guessed — write it in digits (12,000)", short(written))}
	return true
}

// brackets pairs opening and closing brackets, after folding (（ is ().
var brackets = map[rune]rune{'[': ']', '【': '】', '〔': '〕', '<': '>', '《': '》', '〈': '〉', '(': ')', '「': '」', '『': '』'}

// headingShape reports lines dressed as headings: wrapped in brackets,
// marked like Markdown, ending in a colon, or Latin capitals only.
func headingShape(f []rune, lo, hi int) bool {
	first, last := f[lo], f[hi-1]
	if c, ok := brackets[first]; ok && c == last && hi-lo > 2 {
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
