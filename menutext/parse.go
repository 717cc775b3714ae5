package menutext

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
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
		st.warn(0, CodeBadLang, fmt.Sprintf("language hint %q is not a BCP 47 tag; ignored", short(opt.Lang)))
	}
	st.lang = lang
	text = strings.TrimPrefix(strings.ToValidUTF8(text, "\uFFFD"), "\uFEFF")
	text = strings.Map(clean, text)
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

// clean turns control characters into spaces, so a stray NUL or escape
// cannot glue a price to a name or end up in one, and drops invisible
// marks that copy and paste leave behind (zero-width space, BOM,
// direction marks). Joiners stay: emoji and some scripts need them.
func clean(r rune) rune {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return r
	case r == 0x200b || r == 0xfeff || r == 0x200e || r == 0x200f || r == 0x2060:
		return -1
	case unicode.IsControl(r):
		return ' '
	}
	return r
}
