package menutext

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/menusync/menusync"
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

// scripts counts the letters of the dish names by writing system, the
// last resort for guessing a currency and the tie-breaker for ¥ $ 元.
type scripts struct {
	hangul, kana, han, thai, viet int
	trad, simp                    int // Han characters only one of the two Chinese scripts uses
}

// Characters that differ between Traditional and Simplified Chinese and
// are common on menus, pair by pair: 麵/面 飯/饭 雞/鸡 …
const (
	tradOnly = "麵飯雞鴨魚蝦豬湯餃餅燒滷鍋鹽醬蔥薑蘿蔔點單價貢燉腸蠔鮮鰻鱔鮭鱈鮪龍鳳魷鵝鴿臘餛飩麗灣們為會這個條雙寶實豐廳館飲檸蘋紅綠黃藍銀鐵涼熱凍腦腳頭魯鮑參帶貝蠣燴烏醃撈樣蝸麼燜鹹雜絲塊籠糰團過橋線蓮鯉鱸鯽貨號壺爐燈盤義國東門閩廣滬韓煙燻鹵濃麥藥葉車歲無萬兩錢費稅"
	simpOnly = "面饭鸡鸭鱼虾猪汤饺饼烧卤锅盐酱葱姜萝卜点单价贡炖肠蚝鲜鳗鳝鲑鳕鲔龙凤鱿鹅鸽腊馄饨丽湾们为会这个条双宝实丰厅馆饮柠苹红绿黄蓝银铁凉热冻脑脚头鲁鲍参带贝蛎烩乌腌捞样蜗么焖咸杂丝块笼团过桥线莲鲤鲈鲫货号壶炉灯盘义国东门闽广沪韩烟熏浓麦药叶车岁无万两钱费税"
)

var tradSet, simpSet = runeSet(tradOnly), runeSet(simpOnly)

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool)
	for _, r := range s {
		m[r] = true
	}
	return m
}

func (sc *scripts) add(s string) {
	for _, r := range s {
		switch {
		case r < 0x80:
		case unicode.Is(unicode.Hangul, r):
			sc.hangul++
		case isKana(r):
			sc.kana++
		case unicode.Is(unicode.Han, r):
			sc.han++
			if tradSet[r] {
				sc.trad++
			} else if simpSet[r] {
				sc.simp++
			}
		case unicode.Is(unicode.Thai, r):
			sc.thai++
		case (r >= 0x1ea0 && r <= 0x1ef9) || strings.ContainsRune("ơƠưƯăĂđĐ", r):
			sc.viet++ // letters only Vietnamese uses: ở ạ ư đ …
		}
	}
}

func (sc *scripts) traditional() bool { return sc.trad > sc.simp }

// fromScript guesses the currency of a menu that never names one.
// Latin script alone says nothing: it is written in too many countries.
func (sc *scripts) guess() (code, why string) {
	switch {
	case sc.kana > 0 && sc.kana >= sc.hangul:
		return "JPY", "the Japanese kana in the dish names"
	case sc.hangul > 0:
		return "KRW", "the Korean (Hangul) dish names"
	case sc.thai > 0:
		return "THB", "the Thai dish names"
	case sc.han > 0 && sc.traditional():
		return "TWD", "the Traditional Chinese dish names (Hong Kong and Macau use them too)"
	case sc.han > 0:
		return "CNY", "the Chinese dish names"
	case sc.viet > 0:
		return "VND", "the Vietnamese dish names"
	}
	return "", ""
}

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
		"INR", "AUD", "NZD", "CAD", "MXN", "AED", "ILS":
		return '.'
	}
	return 0
}

func describeCodes(m *curMark) string {
	if m.class == "" {
		return m.codes[0]
	}
	return fmt.Sprintf("“%s”", m.text)
}
