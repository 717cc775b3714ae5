package ocr

import (
	"bufio"
	"bytes"
	"strings"
	"unicode"
)

// Hint says what the caller knows about the menu.
type Hint struct {
	// Lang is the menu's language as a BCP 47 tag: "ko", "ja", "zh-Hans"
	// (also "zh", "zh-CN", "zh-SG"), "zh-Hant" (also "zh-TW", "zh-HK",
	// "zh-MO"), "th", "vi", "en"; a region ("ko-KR") is ignored. Empty:
	// detect the script (one extra, short tesseract run).
	Lang string
}

// langModels maps the supported languages to tesseract's data: one model
// a scan. Measured on the fixtures, adding eng made jpn and chi_sim worse
// (jpn 100% → 91% of dish names, chi_sim 100% → 80%, a price lost), and
// made kor read the "원" after a price as a "2" ("11,000원" → "11,0002",
// a wrong price) in 3 of 5 Korean fixtures, so Korean goes without it
// although kor alone reads English words as nothing: a wrong price is
// worse than a missing English subtitle. tha needs eng for the same
// reason kor would (it reads no Latin) and lost nothing with it. All
// seven models at once took 3–4× as long as one and found 40% of the
// simplified Chinese names.
var langModels = map[string]string{
	"ko":      "kor",
	"ja":      "jpn",
	"zh-Hans": "chi_sim",
	"zh-Hant": "chi_tra",
	"th":      "tha+eng",
	"vi":      "vie",
	"en":      "eng",
	// Detected Latin script without a hint: vie reads English as well
	// (100% of names on both fixtures with eng added), while eng drops
	// the Vietnamese diacritics. The result is labelled "vi" or "en"
	// by its letters.
	latin: "vie+eng",
}

const latin = "Latn"

// canonicalLang reduces a BCP 47 tag to a key of langModels, or "".
func canonicalLang(tag string) string {
	parts := strings.FieldsFunc(strings.ToLower(tag), func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 {
		return ""
	}
	switch parts[0] {
	case "ko", "ja", "th", "vi", "en":
		return parts[0]
	case "zh":
		for _, p := range parts[1:] {
			switch p {
			case "hant", "tw", "hk", "mo":
				return "zh-Hant"
			case "hans", "cn", "sg":
				return "zh-Hans"
			}
		}
		// Plain "zh" is mainland usage: simplified.
		return "zh-Hans"
	}
	return ""
}

// models lists the tesseract data files a model string needs.
func models(m string) []string { return strings.Split(m, "+") }

// osdScript reads the "Script: Hangul" line of tesseract's --psm 0
// output, or returns "".
func osdScript(out []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if s, ok := strings.CutPrefix(sc.Text(), "Script:"); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// scriptLang maps an OSD script name to the language to read first.
// OSD tells scripts, not languages, and confuses the two Han-based ones:
// on the fixtures it called traditional Chinese "Japanese" and
// simplified "Han". So both go to the CJK path, which decides by the
// text (see scan.go); "" means OSD gave nothing usable.
func scriptLang(script string) string {
	switch script {
	case "Hangul", "Korean":
		return "ko"
	case "Japanese", "Han", "Katakana", "Hiragana":
		return "cjk"
	case "Thai":
		return "th"
	case "Latin":
		return latin
	}
	return ""
}

// hasKana reports whether at least 1 in 20 of the CJK letters in s are
// kana: Japanese menus are full of them (ラーメン, 焼き), and a Chinese
// menu read with the Japanese model yields almost none.
func hasKana(s string) bool {
	var kana, cjk int
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
			cjk++
		case unicode.Is(unicode.Han, r):
			cjk++
		}
	}
	return cjk > 0 && kana*20 >= cjk
}

// vietnamese reports whether Latin text has letters only Vietnamese
// uses (ơ, ư, đ, ă and the stacked tone marks), to label a Latin-script
// menu read without a hint.
func vietnamese(s string) bool {
	for _, r := range strings.ToLower(s) {
		if strings.ContainsRune("ơưđăạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ", r) {
			return true
		}
	}
	return false
}
