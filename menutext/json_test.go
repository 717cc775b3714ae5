package menutext

import (
	"strings"
	"testing"
)

func TestJSONObjectWithCurrency(t *testing.T) {
	doc := `{
  "currency": "KRW",
  "menu": [
    {"id": "b1", "name": "비빔밥", "price": 12000, "names": {"en": "Bibimbap", "ja": "ビビンバ", "zh_Hant": "拌飯"}},
    {"id": 2, "name": "김치찌개", "price": "9,000원", "description": "돼지고기, 두부"},
    {"name": "공기밥", "price": null},
    {"name": "소주", "price": "₩5,000", "name_en": "Soju"}
  ]
}`
	checkDraft(t, Parse(doc, Options{}), "json", "KRW", []item{
		{line: 4, id: "b1", name: "비빔밥", price: 12000, names: map[string]string{"en": "Bibimbap", "ja": "ビビンバ", "zh-Hant": "拌飯"}},
		{line: 5, id: "2", name: "김치찌개", price: 9000, desc: "돼지고기, 두부"},
		{line: 6, name: "공기밥", price: noPrice},
		{line: 7, name: "소주", price: 5000, names: map[string]string{"en": "Soju"}},
	}, []warning{{6, CodeNoPrice}})
}

// Numbers are read from their literal text: 1.15 is 115 cents, never
// 114.99999999999999 as float64 would make it.
func TestJSONNumbersAreExact(t *testing.T) {
	doc := `[
{"name": "a", "price": 1.15},
{"name": "b", "price": 19.9},
{"name": "c", "price": "12.50"},
{"name": "d", "price": 12.505},
{"name": "e", "price": 1e3},
{"name": "f", "price": -5},
{"name": "g", "price": 0},
{"name": "h", "price": 12.500},
{"name": "i", "price": true},
{"name": "j", "price": "about 12"}
]`
	checkDraft(t, Parse(doc, usd), "json", "USD", []item{
		{line: 2, name: "a", price: 115},
		{line: 3, name: "b", price: 1990},
		{line: 4, name: "c", price: 1250},
		{line: 5, name: "d", price: noPrice},
		{line: 6, name: "e", price: noPrice},
		{line: 7, name: "f", price: noPrice},
		{line: 8, name: "g", price: 0},
		{line: 9, name: "h", price: 1250},
		{line: 10, name: "i", price: noPrice},
		{line: 11, name: "j", price: noPrice},
	}, []warning{
		{5, CodePriceUnreadable},
		{6, CodePriceUnreadable},
		{7, CodePriceNegative},
		{10, CodePriceUnreadable},
		{11, CodePriceUnreadable},
	})
}

// In JSON nothing groups digits: 12.000 is twelve, even in won.
func TestJSONNumberInWholeUnitCurrency(t *testing.T) {
	d := Parse(`[{"name":"비빔밥","price":12.000},{"name":"냉면","price":9000}]`, krw)
	checkDraft(t, d, "json", "KRW", []item{
		{line: 1, name: "비빔밥", price: 12},
		{line: 1, name: "냉면", price: 9000},
	}, nil)
}

func TestJSONArrayDetectsCurrencyFromStrings(t *testing.T) {
	d := Parse(`[{"name":"Phở bò","price":"65.000đ"},{"name":"Bún chả","price":"55.000 ₫"}]`, Options{})
	checkDraft(t, d, "json", "VND", []item{
		{line: 1, name: "Phở bò", price: 65000},
		{line: 1, name: "Bún chả", price: 55000},
	}, nil)
}

func TestJSONDocumentCurrencyVersusPrices(t *testing.T) {
	doc := "{\"currency\":\"KRW\",\"menu\":[\n{\"name\":\"비빔밥\",\"price\":12000},\n{\"name\":\"Wine\",\"price\":\"$40\"}\n]}"
	checkDraft(t, Parse(doc, Options{}), "json", "KRW", []item{
		{line: 2, name: "비빔밥", price: 12000},
		{line: 3, name: "Wine", price: noPrice},
	}, []warning{{3, CodeCurrencyMismatch}})
	// The caller's option wins over the document.
	d := Parse(doc, usd)
	if d.Currency != "USD" || price(d.Items[1].PriceMinor) != 4000 || price(d.Items[0].PriceMinor) != 1200000 {
		t.Errorf("option did not win:\n%s", dump(d))
	}
}

func TestJSONBadItems(t *testing.T) {
	doc := `{"restaurant": "Seoul", "menu": [
"bibimbap",
{"price": 5},
{"name": "Soup", "price": 5, "spicy": true, "names": {"??": "x", "en": "Soup"}},
{"name": "Stew", "price": 8, "spicy": false, "id": {"x": 1}},
{"name": "Tea", "id": "t", "price": 2},
{"name": "Tea", "id": "t", "price": 2}
]}`
	checkDraft(t, Parse(doc, usd), "json", "USD", []item{
		{line: 4, name: "Soup", price: 500, names: map[string]string{"en": "Soup"}},
		{line: 5, name: "Stew", price: 800},
		{line: 6, id: "t", name: "Tea", price: 200},
		{line: 7, id: "t", name: "Tea", price: 200},
	}, []warning{
		{1, CodeUnknownField},
		{2, CodeBadRow},
		{3, CodeNoName},
		{4, CodeUnknownField}, // reported once per document, as the field is met
		{4, CodeBadLang},
		{5, CodeBadRow},
		{7, CodeDuplicateName},
		{7, CodeDuplicateID},
	})
}

func TestJSONMalformedKeepsEarlierItems(t *testing.T) {
	doc := "[\n{\"name\": \"Soup\", \"price\": 5},\n{\"name\": \"Stew\", \"price\": }\n]"
	checkDraft(t, Parse(doc, usd), "json", "USD", []item{{line: 2, name: "Soup", price: 500}},
		[]warning{{3, CodeBadJSON}})
	checkDraft(t, Parse(`[{"name":"Soup","price":5}] and more`, usd), "json", "USD",
		[]item{{line: 1, name: "Soup", price: 500}}, []warning{{1, CodeBadJSON}})
	checkDraft(t, Parse(`{"menu": {"name": "Soup"}}`, usd), "json", "USD", nil, []warning{{1, CodeBadJSON}})
}

func TestJSONLongDescriptionIsCut(t *testing.T) {
	long := strings.Repeat("é", MaxDescriptionLen+1)
	d := Parse(`[{"name":"Soup","price":5,"description":"`+long+`"}]`, usd)
	checkDraft(t, d, "json", "USD", []item{{line: 1, name: "Soup", price: 500, desc: long[:len(long)-len("é")]}},
		[]warning{{1, CodeTooLong}})
}

// "[식사]" opens a pasted Korean menu; it is not a JSON array.
func TestBracketHeadingIsNotJSON(t *testing.T) {
	d := Parse("[식사]\n비빔밥 12,000원", Options{})
	checkDraft(t, d, "lines", "KRW", []item{{line: 2, name: "비빔밥", price: 12000}}, []warning{{1, CodeHeading}})
}
