package menutext

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/menusync/menusync"
)

// Limits. The caller bounds the input in bytes; these bound the draft.
const (
	MaxItems          = 500  // dishes read; the rest of the menu is reported, not read
	MaxNameLen        = 200  // characters (runes) of a name or a translated name
	MaxDescriptionLen = 1000 // characters of a description
	MaxIDLen          = 64   // characters of an id
	MaxNames          = 32   // translations of one dish
	MaxWarnings       = 1000 // warnings returned; one more says how many were left out
)

// Warning codes: stable names a client can switch on.
const (
	CodeNoPrice          = "no_price"          // dish kept without a price
	CodeHeading          = "heading"           // line read as a section heading, not a dish
	CodePriceAmbiguous   = "price_ambiguous"   // price read, but another reading was possible
	CodePriceUnreadable  = "price_unreadable"  // something price-like that was not read (1만2천원, 65k, 1.2.3)
	CodePriceTooLarge    = "price_too_large"   // above menusync.MaxPriceMinor
	CodePriceNegative    = "price_negative"    // JSON or CSV price below zero
	CodePriceOwnLine     = "price_own_line"    // a line holding only a price was given to the dish above
	CodePriceNote        = "price_note"        // a mark after the price changes its meaning ("120++")
	CodeDescriptionLine  = "description_line"  // an indented line was read as the dish's description
	CodeCurrencyMismatch = "currency_mismatch" // a price in another currency than the menu's: not read
	CodeCurrencyUnknown  = "currency_unknown"  // no currency could be decided, or a code is not ISO 4217
	CodeCurrencyGuessed  = "currency_guessed"  // the currency was inferred, not written
	CodeTooManyItems     = "too_many_items"
	CodeTooManyWarnings  = "too_many_warnings"
	CodeTooLong          = "too_long" // a name, description or id was cut to its limit
	CodeBadRow           = "bad_row"  // a CSV row or JSON item that could not be read as a dish
	CodeBadJSON          = "bad_json" // the JSON is malformed from this line on
	CodeUnknownField     = "unknown_field"
	CodeNoName           = "no_name"
	CodeDuplicateName    = "duplicate_name"
	CodeDuplicateID      = "duplicate_id"
	CodeBadLang          = "bad_lang" // a language tag that is not BCP 47
)

// Options are hints from the person pasting the menu.
type Options struct {
	Currency string // ISO 4217 code; wins over anything on the menu. "" = detect.
	Lang     string // BCP 47 tag of the menu's language, optional.
}

// Draft is what the menu says, for a person to check before anything is
// created from it.
type Draft struct {
	Currency string // ISO 4217 code the prices are in; "" when it could not be decided
	Items    []Item
	Warnings []Warning // in line order; Line 0 is about the whole menu
	Format   string    // "lines", "csv" or "json"
}

// Item is one dish.
type Item struct {
	Line        int    // 1-based line of the input it starts on
	ID          string // from JSON or CSV; "" for pasted lines
	Name        string
	PriceMinor  *int64 // minor units of Draft.Currency; nil when not read (a warning says why)
	Description string
	Names       map[string]string // translations by canonical BCP 47 tag, from JSON names or CSV name_<lang>
}

// Warning is something the parser was unsure of or left out.
type Warning struct {
	Line    int    // 1-based input line, 0 for the whole menu
	Code    string // one of the Code constants
	Message string // plain English for people
}

// Parse reads a menu from text and answers a draft without creating
// anything. It never fails: what it cannot read becomes a warning.
func Parse(text string, opt Options) Draft {
	st := &state{opt: opt}
	lang, err := parseLang(opt.Lang)
	if err != nil {
		st.warn(0, CodeBadLang, fmt.Sprintf("language hint %q is not a BCP 47 tag; ignored", opt.Lang))
	}
	st.lang = lang
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.TrimPrefix(text, "\uFEFF")
	// NFC so that a Vietnamese "ở" typed as o + two combining marks matches
	// the precomposed one; compatibility folding happens per rune later.
	text = norm.NFC.String(text)
	switch {
	case looksJSON(text):
		st.format = "json"
		readJSON(text, st)
	default:
		if delim, ok := csvHeader(text); ok {
			st.format = "csv"
			readCSV(text, delim, st)
		} else {
			st.format = "lines"
			readLines(text, st)
		}
	}
	return st.finish()
}

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
				s.warn(e.line, CodeNoPrice, fmt.Sprintf("no price found for “%s”: kept as a dish without a price", it.Name))
			}
		case !known:
			// The menu-wide currency_unknown warning says why.
		case e.price.mark != nil && !e.price.mark.allows(cur.Code):
			s.warn(e.line, CodeCurrencyMismatch, fmt.Sprintf("price “%s %s” is in %s but the menu is in %s: not read",
				e.price.num, e.price.mark.text, describeCodes(e.price.mark), cur.Code))
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
				s.warn(e.line, CodeDuplicateName, fmt.Sprintf("“%s” is also on line %d", it.Name, first))
			} else {
				names[key] = e.line
			}
		}
		if it.ID != "" {
			if first, dup := ids[it.ID]; dup {
				s.warn(e.line, CodeDuplicateID, fmt.Sprintf("id “%s” is also used on line %d", it.ID, first))
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

// decideCurrency picks the menu's currency: the caller's option, then what
// the document states, then the signs on its prices, then the language
// hint, then the script of the dish names; every inference is a warning.
func (s *state) decideCurrency() (menusync.Currency, bool) {
	if s.opt.Currency != "" {
		if c, err := menusync.ParseCurrency(s.opt.Currency); err == nil {
			return c, true
		}
		s.warn(0, CodeCurrencyUnknown, fmt.Sprintf("currency %q is not a known ISO 4217 code; ignored", s.opt.Currency))
	}
	if s.docCurrency != "" {
		if c, err := menusync.ParseCurrency(s.docCurrency); err == nil {
			return c, true
		}
		s.warn(s.docCurrencyLine, CodeCurrencyUnknown, fmt.Sprintf("currency %q is not a known ISO 4217 code; ignored", s.docCurrency))
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
		s.warn(0, CodeCurrencyGuessed, fmt.Sprintf("no currency on the menu; assumed %s from the language hint %q", code, s.opt.Lang))
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
