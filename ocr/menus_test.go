package ocr

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var (
	menuKorean = menu{script: scriptKR, title: "한식당 메뉴", dishes: []dish{
		{"비빔밥", "12,000원"}, {"김치찌개", "9,000원"}, {"된장찌개", "8,500원"},
		{"불고기", "15,000원"}, {"냉면", "10,000원"}, {"떡볶이", "6,000원"},
		{"삼계탕", "16,000원"}, {"갈비탕", "13,000원"}, {"해물파전", "14,000원"},
		{"순두부찌개", "9,500원"}, {"잡채", "11,000원"}, {"김밥", "4,500원"},
	}}
	menuJapanese = menu{script: scriptJP, title: "お品書き", dishes: []dish{
		{"醤油ラーメン", "850円"}, {"味噌ラーメン", "950円"}, {"餃子", "400円"},
		{"天ぷら定食", "1,200円"}, {"親子丼", "780円"}, {"カレーライス", "750円"},
		{"焼き鳥", "600円"}, {"お好み焼き", "900円"}, {"刺身盛り合わせ", "1,800円"},
		{"とんかつ定食", "1,100円"}, {"きつねうどん", "550円"},
	}}
	menuSimplified = menu{script: scriptSC, title: "川菜馆菜单", dishes: []dish{
		{"宫保鸡丁", "38元"}, {"麻婆豆腐", "28元"}, {"鱼香肉丝", "32元"},
		{"北京烤鸭", "128元"}, {"红烧肉", "48元"}, {"酸辣汤", "18元"},
		{"小笼包", "22元"}, {"扬州炒饭", "15元"}, {"回锅肉", "36元"}, {"水煮鱼", "58元"},
	}}
	menuTraditional = menu{script: scriptTC, title: "台灣小吃", dishes: []dish{
		{"牛肉麵", "NT$180"}, {"滷肉飯", "NT$45"}, {"蚵仔煎", "NT$70"},
		{"小籠包", "NT$120"}, {"鹽酥雞", "NT$85"}, {"臭豆腐", "NT$60"},
		{"珍珠奶茶", "NT$55"}, {"雞排", "NT$75"}, {"排骨便當", "NT$95"}, {"豆花", "NT$40"},
	}}
	menuThai = menu{script: scriptThai, title: "เมนูอาหาร", dishes: []dish{
		{"ผัดไทย", "60 บาท"}, {"ต้มยำกุ้ง", "120 บาท"}, {"ส้มตำ", "50 บาท"},
		{"แกงเขียวหวาน", "90 บาท"}, {"ข้าวผัด", "55 บาท"}, {"ผัดกะเพรา", "65 บาท"},
		{"ต้มข่าไก่", "100 บาท"}, {"ข้าวมันไก่", "45 บาท"}, {"มัสมั่นเนื้อ", "130 บาท"},
		{"ข้าวเหนียวมะม่วง", "80 บาท"},
	}}
	menuVietnamese = menu{script: scriptLatin, title: "Thực đơn", dishes: []dish{
		{"Phở bò", "65.000đ"}, {"Bún chả", "55.000đ"}, {"Bánh mì", "25.000đ"},
		{"Gỏi cuốn", "40.000đ"}, {"Cơm tấm", "45.000đ"}, {"Bún bò Huế", "60.000đ"},
		{"Chả giò", "35.000đ"}, {"Cà phê sữa đá", "20.000đ"}, {"Bánh xèo", "50.000đ"},
		{"Hủ tiếu", "42.000đ"},
	}}
	menuEnglish = menu{script: scriptLatin, title: "Lunch Menu", dishes: []dish{
		{"Caesar Salad", "$9.50"}, {"Tomato Soup", "$6.00"}, {"Cheeseburger", "$12.50"},
		{"Fish and Chips", "$14.00"}, {"Grilled Salmon", "$18.90"}, {"Chicken Wings", "$10.00"},
		{"Margherita Pizza", "$13.00"}, {"Spaghetti Carbonara", "$15.50"},
		{"Apple Pie", "$7.00"}, {"Iced Tea", "$3.50"},
	}}
)

// fixture is one rendered test image and what it should read as.
type fixture struct {
	name        string
	contentType string
	data        []byte
	lang        string // the hint a user would pick
	menu        menu
	clean       bool    // clean renders must meet the bar: 90% of names, every price
	floorNames  float64 // else, or where noted: the floor asserted, below the measured rate
	floorPrices float64
	note        string // why a clean render has a floor below the bar
}

var (
	fixturesOnce sync.Once
	fixtureList  []fixture
)

// fixtures renders every test image once per test binary and writes them
// to $MENUSYNC_ARTIFACTS when set, for a person to look at.
func fixtures(t testing.TB) []fixture {
	t.Helper()
	loadFonts(t)
	fixturesOnce.Do(func() {
		ko := menuKorean.render(t)
		twoCol := menuKorean
		twoCol.columns = 2
		fixtureList = []fixture{
			{name: "korean", contentType: "image/png", data: encodePNG(t, ko), lang: "ko", menu: menuKorean, clean: true},
			{name: "japanese", contentType: "image/png", data: encodePNG(t, menuJapanese.render(t)), lang: "ja", menu: menuJapanese, clean: true},
			{name: "chinese-simplified", contentType: "image/png", data: encodePNG(t, menuSimplified.render(t)), lang: "zh-Hans", menu: menuSimplified, clean: true},
			{name: "chinese-traditional", contentType: "image/jpeg", data: encodeJPEG(t, toRGBA(menuTraditional.render(t)), 90), lang: "zh-Hant", menu: menuTraditional, clean: true},
			{name: "thai", contentType: "image/png", data: encodePNG(t, menuThai.render(t)), lang: "th", menu: menuThai, clean: true, floorNames: 0.7,
				note: "tesseract's tha model reads the tone mark ้ over ต and ส as ั or ิ (ต้ม → ตัม): 3 of 10 names"},
			{name: "vietnamese", contentType: "image/png", data: encodePNG(t, toRGBA(menuVietnamese.render(t))), lang: "vi", menu: menuVietnamese, clean: true},
			{name: "english", contentType: "image/webp", data: encodeWebP(menuEnglish.render(t)), lang: "en", menu: menuEnglish, clean: true},
			{name: "korean-two-column", contentType: "image/png", data: encodePNG(t, twoCol.render(t)), lang: "ko", menu: twoCol, clean: true},
			{name: "korean-rotated", contentType: "image/png", data: encodePNG(t, rotate(ko, 2.5)), lang: "ko", menu: menuKorean, floorNames: 0.8, floorPrices: 0.8},
			{name: "korean-noisy", contentType: "image/jpeg", data: encodeJPEG(t, toRGBA(addNoise(ko, 24)), 30), lang: "ko", menu: menuKorean, floorNames: 0.8, floorPrices: 0.8},
			{name: "korean-exif6", contentType: "image/jpeg", data: withEXIF(encodeJPEG(t, toRGBA(stored(ko, 6)), 85), 6, "MM"), lang: "ko", menu: menuKorean, floorNames: 0.9, floorPrices: 1},
		}
		if dir := os.Getenv("MENUSYNC_ARTIFACTS"); dir != "" {
			dir = filepath.Join(dir, "ocr")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Errorf("artifacts: %v", err)
				return
			}
			for _, f := range fixtureList {
				ext := strings.TrimPrefix(f.contentType, "image/")
				if err := os.WriteFile(filepath.Join(dir, f.name+"."+ext), f.data, 0o644); err != nil {
					t.Errorf("artifacts: %v", err)
				}
				// And what tesseract is given, after decoding, EXIF,
				// deskew and leader removal, as PNG for any viewer.
				if mt, err := mediaType(f.contentType, f.data); err == nil {
					if p, err := prepare(f.data, mt); err == nil {
						_ = os.WriteFile(filepath.Join(dir, f.name+".prepared.png"), p, 0o644)
					}
				}
			}
		}
	})
	return fixtureList
}

// rates measures what an OCR text recovered of a menu: the share of dish
// names found (spaces removed on both sides) and the share of prices whose
// digits appear as a number in the text, each price counted as often as
// the menu lists it.
func rates(m menu, text string) (names, prices float64, missing []string) {
	flat := normText(text)
	found := 0
	for _, d := range m.dishes {
		if strings.Contains(flat, normText(d.name)) {
			found++
		} else {
			missing = append(missing, d.name)
		}
	}
	names = float64(found) / float64(len(m.dishes))

	have := map[string]int{}
	for _, n := range numberRe.FindAllString(text, -1) {
		have[digits(n)]++
	}
	found = 0
	for _, d := range m.dishes {
		if k := digits(d.price); have[k] > 0 {
			have[k]--
			found++
		} else {
			missing = append(missing, d.price)
		}
	}
	prices = float64(found) / float64(len(m.dishes))
	return names, prices, missing
}

// numberRe matches a price as printed: digits grouped by commas, dots or
// spaces ("12,000", "65.000", "9.50").
var numberRe = regexp.MustCompile(`\d+(?:[.,]\d+)*`)

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
