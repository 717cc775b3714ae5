package menutext

import (
	"sort"
	"unicode"
)

// curMark is a currency sign, word or code written next to a price.
type curMark struct {
	text  string   // as found, for messages
	codes []string // currencies it can stand for
	class string   // "" when codes has one entry; else the shared symbol's name
}

func (m *curMark) allows(code string) bool {
	for _, c := range m.codes {
		if c == code {
			return true
		}
	}
	return false
}

// Symbols several currencies share. The lists are what a menu could
// legitimately mean, so an explicit Options.Currency inside the list is not
// a mismatch (¥ on a Chinese menu is yuan; $ in Taipei is NT$).
var (
	yenCodes    = []string{"JPY", "CNY"}
	yuanCodes   = []string{"CNY", "TWD", "HKD", "MOP"}
	dollarCodes = []string{"USD", "TWD", "HKD", "SGD", "AUD", "CAD", "NZD", "MXN", "ARS", "CLP", "COP",
		"BSD", "BBD", "BZD", "BMD", "BND", "FJD", "JMD", "KYD", "LRD", "NAD", "SBD", "SRD", "TTD", "XCD"}
)

type markerDef struct {
	text    []rune // folded
	codes   []string
	class   string
	prefix  bool // written before the number (₩12,000)
	suffix  bool // written after it (12,000원)
	anyCase bool // letters match in any case after the number ("12 eur")
}

const (
	pre  = 1
	suf  = 2
	both = pre | suf
)

// markers is longest first, so "NT$" wins over "$" and "đồng" over "đ".
var markers = func() []markerDef {
	type spec struct {
		text  string
		codes string // one code, or a class name: yen, yuan, dollar
		where int
		any   bool
	}
	specs := []spec{
		{"₩", "KRW", both, false}, {"원", "KRW", suf, false}, {"KRW", "KRW", both, true}, {"won", "KRW", suf, true},
		{"¥", "yen", both, false}, {"円", "JPY", suf, false}, {"JPY", "JPY", both, true}, {"JP¥", "JPY", pre, false},
		{"yen", "JPY", suf, true},
		{"元", "yuan", suf, false}, {"块", "CNY", suf, false}, {"人民币", "CNY", both, false}, {"RMB", "CNY", both, true},
		{"CNY", "CNY", both, true}, {"CN¥", "CNY", pre, false},
		{"NT$", "TWD", both, false}, {"NTD", "TWD", both, true}, {"TWD", "TWD", both, true},
		{"HK$", "HKD", both, false}, {"HKD", "HKD", both, true}, {"MOP$", "MOP", pre, false}, {"MOP", "MOP", both, false},
		{"$", "dollar", both, false}, {"US$", "USD", both, false}, {"USD", "USD", both, true},
		{"S$", "SGD", pre, false}, {"SGD", "SGD", both, true}, {"A$", "AUD", pre, false}, {"AUD", "AUD", both, false},
		{"C$", "CAD", pre, false}, {"CA$", "CAD", pre, false}, {"CAD", "CAD", both, false},
		{"NZ$", "NZD", pre, false}, {"NZD", "NZD", both, false}, {"R$", "BRL", pre, false}, {"BRL", "BRL", both, false},
		{"MX$", "MXN", pre, false}, {"MXN", "MXN", both, false},
		{"₫", "VND", both, false}, {"đ", "VND", suf, false}, {"đồng", "VND", suf, true}, {"VND", "VND", both, true},
		{"VNĐ", "VND", both, true},
		{"฿", "THB", both, false}, {"บาท", "THB", suf, false}, {"บ.", "THB", suf, false}, {"THB", "THB", both, true},
		{"€", "EUR", both, false}, {"EUR", "EUR", both, true}, {"euro", "EUR", suf, true}, {"euros", "EUR", suf, true},
		{"£", "GBP", both, false}, {"GBP", "GBP", both, true},
		{"CHF", "CHF", both, true}, {"Fr.", "CHF", both, false}, {"SFr.", "CHF", both, false},
		{"₱", "PHP", both, false}, {"PHP", "PHP", both, false}, {"₹", "INR", both, false}, {"INR", "INR", both, false},
		{"Rp", "IDR", pre, false}, {"IDR", "IDR", both, false}, {"RM", "MYR", pre, false}, {"MYR", "MYR", both, false},
		{"₺", "TRY", both, false}, {"zł", "PLN", suf, false}, {"PLN", "PLN", both, false}, {"Kč", "CZK", suf, false},
		{"CZK", "CZK", both, false}, {"Ft", "HUF", suf, false}, {"HUF", "HUF", both, false},
		{"SEK", "SEK", both, false}, {"NOK", "NOK", both, false}, {"DKK", "DKK", both, false},
		{"AED", "AED", both, false}, {"₪", "ILS", both, false}, {"₭", "LAK", both, false}, {"LAK", "LAK", both, false},
		{"BHD", "BHD", both, false}, {"KWD", "KWD", both, false}, {"OMR", "OMR", both, false}, {"JOD", "JOD", both, false},
		{"QAR", "QAR", both, false}, {"SAR", "SAR", both, false}, {"EGP", "EGP", both, false}, {"MAD", "MAD", both, false},
		{"ZAR", "ZAR", both, false}, {"PKR", "PKR", both, false}, {"LKR", "LKR", both, false}, {"NPR", "NPR", both, false},
		{"៛", "KHR", both, false}, {"KHR", "KHR", both, false}, {"₮", "MNT", both, false}, {"MNT", "MNT", both, false},
	}
	defs := make([]markerDef, 0, len(specs))
	for _, s := range specs {
		d := markerDef{text: foldRunes([]rune(s.text)), prefix: s.where&pre != 0, suffix: s.where&suf != 0, anyCase: s.any}
		switch s.codes {
		case "yen":
			d.codes, d.class = yenCodes, "yen"
		case "yuan":
			d.codes, d.class = yuanCodes, "yuan"
		case "dollar":
			d.codes, d.class = dollarCodes, "dollar"
		default:
			d.codes = []string{s.codes}
		}
		defs = append(defs, d)
	}
	sort.SliceStable(defs, func(i, j int) bool { return len(defs[i].text) > len(defs[j].text) })
	return defs
}()

func (d *markerDef) mark(r []rune) *curMark {
	return &curMark{text: string(r), codes: d.codes, class: d.class}
}

func (d *markerDef) matchAt(f []rune, start int, anyCase bool) bool {
	if start < 0 || start+len(d.text) > len(f) {
		return false
	}
	for i, c := range d.text {
		g := f[start+i]
		if g != c && !(anyCase && unicode.ToLower(g) == unicode.ToLower(c)) {
			return false
		}
	}
	return true
}

// suffixMarker finds a marker that ends at end and starts after lo.
// It must follow a digit or a space, so "Neuro" does not end in "euro".
func suffixMarker(f []rune, lo, end int) (*markerDef, int) {
	for i := range markers {
		d := &markers[i]
		start := end - len(d.text)
		if !d.suffix || start <= lo || !d.matchAt(f, start, d.anyCase) {
			continue
		}
		if p := f[start-1]; isDigit(p) || isSpace(p) {
			return d, start
		}
	}
	return nil, -1
}

// prefixMarker finds a marker that ends at end. A marker spelled with
// letters must not continue a word ("SPARM 12" is not RM 12).
func prefixMarker(f []rune, lo, end int) (*markerDef, int) {
	for i := range markers {
		d := &markers[i]
		start := end - len(d.text)
		if !d.prefix || start < lo || !d.matchAt(f, start, false) {
			continue
		}
		if isLatinLetter(d.text[0]) && start > lo && unicode.IsLetter(f[start-1]) {
			continue
		}
		return d, start
	}
	return nil, -1
}
