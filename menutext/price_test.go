package menutext

import (
	"testing"

	"github.com/menusync/menusync"
)

func TestReadPrice(t *testing.T) {
	cur := func(code string) menusync.Currency {
		c, err := menusync.ParseCurrency(code)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		num        string
		plain      bool
		code       string
		menuDec    rune
		convention rune
		want       int64 // noPrice when not read
		warn       string
	}{
		{num: "12", code: "USD", want: 1200},
		{num: "12,5", code: "USD", want: 1250},
		{num: "12,50", code: "EUR", want: 1250},
		{num: "0,99", code: "EUR", want: 99},
		{num: "1.234,56", code: "EUR", want: 123456},
		{num: "1,234.56", code: "USD", want: 123456},
		{num: "1,234,567", code: "KRW", want: 1234567},
		{num: "1.234.567", code: "VND", want: 1234567},
		{num: "12,000", code: "KRW", want: 12000},
		{num: "12.000", code: "VND", want: 12000},
		{num: "12.000", code: "JPY", want: 12000},
		{num: "980.00", code: "JPY", want: 980},
		{num: "12.5", code: "KRW", want: noPrice, warn: CodePriceUnreadable},
		{num: "12,50", code: "KRW", want: noPrice, warn: CodePriceUnreadable},
		{num: "12.505", code: "USD", want: 1250500}, // only thousands fit three digits
		{num: "12.505", code: "USD", convention: '.', want: 1250500, warn: CodePriceAmbiguous},
		{num: "12.505", code: "EUR", convention: ',', want: 1250500},
		{num: "65,000", code: "VND", convention: ',', want: 65000}, // no cents to confuse it with
		{num: "1,00,000", code: "INR", want: noPrice, warn: CodePriceUnreadable},
		{num: "1.2.3", code: "USD", want: noPrice, warn: CodePriceUnreadable},
		{num: "1.234,567", code: "EUR", want: noPrice, warn: CodePriceUnreadable},
		{num: "1\u00a0200,50", code: "EUR", want: 120050},
		{num: "1 234 567", code: "KRW", want: 1234567},
		{num: "1'250.00", code: "CHF", want: 125000},
		{num: "1.200", code: "USD", menuDec: ',', want: 120000},
		{num: "1.200", code: "USD", menuDec: '.', want: 120},
		{num: "1.200", code: "USD", convention: '.', want: 120000, warn: CodePriceAmbiguous},
		{num: "1.200", code: "USD", want: 120000, warn: CodePriceAmbiguous},
		{num: "1,200", code: "USD", convention: '.', want: 120000},
		{num: "1.200", code: "BHD", convention: '.', want: 1200, warn: CodePriceAmbiguous},
		{num: "1.200", code: "BHD", convention: ',', want: 1200000},
		{num: "1000000000", code: "USD", want: menusync.MaxPriceMinor},
		{num: "10000000001", code: "USD", want: noPrice, warn: CodePriceTooLarge},
		{num: "99999999999999999999999999", code: "KRW", want: noPrice, warn: CodePriceTooLarge},
		{num: "12.000", plain: true, code: "KRW", want: 12},
		{num: "12", plain: true, code: "USD", want: 1200},
		{num: "1.15", plain: true, code: "USD", want: 115},
		{num: "12.345", plain: true, code: "USD", want: noPrice, warn: CodePriceUnreadable},
		{num: "0.5", plain: true, code: "BHD", want: 500},
	} {
		c := cur(tc.code)
		p := priceText{num: tc.num, plain: tc.plain}
		v, ok, code, msg := readPrice(p, readContext{cur: c, menuDec: tc.menuDec, convention: tc.convention})
		got := int64(noPrice)
		if ok {
			got = v
		}
		if got != tc.want || code != tc.warn || (code != "") != (msg != "") {
			t.Errorf("readPrice(%q plain=%v %s dec=%q conv=%q) = %d, %q %q; want %d, %q",
				tc.num, tc.plain, tc.code, tc.menuDec, tc.convention, got, code, msg, tc.want, tc.warn)
		}
	}
}

func TestFindTail(t *testing.T) {
	for _, tc := range []struct {
		in, name, num, mark string // mark "" = none; "-" = no price found
	}{
		{"비빔밥, ₩12,000", "비빔밥", "12,000", "₩"},
		{"Bibimbap US$12.50", "Bibimbap", "12.50", "US$"},
		{"Bibimbap 12.50 USD", "Bibimbap", "12.50", "USD"},
		{"Bibimbap 12.50 usd", "Bibimbap", "12.50", "usd"},
		{"Dumplings HK$88", "Dumplings", "88", "HK$"},
		{"Pho 65.000đ", "Pho", "65.000", "đ"},
		{"Soup 1 200,50 €", "Soup", "1 200,50", "€"},
		{"Plateau €1 200", "Plateau", "1 200", "€"},
		{"Soup …… 9", "Soup", "9", ""},
		{"Coke330", "", "", "-"},
		{"Coke 330ml", "", "", "-"},
		{"Open 11:30", "", "", "-"},
		{"Neuro 12 euro", "Neuro", "12", "euro"},
		{"Kimchi ＄５", "Kimchi", "5", "$"},
		{"ข้าว๑๒๐", "ข้าว", "120", ""},
	} {
		r := []rune(tc.in)
		f := foldRunes(r)
		got, ok := findTail(f, 0, len(f))
		if tc.mark == "-" {
			if ok {
				t.Errorf("findTail(%q) found %q", tc.in, got.price.num)
			}
			continue
		}
		mark := ""
		if got.price.mark != nil {
			mark = got.price.mark.text
		}
		if !ok || trimName(r, f, 0, got.nameEnd) != tc.name || got.price.num != tc.num || mark != tc.mark {
			t.Errorf("findTail(%q) = name %q num %q mark %q ok %v; want %q %q %q", tc.in,
				trimName(r, f, 0, got.nameEnd), got.price.num, mark, ok, tc.name, tc.num, tc.mark)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[rune]rune{
		'１': '1', '，': ',', '．': '.', '￥': '¥', '￦': '₩', '＄': '$', '\u3000': ' ',
		'\u202f': hardSpace, '\u00a0': hardSpace, '๑': '1', 'ｰ': 'ー', '、': ',',
		'é': 'é', 'ー': 'ー', '…': '…', 'a': 'a',
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTrimNameKeepsProlongedMark(t *testing.T) {
	for in, want := range map[string]string{
		"コーヒー":            "コーヒー",
		"コーヒー ーーーー":       "コーヒー",
		"コーヒーーーー":         "コーヒー",
		"• Bibimbap ...":  "Bibimbap",
		"- Soup -":        "Soup",
		"Croque-monsieur": "Croque-monsieur",
	} {
		r := []rune(in)
		if got := trimName(r, foldRunes(r), 0, len(r)); got != want {
			t.Errorf("trimName(%q) = %q, want %q", in, got, want)
		}
	}
}
