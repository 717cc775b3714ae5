package menutext

import (
	"fmt"
	"strings"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/menusync/menusync"
)

// langHint is Options.Lang, parsed.
type langHint struct {
	ok          bool
	base        string
	region      language.Region
	exact       bool // the region was written, not inferred ("zh-TW", not "zh")
	traditional bool
}

func parseLang(s string) (langHint, error) {
	if strings.TrimSpace(s) == "" {
		return langHint{}, nil
	}
	tag, err := language.Parse(strings.TrimSpace(s))
	if err != nil {
		return langHint{}, err
	}
	b, _ := tag.Base()
	r, conf := tag.Region()
	sc, _ := tag.Script()
	return langHint{ok: true, base: b.String(), region: r, exact: conf == language.Exact,
		traditional: sc.String() == "Hant"}, nil
}

// regionCurrency is the currency of the hint's region, if any.
func (l langHint) regionCurrency() string {
	if !l.ok {
		return ""
	}
	u, ok := currency.FromRegion(l.region)
	if !ok {
		return ""
	}
	if _, err := menusync.ParseCurrency(u.String()); err != nil {
		return ""
	}
	return u.String()
}

func contains(list []string, code string) bool {
	for _, c := range list {
		if c == code {
			return true
		}
	}
	return false
}

// resolveClass decides what a shared symbol means on this menu. votes are
// the currencies the menu names unambiguously (円, RMB, NT$ …). A non-empty
// guess says the answer could be wrong and why it was chosen.
func resolveClass(class string, votes map[string]int, yuanMarks int, sc *scripts, lang langHint) (code, guess string) {
	best := func(among []string) string {
		b, n := "", 0
		for _, c := range among {
			if votes[c] > n {
				b, n = c, votes[c]
			}
		}
		return b
	}
	switch class {
	case "yen":
		jpy, cny := votes["JPY"], votes["CNY"]+yuanMarks
		switch {
		case jpy > cny:
			return "JPY", ""
		case cny > jpy:
			return "CNY", ""
		case sc.kana > 0:
			return "JPY", ""
		case lang.base == "ja":
			return "JPY", ""
		case lang.base == "zh":
			return "CNY", ""
		case sc.han > 0:
			return "CNY", "“¥” is both Japanese yen and Chinese yuan; read as yuan because the dish names are Chinese characters without kana"
		}
		return "JPY", "“¥” is both Japanese yen and Chinese yuan; read as yen — set the currency if this menu is Chinese"
	case "yuan":
		if b := best(yuanCodes); b != "" {
			return b, ""
		}
		if rc := lang.regionCurrency(); lang.exact && contains(yuanCodes, rc) {
			return rc, ""
		}
		if lang.traditional || sc.traditional() {
			return "TWD", "“元” on a menu in Traditional Chinese: read as New Taiwan dollars (Hong Kong and Macau write 元 too)"
		}
		return "CNY", ""
	case "dollar":
		if rc := lang.regionCurrency(); lang.exact && contains(dollarCodes, rc) {
			return rc, ""
		}
		if b := best(dollarCodes); b != "" {
			return b, ""
		}
		if lang.traditional || sc.traditional() {
			return "TWD", "“$” on a menu in Traditional Chinese: read as New Taiwan dollars — set the currency if it is HK$"
		}
		return "USD", "“$” read as US dollars — set the currency if the menu is in another dollar"
	}
	return "", ""
}

// decimalConvention is the decimal separator people usually write with
// this currency, 0 when it varies too much to lean on. It only settles
// "1.200" after the menu's own other prices could not.
func decimalConvention(code string, lang langHint) rune {
	switch code {
	case "EUR":
		if lang.ok && (lang.base == "en" || lang.base == "ga" || lang.base == "mt") {
			return '.'
		}
		return ','
	case "VND", "IDR", "BRL", "TRY", "PLN", "CZK", "HUF", "SEK", "NOK", "DKK", "ARS", "CLP", "COP", "RON":
		return ','
	case "USD", "GBP", "JPY", "CNY", "TWD", "HKD", "MOP", "KRW", "THB", "CHF", "SGD", "MYR", "PHP",
		"INR", "AUD", "NZD", "CAD", "MXN", "AED", "ILS", "BHD", "KWD", "OMR", "JOD", "QAR", "SAR":
		return '.'
	}
	return 0
}

// scriptAllows reports whether a menu whose script suggests guess can
// plausibly be priced in code: Chinese characters are written from
// Shanghai to Hong Kong to Kuala Lumpur, Hangul only in Korea.
func scriptAllows(guess, code string) bool {
	if guess == "CNY" || guess == "TWD" {
		return contains([]string{"CNY", "TWD", "HKD", "MOP", "SGD", "MYR"}, code)
	}
	return guess == code
}

func describeCodes(m *curMark) string {
	if m.class == "" {
		return m.codes[0]
	}
	return fmt.Sprintf("“%s”", short(m.text))
}

// decideCurrency picks the menu's currency: the caller's option, then what
// the document states, then the signs on its prices, then the language
// hint, then the script of the dish names; every inference is a warning.
func (s *state) decideCurrency() (menusync.Currency, bool) {
	if s.opt.Currency != "" {
		if c, err := menusync.ParseCurrency(s.opt.Currency); err == nil {
			return c, true
		}
		s.warn(0, CodeCurrencyUnknown, fmt.Sprintf("currency %q is not a known ISO 4217 code; ignored", short(s.opt.Currency)))
	}
	if s.docCurrency != "" {
		if c, err := menusync.ParseCurrency(s.docCurrency); err == nil {
			return c, true
		}
		s.warn(s.docCurrencyLine, CodeCurrencyUnknown, fmt.Sprintf("currency %q is not a known ISO 4217 code; ignored", short(s.docCurrency)))
	}
	var sc scripts
	votes := map[string]int{}
	classLine := map[string]int{}
	yuanMarks := 0
	for _, e := range s.entries {
		sc.add(e.name)
		m := e.price.mark
		switch {
		case m == nil:
		case m.class == "":
			votes[m.codes[0]]++
		default:
			if _, seen := classLine[m.class]; !seen {
				classLine[m.class] = e.line
			}
			if m.class == "yuan" {
				yuanMarks++
			}
		}
	}
	tally := map[string]int{}
	first := map[string]int{}
	classCode := map[string]string{}
	classGuess := map[string]string{}
	for class := range classLine {
		classCode[class], classGuess[class] = resolveClass(class, votes, yuanMarks, &sc, s.lang)
	}
	for _, e := range s.entries {
		m := e.price.mark
		if m == nil {
			continue
		}
		code := m.codes[0]
		if m.class != "" {
			code = classCode[m.class]
		}
		if tally[code] == 0 {
			first[code] = e.line
		}
		tally[code]++
	}
	best := ""
	for code, n := range tally {
		if best == "" || n > tally[best] || (n == tally[best] && first[code] < first[best]) {
			best = code
		}
	}
	unmarked := 0
	for _, e := range s.entries {
		if e.price.num != "" && e.price.mark == nil {
			unmarked++
		}
	}
	// A Korean menu with one "Wine €40" line: the signs say EUR, the names
	// and the other prices say otherwise. The unmarked prices decide when
	// they are more; either way the user is told.
	if guess, why := sc.guess(); best != "" && guess != "" && unmarked > 0 && !scriptAllows(guess, best) {
		if unmarked > tally[best] {
			s.warn(0, CodeCurrencyGuessed, fmt.Sprintf("most prices carry no currency sign: read as %s from %s; prices marked in another currency are not read", guess, why))
			c, err := menusync.ParseCurrency(guess)
			return c, err == nil
		}
		s.warn(0, CodeCurrencyGuessed, fmt.Sprintf("prices without a currency were read as %s like the marked ones, though %s suggest %s", best, why, guess))
	}
	if best != "" {
		for class, code := range classCode {
			if code == best && classGuess[class] != "" {
				s.warn(classLine[class], CodeCurrencyGuessed, classGuess[class])
			}
		}
		c, err := menusync.ParseCurrency(best)
		return c, err == nil
	}
	if code := s.lang.regionCurrency(); code != "" {
		s.warn(0, CodeCurrencyGuessed, fmt.Sprintf("no currency on the menu; assumed %s from the language hint %q", code, short(s.opt.Lang)))
		c, err := menusync.ParseCurrency(code)
		return c, err == nil
	}
	if code, why := sc.guess(); code != "" {
		s.warn(0, CodeCurrencyGuessed, fmt.Sprintf("no currency on the menu; assumed %s from %s", code, why))
		c, err := menusync.ParseCurrency(code)
		return c, err == nil
	}
	priced := false
	for _, e := range s.entries {
		priced = priced || e.price.num != ""
	}
	if priced {
		s.warn(0, CodeCurrencyUnknown, "no currency on the menu and nothing to guess it from: prices were not read; choose the currency and read the menu again")
	}
	return menusync.Currency{}, false
}
