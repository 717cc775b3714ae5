package menutext

import (
	"reflect"
	"strings"
	"testing"
)

// item is what a test expects of one dish.
type item struct {
	line  int
	id    string
	name  string
	price int64
	desc  string
	names map[string]string
}

// warning is what a test expects of one warning; the message is for
// people and is not compared, except where a test says so.
type warning struct {
	line int
	code string
}

func checkDraft(t *testing.T, d Draft, format, cur string, items []item, warns []warning) {
	t.Helper()
	var gotItems []item
	for _, it := range d.Items {
		gotItems = append(gotItems, item{it.Line, it.ID, it.Name, price(it.PriceMinor), it.Description, it.Names})
	}
	var gotWarns []warning
	for _, w := range d.Warnings {
		gotWarns = append(gotWarns, warning{w.Line, w.Code})
		if w.Message == "" {
			t.Errorf("warning %s on line %d has no message", w.Code, w.Line)
		}
	}
	if d.Format != format || d.Currency != cur || !reflect.DeepEqual(gotItems, items) || !reflect.DeepEqual(gotWarns, warns) {
		t.Errorf("got:\n%swant format=%s currency=%q\n  items %+v\n  warnings %+v", dump(d), format, cur, items, warns)
	}
}

func TestKoreanMenu(t *testing.T) {
	menu := strings.Join([]string{
		"한식당 메뉴",
		"",
		"[식사]",
		"김치찌개 ··········· 9,000원",
		"된장찌개 ··········· 8,000원",
		"비빔밥, ₩10,000",
		"돌솥비빔밥 ········· 11,000",
		"   계란, 나물, 고추장",
		"",
		"[안주]",
		"해물파전 15,000",
		"떡볶이 5천원",
		"소주",
		"5,000원",
		"김치찌개 9,000",
		"────────────",
	}, "\n")
	checkDraft(t, Parse(menu, Options{}), "lines", "KRW", []item{
		{line: 4, name: "김치찌개", price: 9000},
		{line: 5, name: "된장찌개", price: 8000},
		{line: 6, name: "비빔밥", price: 10000},
		{line: 7, name: "돌솥비빔밥", price: 11000, desc: "계란, 나물, 고추장"},
		{line: 11, name: "해물파전", price: 15000},
		{line: 12, name: "떡볶이", price: noPrice},
		{line: 13, name: "소주", price: 5000},
		{line: 15, name: "김치찌개", price: 9000},
	}, []warning{
		{1, CodeHeading},
		{3, CodeHeading},
		{7, CodeDescriptionLine},
		{10, CodeHeading},
		{12, CodePriceUnreadable},
		{13, CodePriceOwnLine},
		{15, CodeDuplicateName},
	})
}

func TestJapaneseMenuBareHeadings(t *testing.T) {
	menu := "メイン\r\nラーメン 850円\r\n餃子（6個）　４００円\r\n\r\nドリンク\r\n生ビール ¥580\r\nウーロン茶 ¥300\r\n"
	checkDraft(t, Parse(menu, Options{}), "lines", "JPY", []item{
		{line: 2, name: "ラーメン", price: 850},
		{line: 3, name: "餃子（6個）", price: 400},
		{line: 6, name: "生ビール", price: 580},
		{line: 7, name: "ウーロン茶", price: 300},
	}, []warning{{1, CodeHeading}, {5, CodeHeading}})
}

// Blank lines and rules carry no text, so skipping them needs no warning;
// an unpriced line inside a block stays a dish, with a warning.
func TestUnpricedLinesAreNeverDroppedSilently(t *testing.T) {
	menu := "Starters\nSoup 5.00\nBread\n\n- - - - -\nーーーーーー\n\n*** DESSERTS ***\nCake 6.00\n"
	checkDraft(t, Parse(menu, usd), "lines", "USD", []item{
		{line: 2, name: "Soup", price: 500},
		{line: 3, name: "Bread", price: noPrice},
		{line: 9, name: "Cake", price: 600},
	}, []warning{{1, CodeHeading}, {3, CodeNoPrice}, {8, CodeHeading}})
}

func TestPriceOnlyLineWithoutDish(t *testing.T) {
	checkDraft(t, Parse("Soup 5.00\n6.00\n", usd), "lines", "USD", []item{
		{line: 1, name: "Soup", price: 500},
	}, []warning{{2, CodeNoName}})
}

func TestCurrencyOptionWins(t *testing.T) {
	menu := "Bibimbap ₩12,000\nBulgogi 15.00\nSoju $5\n"
	checkDraft(t, Parse(menu, usd), "lines", "USD", []item{
		{line: 1, name: "Bibimbap", price: noPrice},
		{line: 2, name: "Bulgogi", price: 1500},
		{line: 3, name: "Soju", price: 500},
	}, []warning{{1, CodeCurrencyMismatch}})
}

func TestCurrencyMismatchOnOddLine(t *testing.T) {
	menu := "비빔밥 12,000원\n냉면 ₩9,000\nWine €12\n불고기 15,000원\n"
	checkDraft(t, Parse(menu, Options{}), "lines", "KRW", []item{
		{line: 1, name: "비빔밥", price: 12000},
		{line: 2, name: "냉면", price: 9000},
		{line: 3, name: "Wine", price: noPrice},
		{line: 4, name: "불고기", price: 15000},
	}, []warning{{3, CodeCurrencyMismatch}})
}

// Unmarked prices are not silently read in the currency of one odd line.
func TestUnmarkedPricesAgainstOneSign(t *testing.T) {
	checkDraft(t, Parse("비빔밥 12,000\n냉면 9,000\nWine €40", Options{}), "lines", "KRW", []item{
		{line: 1, name: "비빔밥", price: 12000},
		{line: 2, name: "냉면", price: 9000},
		{line: 3, name: "Wine", price: noPrice},
	}, []warning{{0, CodeCurrencyGuessed}, {3, CodeCurrencyMismatch}})
	checkDraft(t, Parse("Wine €40\nBeer €6\n비빔밥 12", Options{}), "lines", "EUR", []item{
		{line: 1, name: "Wine", price: 4000},
		{line: 2, name: "Beer", price: 600},
		{line: 3, name: "비빔밥", price: 1200},
	}, []warning{{0, CodeCurrencyGuessed}})
	// Hong Kong writes Chinese characters too: HK$ is not contradicted.
	checkDraft(t, Parse("蝦餃 HK$38\n燒賣 42\n叉燒包 36", Options{}), "lines", "HKD", []item{
		{line: 1, name: "蝦餃", price: 3800},
		{line: 2, name: "燒賣", price: 4200},
		{line: 3, name: "叉燒包", price: 3600},
	}, nil)
}

func TestCurrencyOptionInvalid(t *testing.T) {
	d := Parse("비빔밥 12,000원", Options{Currency: "WON"})
	checkDraft(t, d, "lines", "KRW", []item{{line: 1, name: "비빔밥", price: 12000}},
		[]warning{{0, CodeCurrencyUnknown}})
}

// Latin script alone names no country; without a sign or a hint the
// prices stay unread rather than be read in a guessed currency.
func TestCurrencyUnknown(t *testing.T) {
	checkDraft(t, Parse("Fish & chips 14.50\nMushy peas 3.00\nTea", Options{}), "lines", "", []item{
		{line: 1, name: "Fish & chips", price: noPrice},
		{line: 2, name: "Mushy peas", price: noPrice},
		{line: 3, name: "Tea", price: noPrice},
	}, []warning{{0, CodeCurrencyUnknown}, {3, CodeNoPrice}})
}

func TestCurrencyFromLanguageHint(t *testing.T) {
	checkDraft(t, Parse("Croque-monsieur 9,50\nCafé 2,20", Options{Lang: "fr-CH"}), "lines", "CHF", []item{
		{line: 1, name: "Croque-monsieur", price: 950},
		{line: 2, name: "Café", price: 220},
	}, []warning{{0, CodeCurrencyGuessed}})
}

func TestBadLanguageHint(t *testing.T) {
	checkDraft(t, Parse("Soup 5.00", Options{Currency: "USD", Lang: "not a tag"}), "lines", "USD",
		[]item{{line: 1, name: "Soup", price: 500}}, []warning{{0, CodeBadLang}})
}

func TestYen(t *testing.T) {
	for _, tc := range []struct {
		name, menu string
		opt        Options
		cur        string
		warns      []warning
	}{
		{"kana says yen", "天丼 ¥980\nかけうどん ¥450", Options{}, "JPY", nil},
		{"円 elsewhere says yen", "天丼 ¥980\n親子丼 850円", Options{}, "JPY", nil},
		{"元 elsewhere says yuan", "宫保鸡丁 ¥38\n米饭 2元", Options{}, "CNY", nil},
		{"kanji only: a guess", "天丼 ¥980\n親子丼 ¥850", Options{}, "CNY", []warning{{1, CodeCurrencyGuessed}}},
		{"kanji only with a Japanese hint", "天丼 ¥980\n親子丼 ¥850", Options{Lang: "ja"}, "JPY", nil},
		{"Latin only: a guess", "Tempura don ¥980\nOyakodon ¥850", Options{}, "JPY", []warning{{1, CodeCurrencyGuessed}}},
		{"option settles it", "Tempura don ¥980\nOyakodon ¥850", Options{Currency: "CNY"}, "CNY", nil},
	} {
		d := Parse(tc.menu, tc.opt)
		var got []warning
		for _, w := range d.Warnings {
			got = append(got, warning{w.Line, w.Code})
		}
		if d.Currency != tc.cur || !reflect.DeepEqual(got, tc.warns) || len(d.Items) != 2 || d.Items[0].PriceMinor == nil {
			t.Errorf("%s:\n%swant %s %v", tc.name, dump(d), tc.cur, tc.warns)
		}
	}
}

func TestDollarOnTraditionalChineseMenu(t *testing.T) {
	d := Parse("滷肉飯 $35\n牛肉麵 $180", Options{})
	checkDraft(t, d, "lines", "TWD", []item{
		{line: 1, name: "滷肉飯", price: 3500},
		{line: 2, name: "牛肉麵", price: 18000},
	}, []warning{{1, CodeCurrencyGuessed}})
}

// "1.200" and "1,200" in a currency with cents: the menu's other prices
// decide; the currency's habit next; a remaining guess is a warning.
func TestThreeDigitGroupFromOtherLines(t *testing.T) {
	for _, tc := range []struct {
		menu  string
		opt   Options
		want  int64
		warns []warning
	}{
		{"Steak 1.200", usd, 120000, []warning{{1, CodePriceAmbiguous}}},
		{"Coffee 3,50\nSteak 1.200", usd, 120000, nil},
		{"Steak 1,200", usd, 120000, nil},
		{"Steak 1,200 €", Options{}, 120000, []warning{{1, CodePriceAmbiguous}}},
		{"Coffee 3.50 €\nSteak 1,200 €", Options{}, 120000, nil},
		{"Coffee 3.50 €\nSteak 1.200 €", Options{}, 120, nil}, // the menu writes cents after "."
		{"Steak 1.200 €", Options{Lang: "en-IE"}, 120000, []warning{{1, CodePriceAmbiguous}}},
		{"Machboos 1.200 BHD", Options{}, 1200, []warning{{1, CodePriceAmbiguous}}},
		{"Steak 1.205 €", Options{}, 120500, nil}, // not cents: 1.205 cannot be a euro price
	} {
		d := Parse(tc.menu, tc.opt)
		var got []warning
		for _, w := range d.Warnings {
			got = append(got, warning{w.Line, w.Code})
		}
		last := d.Items[len(d.Items)-1]
		if price(last.PriceMinor) != tc.want || !reflect.DeepEqual(got, tc.warns) {
			t.Errorf("%q %+v:\n%swant last price %d, warnings %v", tc.menu, tc.opt, dump(d), tc.want, tc.warns)
		}
	}
}

func TestTooManyItems(t *testing.T) {
	var b strings.Builder
	for i := 0; i < MaxItems+20; i++ {
		b.WriteString("Dish ")
		b.WriteString(strings.Repeat("x", i%7+1))
		b.WriteString(" 9.50\n")
	}
	d := Parse(b.String(), usd)
	if len(d.Items) != MaxItems {
		t.Fatalf("%d items, want %d", len(d.Items), MaxItems)
	}
	last := d.Warnings[len(d.Warnings)-1]
	if last.Code != CodeTooManyItems || last.Line != MaxItems+1 {
		t.Errorf("last warning %+v, want too_many_items on line %d", last, MaxItems+1)
	}
}

func TestTooManyWarnings(t *testing.T) {
	d := Parse(strings.Repeat("[heading]\n", 3000), usd)
	if len(d.Items) != 0 || len(d.Warnings) != MaxWarnings {
		t.Fatalf("%d items, %d warnings", len(d.Items), len(d.Warnings))
	}
	last := d.Warnings[MaxWarnings-1]
	if last.Code != CodeTooManyWarnings || last.Line != MaxWarnings || !strings.Contains(last.Message, "2001 more") {
		t.Errorf("last warning %+v", last)
	}
}

func TestLongNameIsCut(t *testing.T) {
	long := strings.Repeat("가", MaxNameLen+50)
	d := Parse(long+" 9,000원", Options{})
	checkDraft(t, d, "lines", "KRW", []item{{line: 1, name: strings.Repeat("가", MaxNameLen), price: 9000}},
		[]warning{{1, CodeTooLong}})
}

func TestInvalidUTF8AndControlBytes(t *testing.T) {
	d := Parse("Soup\xff\xfe 5.00\x00\n\x1b[31mTea 2.00", usd)
	if len(d.Items) != 2 || price(d.Items[0].PriceMinor) != 500 || d.Items[0].Name != "Soup\uFFFD" {
		t.Errorf("%s", dump(d))
	}
}

// A runaway line must not make a runaway warning.
func TestWarningsQuoteShortly(t *testing.T) {
	d := Parse(strings.Repeat("1,", 5000)+"1\n"+strings.Repeat("x", 5000)+" 1.2.3", usd)
	if len(d.Warnings) == 0 {
		t.Fatalf("no warnings:\n%s", dump(d))
	}
	for _, w := range d.Warnings {
		if n := len([]rune(w.Message)); n > 300 {
			t.Errorf("%s message is %d characters", w.Code, n)
		}
	}
}
