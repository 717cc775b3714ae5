package menutext

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/menusync/menusync"
)

// priceText is a price as written, kept until the menu-wide decisions
// (currency, decimal separator) say how to read it.
type priceText struct {
	num    string   // folded digits and separators, "" when the dish has no price
	plain  bool     // a JSON number: '.' is the decimal point, nothing groups
	mark   *curMark // currency written next to it, nil if none
	joined bool     // an ordinary space was read as a group separator (3 150)
}

// tail is a price found at the end of a span of a line.
type tail struct {
	nameEnd int // where the text before the price (and its currency) ends
	price   priceText
}

// isNumSep reports runes that may sit between digit groups of one number.
func isNumSep(r rune) bool { return r == ',' || r == '.' || r == '\'' || r == hardSpace }

// findTail reads a price that ends the span f[lo:hi]: optional currency
// before, the number, optional currency after (₩12,000 / 12,000원 /
// 12.50 USD / US$12.50). It works backwards from the end, so commas and
// digits inside the dish name never shift anything.
func findTail(f []rune, lo, hi int) (tail, bool) {
	_, e := trimSpaceRunes(f, lo, hi)
	suffix, suffixStart := suffixMarker(f, lo, e)
	if suffix != nil {
		_, e = trimSpaceRunes(f, lo, suffixStart)
	}
	e = trimWholeMark(f, lo, e, suffix != nil)
	var t tail
	if e <= lo || !isDigit(f[e-1]) {
		return t, false
	}
	s := digitsStart(f, lo, e)
	s, t.price.joined = spaceGroupsStart(f, lo, s, e)
	if s-2 >= lo && f[s-1] == ':' && isDigit(f[s-2]) {
		return t, false // opening hours, 11:30–22:00, are not prices
	}
	t.price.num = string(f[s:e])
	t.nameEnd = s
	_, p := trimSpaceRunes(f, lo, s)
	prefix, prefixStart := prefixMarker(f, lo, p)
	if prefix == nil && suffix == nil && s > lo && isLatinLetter(f[s-1]) {
		// "Combo A1", "Coke330": digits glued to a Latin word belong to it.
		// Hangul, kana, Han and Thai are often written without spaces
		// before the price, so only Latin letters are held to this.
		return t, false
	}
	if prefix != nil {
		t.price.mark = prefix.mark(f[prefixStart:p])
		t.nameEnd = prefixStart
	}
	// A suffix wins over a shared prefix symbol: in "$12 HKD" or "¥980円"
	// it says which dollar or yen is meant.
	if suffix != nil && (t.price.mark == nil || t.price.mark.class != "") {
		t.price.mark = suffix.mark(f[suffixStart : suffixStart+len(suffix.text)])
	}
	return t, true
}

// trimWholeMark moves the end e of a price back past a mark that says
// "no cents". "12.-" and "12,-" are whole prices in Switzerland and
// Germany; a sentence-ending "12." is a whole price too when no currency
// follows it.
func trimWholeMark(f []rune, lo, e int, currencyAfter bool) int {
	if e-lo >= 3 && isDashLike(f[e-1]) && (f[e-2] == '.' || f[e-2] == ',') && isDigit(f[e-3]) {
		return e - 2
	}
	if e-lo >= 2 && f[e-1] == '.' && isDigit(f[e-2]) && !currencyAfter {
		return e - 1
	}
	return e
}

// digitsStart is where the number ending at e starts: digits, and single
// separators that have digits on both sides.
func digitsStart(f []rune, lo, e int) int {
	s := e - 1
	for s > lo {
		switch {
		case isDigit(f[s-1]):
			s--
		case s-2 >= lo && isNumSep(f[s-1]) && isDigit(f[s-2]):
			s -= 2
		default:
			return s
		}
	}
	return s
}

// spaceGroupsStart extends the number starting at s leftwards over digit
// groups joined by ordinary spaces, reporting whether it did. A space
// groups digits only in front of exactly three of them after one to
// three ("1 200,50 €", "65 000đ"), and only when a space, a leader or a
// currency sign comes before that group: in "Combo A1 200" the 1 belongs
// to the name.
func spaceGroupsStart(f []rune, lo, s, e int) (int, bool) {
	joined := false
	for s-2 >= lo && f[s-1] == ' ' && isDigit(f[s-2]) && leadingGroupLen(f, s, e) == 3 {
		k := s - 1
		for k > lo && isDigit(f[k-1]) {
			k--
		}
		if n := s - 1 - k; n > 3 || (k > lo && !isSpace(f[k-1]) && !isLeader(f[k-1]) && !endsPrefixMarker(f, lo, k)) {
			break
		}
		s = k
		joined = true
	}
	return s, joined
}

func endsPrefixMarker(f []rune, lo, end int) bool {
	d, _ := prefixMarker(f, lo, end)
	return d != nil
}

func isDashLike(r rune) bool { return r == '-' || r == '–' || r == '—' }

// leadingGroupLen is the number of digits from s up to the first separator.
func leadingGroupLen(f []rune, s, e int) int {
	n := 0
	for s+n < e && isDigit(f[s+n]) {
		n++
	}
	return n
}

// number is a price token cut into digit groups and the separators
// between them (any space counts as ' ').
type number struct {
	groups []string
	seps   []rune
}

func splitNumber(s string) number {
	var n number
	start := 0
	for i, r := range s {
		if isDigit(r) {
			continue
		}
		n.groups = append(n.groups, s[start:i])
		start = i + utf8.RuneLen(r)
		if r == hardSpace {
			r = ' '
		}
		n.seps = append(n.seps, r)
	}
	n.groups = append(n.groups, s[start:])
	return n
}

// grouped reports whether groups[:k] joined by seps[:k-1] form a valid
// integer: one separator kind, 1–3 digits first, then threes.
func (n number) grouped(k int) bool {
	if k == 1 {
		return n.groups[0] != ""
	}
	if l := len(n.groups[0]); l < 1 || l > 3 {
		return false
	}
	for i := 1; i < k; i++ {
		if len(n.groups[i]) != 3 || n.seps[i-1] != n.seps[0] {
			return false
		}
	}
	return true
}

// decimalVote is what one token says about the menu's decimal separator,
// 0 when it could be read either way (12,000 / 1.200).
func (n number) decimalVote() rune {
	commas, dots := 0, 0
	for _, s := range n.seps {
		switch s {
		case ',':
			commas++
		case '.':
			dots++
		}
	}
	last := rune(0)
	if len(n.seps) > 0 {
		last = n.seps[len(n.seps)-1]
	}
	switch {
	case commas > 0 && dots > 0 && (last == ',' || last == '.'):
		return last
	case commas >= 2:
		return '.'
	case dots >= 2:
		return ','
	case commas+dots == 1 && (last == ',' || last == '.') && len(n.groups[len(n.groups)-1]) != 3:
		return last
	}
	return 0
}

// readContext is what the whole menu knows when one price is read.
type readContext struct {
	cur        menusync.Currency
	menuDec    rune // decimal separator the menu's unambiguous prices use, 0 if unknown
	convention rune // decimal separator usual for the currency, 0 if unknown
}

// readPrice turns a price token into minor units. With ok, a non-empty
// code is a doubt the user should check (price_ambiguous); without ok it
// says why the price was not read.
func readPrice(p priceText, ctx readContext) (minor int64, ok bool, code, msg string) {
	r := readingOf(p)
	if r.asDecimal && !fits(r.n.groups[r.last], ctx.cur.Digits, p.plain) {
		r.asDecimal = false
		if !r.asGroups {
			return 0, false, CodePriceUnreadable, fmt.Sprintf("“%s” has more decimals than %s uses (%d)", short(p.num), ctx.cur.Code, ctx.cur.Digits)
		}
	}
	useDecimal, code, msg := r.choose(p, ctx)
	whole, frac, ok := r.parts(useDecimal)
	if !ok {
		return 0, false, CodePriceUnreadable, fmt.Sprintf("“%s” is not a price we can read", short(p.num))
	}
	canon := canonical(whole, frac, ctx.cur.Digits)
	v, err := menusync.ParseAmount(canon, ctx.cur)
	if err != nil {
		return 0, false, CodePriceTooLarge, fmt.Sprintf("%s %s is above the limit of %s", short(canon), ctx.cur.Code,
			menusync.FormatAmountGrouped(menusync.MaxPriceMinor, ctx.cur))
	}
	// "3 150": a set number and a price, or one number? Only a lone first
	// digit is worth a doubt; "65 000đ" is plainly sixty-five thousand.
	if p.joined && !useDecimal && code == "" && len(r.n.groups[0]) == 1 {
		code, msg = CodePriceAmbiguous, fmt.Sprintf("“%s” read as one number, %s; if the first digit belongs to the dish name, fix the line", short(p.num), short(whole))
	}
	return v, true, code, msg
}

// reading is what the separators of one price token allow: every one of
// them grouping thousands, the last one being the decimal point, both
// (1,200), or neither (1.2.3).
type reading struct {
	n         number
	last      int  // index of the last digit group
	decSep    rune // the separator before the last group, 0 if none
	asGroups  bool
	asDecimal bool
}

func readingOf(p priceText) reading {
	r := reading{n: splitNumber(p.num)}
	r.last = len(r.n.groups) - 1
	if r.last > 0 {
		r.decSep = r.n.seps[r.last-1]
	}
	if p.plain {
		// A JSON number: '.' is the decimal point and nothing groups.
		r.asGroups = r.last == 0
		r.asDecimal = r.last == 1 && r.decSep == '.'
		return r
	}
	r.asGroups = r.n.grouped(len(r.n.groups))
	// 1.234,56 has a decimal comma; in 1,234,567 the last comma groups
	// like the first, so it cannot be the decimal point.
	r.asDecimal = r.last > 0 && (r.decSep == ',' || r.decSep == '.') && r.n.groups[r.last] != "" &&
		r.n.grouped(r.last) && (r.last == 1 || r.n.seps[0] != r.decSep)
	return r
}

// choose picks the reading to use. A non-empty code is a doubt worth
// showing: the other reading was plausible too.
func (r reading) choose(p priceText, ctx readContext) (useDecimal bool, code, msg string) {
	switch {
	case r.asGroups && r.asDecimal:
		return r.settle(p, ctx)
	case r.asGroups && len(r.n.seps) == 1 && ctx.cur.Digits > 0 && !p.plain &&
		(ctx.menuDec == r.decSep || ctx.menuDec == 0 && ctx.convention == r.decSep):
		// Only thousands fit (12.505 has too many decimals for cents), but
		// this menu or currency writes cents after that very separator.
		return false, CodePriceAmbiguous, fmt.Sprintf("“%s” read as %s, “%c” separating thousands, though %s prices usually have “%c” before the cents",
			short(p.num), short(plainDecimal(r.n, false)), r.decSep, ctx.cur.Code, r.decSep)
	}
	return r.asDecimal, "", ""
}

// settle decides a token that reads both ways: one ',' or '.' before
// exactly three digits, in a currency with minor units. 1,200 or 1.20?
// The menu's other prices decide; then the currency's habit; a remaining
// guess is flagged.
func (r reading) settle(p priceText, ctx readContext) (useDecimal bool, code, msg string) {
	switch {
	case ctx.menuDec == r.decSep:
		return true, "", ""
	case ctx.menuDec != 0:
		return false, "", ""
	case ctx.convention == r.decSep && len(r.n.groups[r.last]) <= ctx.cur.Digits:
		return true, CodePriceAmbiguous, fmt.Sprintf("“%s” read as %s, “%c” as the decimal point; it could also mean %s",
			short(p.num), short(plainDecimal(r.n, true)), r.decSep, short(plainDecimal(r.n, false)))
	case ctx.convention == 0 || ctx.convention == r.decSep:
		return false, CodePriceAmbiguous, fmt.Sprintf("“%s” read as %s, “%c” separating thousands; it could also mean %s",
			short(p.num), short(plainDecimal(r.n, false)), r.decSep, short(plainDecimal(r.n, true)))
	}
	return false, "", ""
}

// parts is the token's whole units and decimals under the chosen reading;
// without ok neither reading holds.
func (r reading) parts(useDecimal bool) (whole, frac string, ok bool) {
	switch {
	case useDecimal:
		return strings.Join(r.n.groups[:r.last], ""), r.n.groups[r.last], true
	case r.asGroups:
		return strings.Join(r.n.groups, ""), "", true
	}
	return "", "", false
}

// canonical writes whole and frac as ParseAmount reads them. Decimals
// past the currency's digits are zeros, as fits checked, and would be
// refused.
func canonical(whole, frac string, digits int) string {
	if len(frac) > digits {
		frac = frac[:digits]
	}
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// fits reports whether decimals frac can be a price in a currency with
// digits minor digits. Extra zeros are harmless (980.00 円), but three
// zeros after a whole-unit currency's separator are a thousands group,
// unless the number came from JSON, where nothing groups.
func fits(frac string, digits int, plain bool) bool {
	if len(frac) <= digits {
		return true
	}
	if digits == 0 && len(frac) == 3 && !plain {
		return false
	}
	return strings.Trim(frac[digits:], "0") == ""
}

// plainDecimal writes n as a machine number, for messages.
func plainDecimal(n number, decimal bool) string {
	last := len(n.groups) - 1
	if decimal && last > 0 {
		return strings.Join(n.groups[:last], "") + "." + n.groups[last]
	}
	return strings.Join(n.groups, "")
}
