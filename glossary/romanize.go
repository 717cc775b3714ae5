package glossary

import (
	"strings"
	"unicode"
)

// Romanize gives a printed dish name in Latin letters, to say it out loud,
// in the form travellers see on menus. The second result is false when
// part of the name could not be romanized (kanji or hanzi outside the
// glossary, Thai script) or nothing could.
//
//   - A glossary match wins: its official romanization (김치찌개
//     kimchi-jjigae, not the letter-by-letter gimchi-jjigae).
//   - A head match joins the modifier's romanization and the head's, with a
//     hyphen for Korean as the guideline does (dolsot-bibimbap), a space
//     otherwise (tonkotsu ramen, pho bo).
//   - Otherwise Hangul is romanized by the Revised Romanization as a noun,
//     with a hyphen before a generic dish word (see dishWords), and kana by
//     Hepburn.
func (g *Glossary) Romanize(printed string) (string, bool) {
	m, ok := g.Lookup(printed)
	if !ok {
		return romanizeText(string(normalize(printed).text))
	}
	head, complete := headRomanization(m)
	if m.Kind == Exact {
		return head, complete
	}
	mod, modComplete := g.romanizeModifier(m)
	switch {
	case mod == "":
		return head, false
	case m.Entry.Cuisine == "ko":
		return mod + "-" + head, complete && modComplete
	case m.Entry.Cuisine == "th" || m.Entry.Cuisine == "vi":
		return head + " " + mod, complete && modComplete
	default:
		return mod + " " + head, complete && modComplete
	}
}

// headRomanization is the entry's romanization when the text is the
// entry's name in another spelling (김치 찌게, らーめん). When it is another
// word for the dish (순두부 for 순두부찌개, 돈까스 for 돈가스, 맥주 as the
// Korean for the Japanese entry ビール), the romanization says what is
// printed, if its script can be read; otherwise the entry's.
func headRomanization(m Match) (string, bool) {
	if m.Translation || Normalize(m.Matched) != m.Entry.key {
		if s, ok := romanizeText(m.Matched); s != "" && ok {
			return strings.ReplaceAll(s, " ", "-"), true
		}
	}
	return m.Entry.Romanized, true
}

// romanizeModifier romanizes a head match's modifier: known words by the
// modifier glossary, the rest by rule.
func (g *Glossary) romanizeModifier(m Match) (string, bool) {
	if !m.Unknown {
		parts := make([]string, 0, len(m.Modifiers))
		for _, mod := range m.Modifiers {
			if mod.Romanized == "" {
				return "", false
			}
			parts = append(parts, mod.Romanized)
		}
		sep := " "
		if m.Entry.Cuisine == "ko" {
			sep = "-"
		}
		return strings.Join(parts, sep), true
	}
	s, ok := romanizeText(m.Modifier)
	if !ok {
		return "", false // kanji or Thai outside the modifier glossary
	}
	if m.Entry.Cuisine == "ko" {
		s = strings.ReplaceAll(s, " ", "-")
	}
	return s, true
}

// romanizeText romanizes free text outside the glossary.
func romanizeText(s string) (string, bool) {
	complete, any := true, false
	words := strings.Fields(s)
	for i, w := range words {
		switch {
		case hasHangul(w):
			words[i] = romanizeDishWord(w)
			any = true
		case hasKana(w):
			words[i] = RomanizeKana(w)
			any = true
		}
		for _, r := range words[i] {
			if r > unicode.MaxLatin1 && !unicode.Is(unicode.Latin, r) {
				complete = false // kanji, hanzi, Thai
			}
		}
	}
	if !any {
		return "", false
	}
	return strings.Join(words, " "), complete
}

// dishWords are the generic dish words before which the Korean menu
// guideline writes a hyphen (김치찌개 kimchi-jjigae, 갈비탕 galbi-tang,
// 제육볶음 jeyuk-bokkeum): each part is romanized on its own. A one-syllable
// word takes the hyphen only after two syllables or more, so that 떡국
// tteokguk and 곰탕 gomtang stay one word as in the guideline; a name whose
// first part is no word by itself (설렁탕 seolleongtang) is in the
// glossary.
var dishWords = []string{
	"비빔밥", "볶음밥", "찌개", "볶음", "구이", "무침", "조림", "전골", "덮밥", "국밥", "국수", "냉면", "튀김", "만두", "수육",
	"탕", "국", "전", "죽", "찜",
}

func romanizeDishWord(w string) string {
	rs := []rune(w)
	for _, d := range dishWords {
		dr := []rune(d)
		pre := len(rs) - len(dr)
		if pre < 1 || string(rs[pre:]) != d || !allHangul(rs[:pre]) {
			continue
		}
		if len(dr) == 1 && pre < 2 {
			continue
		}
		return RomanizeKorean(string(rs[:pre]), Noun) + "-" + RomanizeKorean(d, Noun)
	}
	return RomanizeKorean(w, Noun)
}

func allHangul(rs []rune) bool {
	for _, r := range rs {
		if !isHangulSyllable(r) {
			return false
		}
	}
	return true
}
