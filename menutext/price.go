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
	var t tail
	var sufMark *markerDef
	var sufStart int
	if d, start := suffixMarker(f, lo, e); d != nil {
		sufMark, sufStart = d, start
		_, e = trimSpaceRunes(f, lo, start)
	}
	// "12.-" and "12,-" are whole prices in Switzerland and Germany; a
	// sentence-ending "12." is a whole price too.
	if e-lo >= 3 && isDashLike(f[e-1]) && (f[e-2] == '.' || f[e-2] == ',') && isDigit(f[e-3]) {
		e -= 2
	} else if e-lo >= 2 && f[e-1] == '.' && isDigit(f[e-2]) && sufMark == nil {
		e--
	}
	if e <= lo || !isDigit(f[e-1]) {
		return t, false
	}
	s := e - 1
	for s > lo {
		switch {
		case isDigit(f[s-1]):
			s--
			continue
		case s-2 >= lo && isNumSep(f[s-1]) && isDigit(f[s-2]):
			s -= 2
			continue
		}
		break
	}
	// An ordinary space groups digits only in front of exactly three of
	// them after one to three: "1 200,50 €", "65 000đ".
	for s-2 >= lo && f[s-1] == ' ' && isDigit(f[s-2]) && leadingGroupLen(f, s, e) == 3 {
		k := s - 1
		for k > lo && isDigit(f[k-1]) {
			k--
		}
		if n := s - 1 - k; n > 3 || (k > lo && !isSpace(f[k-1]) && !isLeader(f[k-1]) && !endsPrefixMarker(f, lo, k)) {
			break
		}
		s = k
		t.price.joined = true
	}
	if s-2 >= lo && f[s-1] == ':' && isDigit(f[s-2]) {
		return t, false // opening hours, 11:30–22:00, are not prices
	}
	t.price.num = string(f[s:e])
	t.nameEnd = s
	_, p := trimSpaceRunes(f, lo, s)
	if d, start := prefixMarker(f, lo, p); d != nil {
		t.price.mark = d.mark(f[start:p])
		t.nameEnd = start
	} else if s > lo && isLatinLetter(f[s-1]) && sufMark == nil {
		// "Combo A1", "Coke330": digits glued to a Latin word belong to it.
		// Hangul, kana, Han and Thai are often written without spaces
		// before the price, so only Latin letters are held to this.
		return t, false
	}
	if sufMark != nil {
		if t.price.mark == nil || t.price.mark.class != "" {
			t.price.mark = sufMark.mark(f[sufStart : sufStart+len(sufMark.text)])
		}
	}
	return t, true
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
	digits := ctx.cur.Digits
	n := splitNumber(p.num)
	last := len(n.groups) - 1
	asGroups := n.grouped(len(n.groups))
	asDecimal := false
	var decSep rune
	if last > 0 {
		decSep = n.seps[last-1]
		asDecimal = (decSep == ',' || decSep == '.') && n.groups[last] != "" && n.grouped(last) &&
			(last == 1 || n.seps[0] != decSep)
	}
	if p.plain {
		asGroups = last == 0
		asDecimal = last == 1 && decSep == '.'
	}
	if asDecimal && !fits(n.groups[last], digits, p.plain) {
		asDecimal = false
		if !asGroups {
			return 0, false, CodePriceUnreadable, fmt.Sprintf("“%s” has more decimals than %s uses (%d)", short(p.num), ctx.cur.Code, digits)
		}
	}
	useDecimal := asDecimal
	if asGroups && !asDecimal && len(n.seps) == 1 && digits > 0 && !p.plain &&
		(ctx.menuDec == decSep || ctx.menuDec == 0 && ctx.convention == decSep) {
		// Only thousands fit (12.505 has too many decimals for cents), but
		// this menu or currency writes cents after that very separator.
		code, msg = CodePriceAmbiguous, fmt.Sprintf("“%s” read as %s, “%c” separating thousands, though %s prices usually have “%c” before the cents",
			short(p.num), short(plainDecimal(n, false)), decSep, ctx.cur.Code, decSep)
	}
	if asGroups && asDecimal {
		// One ',' or '.' before exactly three digits, in a currency with
		// minor units: 1,200 or 1.20? The menu's other prices decide; then
		// the currency's habit; a remaining guess is flagged.
		switch {
		case ctx.menuDec == decSep:
			useDecimal = true
		case ctx.menuDec != 0:
			useDecimal = false
		case ctx.convention == decSep && len(n.groups[last]) <= digits:
			useDecimal = true
			code, msg = CodePriceAmbiguous, fmt.Sprintf("“%s” read as %s, “%c” as the decimal point; it could also mean %s",
				short(p.num), short(plainDecimal(n, true)), decSep, short(plainDecimal(n, false)))
		default:
			useDecimal = false
			if ctx.convention == 0 || ctx.convention == decSep {
				code, msg = CodePriceAmbiguous, fmt.Sprintf("“%s” read as %s, “%c” separating thousands; it could also mean %s",
					short(p.num), short(plainDecimal(n, false)), decSep, short(plainDecimal(n, true)))
			}
		}
	}
	var whole, frac string
	switch {
	case useDecimal:
		whole, frac = strings.Join(n.groups[:last], ""), n.groups[last]
	case asGroups:
		whole = strings.Join(n.groups, "")
	default:
		return 0, false, CodePriceUnreadable, fmt.Sprintf("“%s” is not a price we can read", short(p.num))
	}
	if len(frac) > digits {
		frac = frac[:digits] // the rest is zeros, as fits checked
	}
	canon := whole
	if frac != "" {
		canon += "." + frac
	}
	v, err := menusync.ParseAmount(canon, ctx.cur)
	if err != nil {
		return 0, false, CodePriceTooLarge, fmt.Sprintf("%s %s is above the limit of %s", short(canon), ctx.cur.Code,
			menusync.FormatAmountGrouped(menusync.MaxPriceMinor, ctx.cur))
	}
	// "3 150": a set number and a price, or one number? Only a lone first
	// digit is worth a doubt; "65 000đ" is plainly sixty-five thousand.
	if p.joined && !useDecimal && code == "" && len(n.groups[0]) == 1 {
		code, msg = CodePriceAmbiguous, fmt.Sprintf("“%s” read as one number, %s; if the first digit belongs to the dish name, fix the line", short(p.num), short(whole))
	}
	return v, true, code, msg
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
