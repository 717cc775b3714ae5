package menutext

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"

	"github.com/menusync/menusync"
)

// readCell reads the price field of a JSON item or CSV row, which may be
// written like a menu ("₩12,000", "9,50 €") or plainly ("12.50").
func readCell(e *entry, cell string) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return
	}
	r := []rune(cell)
	f := foldRunes(r)
	if f[0] == '-' || f[0] == '−' {
		e.priceIssue = true
		e.warn(CodePriceNegative, fmt.Sprintf("price “%s” is negative: not read", short(cell)))
		return
	}
	t, ok := findTail(f, 0, len(f))
	if !ok || trimName(r, f, 0, t.nameEnd) != "" {
		e.priceIssue = true
		e.warn(CodePriceUnreadable, fmt.Sprintf("price “%s” is not a price we can read", short(cell)))
		return
	}
	e.price = t.price
}

// readNumber reads a JSON number from its literal text, never through a
// float64, so 1.15 stays exactly 1.15.
func readNumber(e *entry, lit string) {
	switch {
	case strings.HasPrefix(lit, "-"):
		e.priceIssue = true
		e.warn(CodePriceNegative, fmt.Sprintf("price %s is negative: not read", lit))
	case strings.ContainsAny(lit, "eE"):
		e.priceIssue = true
		e.warn(CodePriceUnreadable, fmt.Sprintf("price %s uses an exponent; write it as a plain decimal", lit))
	default:
		e.price = priceText{num: lit, plain: true}
	}
}

// addCurrencyField applies a per-dish currency column or field. It acts
// like a currency sign written next to the price.
func addCurrencyField(e *entry, code string) {
	c, err := menusync.ParseCurrency(code)
	if err != nil {
		e.warn(CodeCurrencyUnknown, fmt.Sprintf("currency “%s” is not a known ISO 4217 code; ignored", short(code)))
		return
	}
	if e.price.mark != nil && !e.price.mark.allows(c.Code) {
		e.warn(CodeCurrencyMismatch, fmt.Sprintf("the price says %s but the currency field says %s; the field was used", describeCodes(e.price.mark), c.Code))
	}
	e.price.mark = &curMark{text: c.Code, codes: []string{c.Code}}
}

// addName records a translated name under its canonical BCP 47 tag.
func addName(e *entry, tag, name string) {
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	t, err := language.Parse(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	if err != nil {
		e.warn(CodeBadLang, fmt.Sprintf("“%s” is not a BCP 47 language tag; that name was skipped", short(tag)))
		return
	}
	if e.names == nil {
		e.names = make(map[string]string)
	}
	if _, seen := e.names[t.String()]; !seen && len(e.names) >= MaxNames {
		e.warn(CodeTooLong, fmt.Sprintf("more than %d translated names; “%s” was skipped", MaxNames, short(tag)))
		return
	}
	e.names[t.String()] = name
}
