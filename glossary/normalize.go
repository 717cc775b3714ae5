package glossary

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normText is a printed dish name made comparable. text keeps the words
// (for showing the modifier of a head match); key is what the index is keyed
// by: no spaces, and folded so that spellings that mean the same dish meet.
type normText struct {
	text     []rune
	key      []rune
	at       []int // at[k] is the index in text of key[k]
	brackets []string
}

func (n normText) keyString() string { return string(n.key) }

// textRange returns the words of text that key[from:to] came from.
func (n *normText) textRange(from, to int) string {
	if from >= to {
		return ""
	}
	return strings.TrimSpace(string(n.text[n.at[from] : n.at[to-1]+1]))
}

// Brackets hold portion sizes, spice levels and translations: (2인분),
// （大）, [맵기 선택], 「特製」. Their content is set aside, not matched.
var openers = map[rune]rune{'(': ')', '[': ']', '{': '}', '【': '】', '〔': '〕', '〈': '〉', '《': '》', '「': '」', '『': '』', '<': '>'}

// Whole words at the end (or start) of a name that say how much or how
// big, never which dish.
var descriptorWords = map[string]bool{
	"대": true, "중": true, "소": true, "특": true, "곱빼기": true, "추천": true, "인기": true, "신메뉴": true,
	"小": true, "中": true, "大": true, "特": true, "特大": true, "並": true, "並盛": true, "並盛り": true, "大盛": true, "大盛り": true, "小盛り": true,
	"おすすめ": true, "人気": true, "大份": true, "中份": true, "小份": true, "推荐": true, "推薦": true,
	"s": true, "m": true, "l": true, "xl": true, "hot": true, "ice": true, "iced": true, "new": true, "best": true,
}

// Units after a number: "2인분", "1人前", "300g", "8000원".
var descriptorUnits = []string{"인분", "인", "개", "접시", "마리", "인용", "人前", "人份", "份", "個", "个", "串", "本", "枚", "杯", "碗", "盘", "盤", "pcs", "pc", "p", "kg", "g", "ml", "원", "円", "元", "块", "₩", "¥", "$", "đ", "vnd", "baht", "k"}

// fold maps traditional Chinese characters common in dish names to their
// simplified forms, so 牛肉麵 finds 牛肉面 even when only one spelling is
// listed. Japanese shinjitai (麺, 焼) are left alone: 拉麺 is ramen, 拉面 is
// Chinese lamian.
var fold = func() map[rune]rune {
	const trad = "餃麵麪雞鷄魚湯飯燒蝦豬腸滷鹵醬餅鍋麥腳雲餛飩蔥蘿蔔糰臘燉餡黃鹹蠔鴨鵝貝飲東絲紅條乾涼熱燴鮮點鹽雜錦蓮龍鳳爐鐵燜燻頭灣擔過橋線蠣廣揚魯羅漢齋籠賣豐燙宮貼魷鰻鮑參鰍蘭鬆臺饅鴛鴦烏葉塊釀醃壽韓國藥圓筍漿貢夾饃獅螄腦鳥鍋盤餚義體爆"
	const simp = "饺面面鸡鸡鱼汤饭烧虾猪肠卤卤酱饼锅麦脚云馄饨葱萝卜团腊炖馅黄咸蚝鸭鹅贝饮东丝红条干凉热烩鲜点盐杂锦莲龙凤炉铁焖熏头湾担过桥线蛎广扬鲁罗汉斋笼卖丰烫宫贴鱿鳗鲍参鳅兰松台馒鸳鸯乌叶块酿腌寿韩国药圆笋浆贡夹馍狮蛳脑鸟锅盘肴义体爆"
	t, s := []rune(trad), []rune(simp)
	if len(t) != len(s) {
		panic("glossary: fold table halves differ in length")
	}
	m := make(map[rune]rune, len(t))
	for i := range t {
		if t[i] != s[i] {
			m[t[i]] = s[i]
		}
	}
	return m
}()

func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsControl(r)
}

// normalize makes a printed name comparable: NFKC (full-width letters,
// half-width katakana and decomposed Hangul all become one form), lower
// case, bracketed parts set aside, punctuation as word breaks, portion and
// price words dropped.
func normalize(printed string) normText {
	s := strings.ToLower(norm.NFKC.String(printed))
	main, brackets := setBracketsAside(s)
	words := trimDescriptors(strings.FieldsFunc(main, isSeparator))
	if len(words) == 0 && len(brackets) > 0 {
		// Nothing but brackets ("(비빔밥)"): the first one is the name.
		n := normalize(brackets[0])
		n.brackets = append(n.brackets, brackets[1:]...)
		return n
	}
	n := keyWords(words)
	n.brackets = brackets
	return n
}

// setBracketsAside splits s into the text outside brackets, with a space
// where each bracketed part was so that words do not run together, and the
// non-empty contents of the outermost brackets. Nested brackets stay in
// their outer part.
func setBracketsAside(s string) (string, []string) {
	var main, inner strings.Builder
	var brackets []string
	var stack []rune // closers expected, innermost last
	for _, r := range s {
		if c, ok := openers[r]; ok {
			stack = append(stack, c)
			if len(stack) == 1 {
				main.WriteByte(' ')
				continue
			}
		} else if len(stack) > 0 && r == stack[len(stack)-1] {
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				if t := strings.TrimSpace(inner.String()); t != "" {
					brackets = append(brackets, t)
				}
				inner.Reset()
				continue
			}
		}
		if len(stack) > 0 {
			inner.WriteRune(r)
		} else {
			main.WriteRune(r)
		}
	}
	if len(stack) > 0 { // unclosed: the bracket was not one
		main.WriteString(inner.String())
	}
	return main.String(), brackets
}

// keyWords joins words into text with single spaces and into key without
// them, folding each rune of the key.
func keyWords(words []string) normText {
	var n normText
	for i, w := range words {
		if i > 0 {
			n.text = append(n.text, ' ')
		}
		for _, r := range w {
			n.at = append(n.at, len(n.text))
			n.text = append(n.text, r)
			n.key = append(n.key, foldRune(r, n.key))
		}
	}
	return n
}

// foldRune gives the rune that r is keyed by, so that spellings of the same
// dish meet; key is the key so far, for the folds that depend on what
// precedes.
func foldRune(r rune, key []rune) rune {
	if f, ok := fold[r]; ok {
		return f
	}
	switch {
	case r >= 0x3041 && r <= 0x3096:
		return r + 0x60 // hiragana to katakana: らーめん is ラーメン
	case r == '게' && len(key) > 0 && key[len(key)-1] == '찌':
		return '개' // 찌게 is the common misspelling of 찌개
	case r == '뽁':
		return '볶' // 떡뽁이, 뽁음밥
	}
	return r
}

func trimDescriptors(words []string) []string {
	for len(words) > 0 && isNumbering(words[0]) {
		words = words[1:]
	}
	for len(words) > 0 {
		last := words[len(words)-1]
		if descriptorWords[last] || isAmount(last) {
			words = words[:len(words)-1]
			continue
		}
		if head := stripAmount(last); head != last && head != "" {
			words[len(words)-1] = head // 김치찌개2인분
		}
		break
	}
	return words
}

// isNumbering reports a leading item number: "1", "a1", "no1".
func isNumbering(w string) bool {
	digits := 0
	for i, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case i < 2 && r >= 'a' && r <= 'z':
		default:
			return false
		}
	}
	return digits > 0
}

// isAmount reports a number, alone or with a unit: "8", "000", "2인분".
func isAmount(w string) bool {
	rest := strings.TrimLeft(w, "0123456789")
	if rest == w {
		return false
	}
	if rest == "" {
		return true
	}
	for _, u := range descriptorUnits {
		if rest == u {
			return true
		}
	}
	return false
}

// stripAmount removes a number with a unit glued to the end of a word.
func stripAmount(w string) string {
	for _, u := range descriptorUnits {
		if strings.HasSuffix(w, u) {
			head := strings.TrimRight(strings.TrimSuffix(w, u), "0123456789")
			if len(head) < len(w)-len(u) {
				return head
			}
		}
	}
	return w
}

// setWords end a name to say it comes as a set or a platter, not which
// dish: 불고기정식 is 불고기 served with rice and sides, 刺身盛り合わせ is
// sashimi. Lookup tries the name without them when the whole name fails.
var setWords = []string{"정식", "세트", "백반", "定食", "セット", "御膳", "盛リ合ワセ", "盛合セ", "套餐", "套饭", "set", "combo"}

// withoutSetWord returns n without a trailing set word, if it has one and
// something is left.
func (n normText) withoutSetWord() (normText, bool) {
	for _, w := range setWords {
		wr := []rune(w)
		cut := len(n.key) - len(wr)
		if cut < 1 || string(n.key[cut:]) != w {
			continue
		}
		m := normText{key: n.key[:cut], at: n.at[:cut]}
		m.text = []rune(strings.TrimSpace(string(n.text[:n.at[cut-1]+1])))
		return m, true
	}
	return normText{}, false
}

// Normalize returns the form under which a printed name is looked up: what
// two spellings of the same dish have in common. It is exported so that a
// caller can group or deduplicate names the way Lookup sees them.
func Normalize(printed string) string {
	n := normalize(printed)
	return n.keyString()
}
