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
	if c, ok := s.statedCurrency(); ok {
		return c, true
	}
	sg := s.readSigns()
	if code, ok := s.currencyFromSigns(sg); ok {
		return knownCurrency(code)
	}
	if code := s.lang.regionCurrency(); code != "" {
		s.warn(0, CodeCurrencyGuessed, fmt.Sprintf("no currency on the menu; assumed %s from the language hint %q", code, short(s.opt.Lang)))
		return knownCurrency(code)
	}
	if code, why := sg.scripts.guess(); code != "" {
		s.warn(0, CodeCurrencyGuessed, fmt.Sprintf("no currency on the menu; assumed %s from %s", code, why))
		return knownCurrency(code)
	}
	if s.anyPrice() {
		s.warn(0, CodeCurrencyUnknown, "no currency on the menu and nothing to guess it from: prices were not read; choose the currency and read the menu again")
	}
	return menusync.Currency{}, false
}

// knownCurrency looks up a code this package chose itself.
func knownCurrency(code string) (menusync.Currency, bool) {
	c, err := menusync.ParseCurrency(code)
	return c, err == nil
}

// statedCurrency is the currency the caller or the document names, if it
// is a real one; a code that is not is reported and ignored, so the menu
// itself gets a say.
func (s *state) statedCurrency() (menusync.Currency, bool) {
	if c, ok := s.statedCode(s.opt.Currency, 0); ok {
		return c, true
	}
	return s.statedCode(s.docCurrency, s.docCurrencyLine)
}

func (s *state) statedCode(code string, line int) (menusync.Currency, bool) {
	if code == "" {
		return menusync.Currency{}, false
	}
	c, err := menusync.ParseCurrency(code)
	if err != nil {
		s.warn(line, CodeCurrencyUnknown, fmt.Sprintf("currency %q is not a known ISO 4217 code; ignored", short(code)))
		return menusync.Currency{}, false
	}
	return c, true
}

func (s *state) anyPrice() bool {
	for _, e := range s.entries {
		if e.price.num != "" {
			return true
		}
	}
	return false
}

// signs is what the currency marks next to the prices say about the menu.
type signs struct {
	scripts    scripts
	votes      map[string]int    // prices per currency, unambiguous marks only (円, RMB, NT$ …)
	yuanMarks  int               // 元 marks, which tip ¥ towards yuan
	classLine  map[string]int    // first line each shared symbol (¥ 元 $) is on
	classCode  map[string]string // what each shared symbol means on this menu
	classGuess map[string]string // why, when that could be wrong
	tally      map[string]int    // prices per currency, shared symbols resolved
	first      map[string]int    // first line of a price in each currency
	unmarked   int               // prices without any mark
}

// readSigns counts the marks on the menu's prices and decides what each
// shared symbol means, which needs all the unambiguous marks first.
func (s *state) readSigns() *signs {
	sg := &signs{votes: map[string]int{}, classLine: map[string]int{}, classCode: map[string]string{},
		classGuess: map[string]string{}, tally: map[string]int{}, first: map[string]int{}}
	for _, e := range s.entries {
		sg.scripts.add(e.name)
		sg.vote(e)
	}
	for class := range sg.classLine {
		sg.classCode[class], sg.classGuess[class] = resolveClass(class, sg.votes, sg.yuanMarks, &sg.scripts, s.lang)
	}
	for _, e := range s.entries {
		sg.count(e)
	}
	return sg
}

// vote records an entry's mark before shared symbols are resolved.
func (sg *signs) vote(e *entry) {
	m := e.price.mark
	switch {
	case m == nil:
		if e.price.num != "" {
			sg.unmarked++
		}
	case m.class == "":
		sg.votes[m.codes[0]]++
	default:
		if _, seen := sg.classLine[m.class]; !seen {
			sg.classLine[m.class] = e.line
		}
		if m.class == "yuan" {
			sg.yuanMarks++
		}
	}
}

// count adds an entry's price to the currency its mark means.
func (sg *signs) count(e *entry) {
	m := e.price.mark
	if m == nil {
		return
	}
	code := m.codes[0]
	if m.class != "" {
		code = sg.classCode[m.class]
	}
	if sg.tally[code] == 0 {
		sg.first[code] = e.line
	}
	sg.tally[code]++
}

// majority is the currency most prices are marked in, the earliest on
// the menu among equals; "" when no price is marked.
func (sg *signs) majority() string {
	best := ""
	for code, n := range sg.tally {
		if best == "" || n > sg.tally[best] || (n == sg.tally[best] && sg.first[code] < sg.first[best]) {
			best = code
		}
	}
	return best
}

// currencyFromSigns is the currency the marked prices point to, if any,
// unless the dish names and the unmarked prices outvote it.
func (s *state) currencyFromSigns(sg *signs) (string, bool) {
	best := sg.majority()
	if best == "" {
		return "", false
	}
	// A Korean menu with one "Wine €40" line: the signs say EUR, the names
	// and the other prices say otherwise. The unmarked prices decide when
	// they are more; either way the user is told.
	if guess, why := sg.scripts.guess(); guess != "" && sg.unmarked > 0 && !scriptAllows(guess, best) {
		if sg.unmarked > sg.tally[best] {
			s.warn(0, CodeCurrencyGuessed, fmt.Sprintf("most prices carry no currency sign: read as %s from %s; prices marked in another currency are not read", guess, why))
			return guess, true
		}
		s.warn(0, CodeCurrencyGuessed, fmt.Sprintf("prices without a currency were read as %s like the marked ones, though %s suggest %s", best, why, guess))
	}
	for class, code := range sg.classCode {
		if code == best && sg.classGuess[class] != "" {
			s.warn(sg.classLine[class], CodeCurrencyGuessed, sg.classGuess[class])
		}
	}
	return best, true
}
