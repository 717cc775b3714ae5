package menutext

import (
	"strings"
	"unicode"
)

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

// guess is the currency of a menu that never names one.
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
