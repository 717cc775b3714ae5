package menutext

import (
	"fmt"
	"reflect"
	"testing"
)

const noPrice = -1

// lineCase is one pasted line read as a whole menu.
type lineCase struct {
	in    string
	opt   Options
	name  string
	price int64 // minor units, noPrice for nil
	desc  string
	cur   string
	warns []string // codes in order
}

func codes(ws []Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.Code)
	}
	return out
}

func price(p *int64) int64 {
	if p == nil {
		return noPrice
	}
	return *p
}

func dump(d Draft) string {
	s := fmt.Sprintf("currency=%q format=%s\n", d.Currency, d.Format)
	for _, it := range d.Items {
		s += fmt.Sprintf("  item line %d id=%q name=%q price=%d desc=%q names=%v\n", it.Line, it.ID, it.Name, price(it.PriceMinor), it.Description, it.Names)
	}
	for _, w := range d.Warnings {
		s += fmt.Sprintf("  warning line %d %s: %s\n", w.Line, w.Code, w.Message)
	}
	return s
}

func checkLine(t *testing.T, tc lineCase) {
	t.Helper()
	d := Parse(tc.in, tc.opt)
	if tc.warns == nil {
		tc.warns = []string{}
	}
	ok := len(d.Items) == 1 && d.Format == "lines" && d.Currency == tc.cur &&
		reflect.DeepEqual(codes(d.Warnings), tc.warns)
	if ok {
		it := d.Items[0]
		ok = it.Name == tc.name && price(it.PriceMinor) == tc.price && it.Description == tc.desc && it.Line == 1 && it.ID == ""
	}
	if !ok {
		t.Errorf("Parse(%q, %+v):\n%swant name=%q price=%d desc=%q currency=%q warnings=%v",
			tc.in, tc.opt, dump(d), tc.name, tc.price, tc.desc, tc.cur, tc.warns)
	}
}

var (
	krw = Options{Currency: "KRW"}
	usd = Options{Currency: "USD"}
	gbp = Options{Currency: "GBP"}
	thb = Options{Currency: "THB"}
)

const guessed = CodeCurrencyGuessed

// Lines as they are printed or typed on real menus, one per test.
var menuLines = []lineCase{
	// Korean
	{in: "김치찌개 ··········· 9,000", name: "김치찌개", price: 9000, cur: "KRW", warns: []string{guessed}},
	{in: "비빔밥 12,000원", name: "비빔밥", price: 12000, cur: "KRW"},
	{in: "비빔밥, ₩12,000", name: "비빔밥", price: 12000, cur: "KRW"},
	{in: "비빔밥 ........ 12,000", name: "비빔밥", price: 12000, cur: "KRW", warns: []string{guessed}},
	{in: "된장찌개 8,000 원", name: "된장찌개", price: 8000, cur: "KRW"},
	{in: "삼겹살 (200g) 15,000원", name: "삼겹살 (200g)", price: 15000, cur: "KRW"},
	{in: "물냉면 ₩ 11,000", name: "물냉면", price: 11000, cur: "KRW"},
	{in: "제육볶음\t9000원", name: "제육볶음", price: 9000, cur: "KRW"},
	{in: "김밥 ３，５００원", name: "김밥", price: 3500, cur: "KRW"},
	{in: "해물파전 12,500", opt: krw, name: "해물파전", price: 12500, cur: "KRW"},
	{in: "공기밥 1,000 KRW", name: "공기밥", price: 1000, cur: "KRW"},
	{in: "떡볶이 5천원", name: "떡볶이", price: noPrice, cur: "KRW", warns: []string{guessed, CodePriceUnreadable}},
	{in: "갈비탕 1만2천원", name: "갈비탕", price: noPrice, cur: "KRW", warns: []string{guessed, CodePriceUnreadable}},
	{in: "김치찌개 9,000원 🔥", name: "김치찌개", price: 9000, desc: "🔥", cur: "KRW"},
	{in: "불닭볶음면 ★★★ 8,000원 🌶️🌶️", name: "불닭볶음면 ★★★", price: 8000, desc: "🌶️🌶️", cur: "KRW"},
	{in: "• 순두부찌개 - 9,000", opt: krw, name: "순두부찌개", price: 9000, cur: "KRW"},
	// Japanese
	{in: "ラーメン（醤油）　８５０円", name: "ラーメン（醤油）", price: 850, cur: "JPY"},
	{in: "天ぷらそば ¥1,200", name: "天ぷらそば", price: 1200, cur: "JPY"},
	{in: "カツカレー ........ 980円", name: "カツカレー", price: 980, cur: "JPY"},
	{in: "生ビール（中） 580円（税込）", name: "生ビール（中）", price: 580, desc: "税込", cur: "JPY"},
	{in: "コーヒー ーーーー 400円", name: "コーヒー", price: 400, cur: "JPY"},
	{in: "寿司盛り合わせ　２，５００円", name: "寿司盛り合わせ", price: 2500, cur: "JPY"},
	{in: "焼き鳥（5本）・・・・・・600円", name: "焼き鳥（5本）", price: 600, cur: "JPY"},
	{in: "枝豆 ¥380", opt: Options{Lang: "ja"}, name: "枝豆", price: 380, cur: "JPY"},
	{in: "お茶漬け ￥５００", name: "お茶漬け", price: 500, cur: "JPY"},
	{in: "特上コース 1万円", name: "特上コース", price: noPrice, cur: "JPY", warns: []string{guessed, CodePriceUnreadable}},
	{in: "味噌汁 980.00 JPY", name: "味噌汁", price: 980, cur: "JPY"},
	// Chinese, simplified
	{in: "宫保鸡丁 38元", name: "宫保鸡丁", price: 3800, cur: "CNY"},
	{in: "水煮鱼 RMB 68", name: "水煮鱼", price: 6800, cur: "CNY"},
	{in: "小笼包（6个） 22元", name: "小笼包（6个）", price: 2200, cur: "CNY"},
	{in: "扬州炒饭 18.5元", name: "扬州炒饭", price: 1850, cur: "CNY"},
	{in: "麻婆豆腐 ¥28", name: "麻婆豆腐", price: 2800, cur: "CNY", warns: []string{guessed}},
	{in: "酸辣汤 ￥12", opt: Options{Lang: "zh"}, name: "酸辣汤", price: 1200, cur: "CNY"},
	{in: "北京烤鸭（半只） 128 元", name: "北京烤鸭（半只）", price: 12800, cur: "CNY"},
	// Chinese, traditional
	{in: "牛肉麵 NT$180", name: "牛肉麵", price: 18000, cur: "TWD"},
	{in: "滷肉飯 35元", name: "滷肉飯", price: 3500, cur: "TWD", warns: []string{guessed}},
	{in: "蝦餃 HK$38", name: "蝦餃", price: 3800, cur: "HKD"},
	{in: "珍珠奶茶 $60", opt: Options{Lang: "zh-TW"}, name: "珍珠奶茶", price: 6000, cur: "TWD"},
	{in: "小籠包 NT$ 220", name: "小籠包", price: 22000, cur: "TWD"},
	{in: "叉燒飯 HKD 58", name: "叉燒飯", price: 5800, cur: "HKD"},
	// Thai
	{in: "ต้มยำกุ้ง 120 บาท", name: "ต้มยำกุ้ง", price: 12000, cur: "THB"},
	{in: "ผัดไทย ฿80", name: "ผัดไทย", price: 8000, cur: "THB"},
	{in: "ข้าวผัดกุ้ง 90.-", name: "ข้าวผัดกุ้ง", price: 9000, cur: "THB", warns: []string{guessed}},
	{in: "ส้มตำ 60 บ.", name: "ส้มตำ", price: 6000, cur: "THB"},
	{in: "ข้าวเหนียวมะม่วง ๑๒๐ บาท", name: "ข้าวเหนียวมะม่วง", price: 12000, cur: "THB"},
	{in: "Pad Thai 120++", opt: thb, name: "Pad Thai", price: 12000, cur: "THB", warns: []string{CodePriceNote}},
	// Vietnamese
	{in: "Phở bò tái 65.000đ", name: "Phở bò tái", price: 65000, cur: "VND"},
	{in: "Pho bò 65.000 ₫", name: "Pho bò", price: 65000, cur: "VND"},
	{in: "Bún chả Hà Nội 55,000 VND", name: "Bún chả Hà Nội", price: 55000, cur: "VND"},
	{in: "Bánh mì thịt 25k", name: "Bánh mì thịt", price: noPrice, cur: "VND", warns: []string{guessed, CodePriceUnreadable}},
	{in: "Cà phê sữa đá ........ 30.000", name: "Cà phê sữa đá", price: 30000, cur: "VND", warns: []string{guessed}},
	{in: "Gỏi cuốn (2 cuốn) 45 000đ", name: "Gỏi cuốn (2 cuốn)", price: 45000, cur: "VND"},
	{in: "Chả giò 40.000 VNĐ", name: "Chả giò", price: 40000, cur: "VND"},
	// English
	{in: "Fish & chips, mushy peas 14.50", opt: gbp, name: "Fish & chips, mushy peas", price: 1450, cur: "GBP"},
	{in: "Bibimbap with rice, soup ........ 12.50", opt: usd, name: "Bibimbap with rice, soup", price: 1250, cur: "USD"},
	{in: "Beef stew with rice, soup 1, 11.5", opt: usd, name: "Beef stew with rice, soup 1", price: 1150, cur: "USD"},
	{in: "Cheeseburger $12.50", name: "Cheeseburger", price: 1250, cur: "USD", warns: []string{guessed}},
	{in: "Cheeseburger $12.50", opt: Options{Lang: "en-US"}, name: "Cheeseburger", price: 1250, cur: "USD"},
	{in: "Caesar salad - 9.95", opt: usd, name: "Caesar salad", price: 995, cur: "USD"},
	{in: "Club sandwich | 11.00 | with fries", opt: usd, name: "Club sandwich", price: 1100, desc: "with fries", cur: "USD"},
	{in: "Sunday roast, £16.50, with Yorkshire pudding", name: "Sunday roast", price: 1650, desc: "with Yorkshire pudding", cur: "GBP"},
	{in: "Lobster roll US$28", name: "Lobster roll", price: 2800, cur: "USD"},
	{in: "Pancakes 8.50 USD", name: "Pancakes", price: 850, cur: "USD"},
	{in: "Wagyu tasting menu 1,200", opt: usd, name: "Wagyu tasting menu", price: 120000, cur: "USD"},
	{in: "Wagyu tasting menu 1.200", opt: usd, name: "Wagyu tasting menu", price: 120000, cur: "USD", warns: []string{CodePriceAmbiguous}},
	{in: "Soup of the day", opt: usd, name: "Soup of the day", price: noPrice, cur: "USD", warns: []string{CodeNoPrice}},
	{in: "Combo A1", opt: usd, name: "Combo A1", price: noPrice, cur: "USD", warns: []string{CodeNoPrice}},
	{in: "Steak & ale pie £8.50", name: "Steak & ale pie", price: 850, cur: "GBP"},
	{in: "Flat white 4,5", opt: Options{Currency: "AUD"}, name: "Flat white", price: 450, cur: "AUD"},
	{in: "Tomato soup 5.00 (v)", opt: gbp, name: "Tomato soup", price: 500, desc: "v", cur: "GBP"},
	{in: "Set 2 (for two)", opt: gbp, name: "Set 2 (for two)", price: noPrice, cur: "GBP", warns: []string{CodeNoPrice}},
	{in: "Lunch set discount -2.00", opt: usd, name: "Lunch set discount", price: noPrice, cur: "USD", warns: []string{CodePriceNegative}},
	{in: "Small / large fries 3.50 / 5.00", opt: usd, name: "Small / large fries", price: 500, cur: "USD", warns: []string{CodePriceAmbiguous}},
	// French
	{in: "Croque-monsieur ... 9,50 €", name: "Croque-monsieur", price: 950, cur: "EUR"},
	{in: "Soupe à l'oignon : 7,50 €", name: "Soupe à l'oignon", price: 750, cur: "EUR"},
	{in: "Plateau de fruits de mer 1 200,50 €", name: "Plateau de fruits de mer", price: 120050, cur: "EUR"},
	{in: "Plateau royal 1\u202f200,50\u00a0€", name: "Plateau royal", price: 120050, cur: "EUR"},
	{in: "Café crème 3,20€", name: "Café crème", price: 320, cur: "EUR"},
	{in: "Entrecôte frites 24 €", name: "Entrecôte frites", price: 2400, cur: "EUR"},
	{in: "Menu du jour €15", name: "Menu du jour", price: 1500, cur: "EUR"},
	{in: "Magret de canard 1.200,50 €", name: "Magret de canard", price: 120050, cur: "EUR"},
	{in: "Kir royal €9,50", name: "Kir royal", price: 950, cur: "EUR"},
	// German and Swiss
	{in: "Schnitzel Wiener Art 14,90 €", name: "Schnitzel Wiener Art", price: 1490, cur: "EUR"},
	{in: "Currywurst mit Pommes 8,50 EUR", name: "Currywurst mit Pommes", price: 850, cur: "EUR"},
	{in: "Apfelstrudel 6,- €", name: "Apfelstrudel", price: 600, cur: "EUR"},
	{in: "Weißbier 0,5l 4,80 €", name: "Weißbier 0,5l", price: 480, cur: "EUR"},
	{in: "Rösti mit Speck CHF 18.50", name: "Rösti mit Speck", price: 1850, cur: "CHF"},
	{in: "Fondue (2 Pers.) Fr. 58.–", name: "Fondue (2 Pers.)", price: 5800, cur: "CHF"},
	{in: "Zürcher Geschnetzeltes 1'250.00 CHF", name: "Zürcher Geschnetzeltes", price: 125000, cur: "CHF"},
	{in: "Schweinshaxe 1.200 €", name: "Schweinshaxe", price: 120000, cur: "EUR"},
	{in: "Brezel 1,200 €", name: "Brezel", price: 120000, cur: "EUR", warns: []string{CodePriceAmbiguous}},
}

func TestMenuLines(t *testing.T) {
	if len(menuLines) < 60 {
		t.Fatalf("only %d lines", len(menuLines))
	}
	for _, tc := range menuLines {
		checkLine(t, tc)
	}
}
