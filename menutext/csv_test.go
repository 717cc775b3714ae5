package menutext

import "testing"

func TestCSVWithBOMCRLFAndQuotes(t *testing.T) {
	file := "\uFEFFid,name,price,description,name_en,name_ja\r\n" +
		"1,비빔밥,\"12,000\",\"밥, 나물, \"\"고추장\"\"\",Bibimbap,ビビンバ\r\n" +
		"2,김치찌개,9000원,,Kimchi stew,\r\n" +
		"3,\"해물파전, 큰 것\",₩15000,\"두 줄\r\n설명\",,\r\n" +
		"\r\n" +
		"4,공기밥,,,Rice,\r\n"
	checkDraft(t, Parse(file, Options{}), "csv", "KRW", []item{
		{line: 2, id: "1", name: "비빔밥", price: 12000, desc: `밥, 나물, "고추장"`, names: map[string]string{"en": "Bibimbap", "ja": "ビビンバ"}},
		{line: 3, id: "2", name: "김치찌개", price: 9000, names: map[string]string{"en": "Kimchi stew"}},
		{line: 4, id: "3", name: "해물파전, 큰 것", price: 15000, desc: "두 줄\n설명"},
		{line: 7, id: "4", name: "공기밥", price: noPrice, names: map[string]string{"en": "Rice"}},
	}, []warning{{7, CodeNoPrice}})
}

func TestCSVSemicolonsAndDecimalCommas(t *testing.T) {
	file := "Name;Price;Name_de\nSchnitzel Wiener Art;14,90 €;Wiener Schnitzel\nApfelstrudel;6,50;\n"
	checkDraft(t, Parse(file, Options{}), "csv", "EUR", []item{
		{line: 2, name: "Schnitzel Wiener Art", price: 1490, names: map[string]string{"de": "Wiener Schnitzel"}},
		{line: 3, name: "Apfelstrudel", price: 650},
	}, nil)
}

func TestCSVTabsAndCurrencyColumn(t *testing.T) {
	file := "name\tprice\tcurrency\tname_zh_Hant\n牛肉麵\t180\tTWD\t\n珍珠奶茶\t60\tTWD\t珍珠奶茶\n"
	checkDraft(t, Parse(file, Options{}), "csv", "TWD", []item{
		{line: 2, name: "牛肉麵", price: 18000},
		{line: 3, name: "珍珠奶茶", price: 6000, names: map[string]string{"zh-Hant": "珍珠奶茶"}},
	}, nil)
}

// An unquoted "12,000" in a comma-separated file is exactly what broke
// the old importer: the header's field count exposes it. A clean split of
// the price is repaired with a warning; anything else is not guessed.
func TestCSVUnquotedThousands(t *testing.T) {
	file := "name,price,description\n비빔밥,12,000,밥과 나물\n냉면,9,000,5,국수\n불고기,15000,\n"
	checkDraft(t, Parse(file, krw), "csv", "KRW", []item{
		{line: 2, name: "비빔밥", price: 12000, desc: "밥과 나물"},
		{line: 4, name: "불고기", price: 15000},
	}, []warning{{2, CodePriceAmbiguous}, {3, CodeBadRow}})
}

func TestCSVBadRows(t *testing.T) {
	file := "name,price,calories\n" +
		"Bibimbap \"special\",12.50,600\n" +
		",9.00,100\n" +
		"Bulgogi,-15.00,700\n" +
		"Japchae,twelve,300\n" +
		"Tteokbokki,8.00,400\n"
	checkDraft(t, Parse(file, usd), "csv", "USD", []item{
		{line: 4, name: "Bulgogi", price: noPrice},
		{line: 5, name: "Japchae", price: noPrice},
		{line: 6, name: "Tteokbokki", price: 800},
	}, []warning{
		{1, CodeUnknownField},
		{2, CodeBadRow},
		{3, CodeNoName},
		{4, CodePriceNegative},
		{5, CodePriceUnreadable},
	})
}

func TestCSVUnclosedQuoteKeepsEarlierRows(t *testing.T) {
	file := "name,price\nSoup,5.00\n\"Stew,8.00\nTea,2.00\n"
	checkDraft(t, Parse(file, usd), "csv", "USD", []item{{line: 2, name: "Soup", price: 500}},
		[]warning{{3, CodeBadRow}})
}

// Without a "name" header, "Bibimbap, 12.50" is a pasted line, not CSV.
func TestCSVNeedsHeader(t *testing.T) {
	checkDraft(t, Parse("Bibimbap, 12.50\nBulgogi, 15.00\n", usd), "lines", "USD", []item{
		{line: 1, name: "Bibimbap", price: 1250},
		{line: 2, name: "Bulgogi", price: 1500},
	}, nil)
}

func TestCSVDuplicateIDs(t *testing.T) {
	file := "id,name,price\nA1,Bibimbap,12.50\nA1,Bulgogi,15.00\n"
	checkDraft(t, Parse(file, usd), "csv", "USD", []item{
		{line: 2, id: "A1", name: "Bibimbap", price: 1250},
		{line: 3, id: "A1", name: "Bulgogi", price: 1500},
	}, []warning{{3, CodeDuplicateID}})
}
