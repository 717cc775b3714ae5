package glossary

import "strings"

// Kana romanization follows modified Hepburn with the choices menus in
// Japan and abroad actually print, so that what the phone shows is what the
// traveller sees on the wall:
//
//   - long vowels are not marked by default: ラーメン ramen, とうふ tofu,
//     ぎゅうどん gyudon (ou, oo and uu collapse, ー is dropped); aa, ii,
//     ee and ei are kept as written (からあげ karaage, おいしい oishii,
//     せんせい sensei). RomanizeKanaMacrons writes macrons instead (rāmen,
//     tōfu), for readers who want the length.
//   - ん is m before b and p, as on menus and station signs (てんぷら
//     tempura, しんぶん shimbun), n elsewhere (さんま sanma), and n' before a
//     vowel or y (きんえん kin'en, ほんや hon'ya).
//   - っ doubles the next consonant, t before ch (まっちゃ matcha).
//   - は, へ and を are read as written (ha, he, o): particles need grammar.
//
// Kanji are passed through unchanged: reading them needs a dictionary, so
// kanji dish names get romaji only from the glossary.

var kanaRoman = map[rune]string{
	'あ': "a", 'い': "i", 'う': "u", 'え': "e", 'お': "o",
	'か': "ka", 'き': "ki", 'く': "ku", 'け': "ke", 'こ': "ko",
	'が': "ga", 'ぎ': "gi", 'ぐ': "gu", 'げ': "ge", 'ご': "go",
	'さ': "sa", 'し': "shi", 'す': "su", 'せ': "se", 'そ': "so",
	'ざ': "za", 'じ': "ji", 'ず': "zu", 'ぜ': "ze", 'ぞ': "zo",
	'た': "ta", 'ち': "chi", 'つ': "tsu", 'て': "te", 'と': "to",
	'だ': "da", 'ぢ': "ji", 'づ': "zu", 'で': "de", 'ど': "do",
	'な': "na", 'に': "ni", 'ぬ': "nu", 'ね': "ne", 'の': "no",
	'は': "ha", 'ひ': "hi", 'ふ': "fu", 'へ': "he", 'ほ': "ho",
	'ば': "ba", 'び': "bi", 'ぶ': "bu", 'べ': "be", 'ぼ': "bo",
	'ぱ': "pa", 'ぴ': "pi", 'ぷ': "pu", 'ぺ': "pe", 'ぽ': "po",
	'ま': "ma", 'み': "mi", 'む': "mu", 'め': "me", 'も': "mo",
	'や': "ya", 'ゆ': "yu", 'よ': "yo",
	'ら': "ra", 'り': "ri", 'る': "ru", 'れ': "re", 'ろ': "ro",
	'わ': "wa", 'ゐ': "i", 'ゑ': "e", 'を': "o", 'ゔ': "vu",
	'ゕ': "ka", 'ゖ': "ke",
}

// Small kana that combine with the kana before them.
var smallVowel = map[rune]string{'ぁ': "a", 'ぃ': "i", 'ぅ': "u", 'ぇ': "e", 'ぉ': "o", 'ゎ': "wa"}
var smallY = map[rune]string{'ゃ': "a", 'ゅ': "u", 'ょ': "o"}

const (
	kanaSokuon = 'っ'
	kanaN      = 'ん'
	kanaLong   = 'ー'
)

type kanaTok struct {
	rom  string
	kind byte // 0 text or kana, 'q' っ, 'n' ん, '-' ー
	kana bool // rom came from a kana (so it may take part in long vowels)
}

// toHiragana folds katakana to hiragana so one table serves both.
func toHiragana(r rune) rune {
	if r >= 0x30A1 && r <= 0x30F6 {
		return r - 0x60
	}
	return r
}

func isKana(r rune) bool {
	return (r >= 0x3041 && r <= 0x3096) || (r >= 0x30A1 && r <= 0x30FA) || r == kanaLong || r == 0x309D || r == 0x309E || r == 0x30FD || r == 0x30FE
}

func hasKana(s string) bool {
	for _, r := range s {
		if isKana(r) && r != kanaLong {
			return true
		}
	}
	return false
}

// RomanizeKana romanizes hiragana and katakana in s by modified Hepburn
// without macrons (see above). Other characters, kanji included, are kept.
func RomanizeKana(s string) string { return romanizeKana(s, false) }

// RomanizeKanaMacrons is RomanizeKana with long vowels marked (rāmen).
func RomanizeKanaMacrons(s string) string { return romanizeKana(s, true) }

func kanaTokens(s string) []kanaTok {
	rs := []rune(s)
	toks := make([]kanaTok, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := toHiragana(rs[i])
		switch {
		case r == kanaSokuon:
			toks = append(toks, kanaTok{kind: 'q'})
			continue
		case r == kanaN:
			toks = append(toks, kanaTok{rom: "n", kind: 'n'})
			continue
		case r == kanaLong:
			toks = append(toks, kanaTok{kind: '-'})
			continue
		case r == 0x309D || r == 0x30FD || r == 0x309E || r == 0x30FE: // ゝ ゞ: repeat
			if n := len(toks); n > 0 && toks[n-1].kana {
				toks = append(toks, toks[n-1])
			}
			continue
		}
		rom, ok := kanaRoman[r]
		if !ok {
			if v, ok := smallVowel[r]; ok {
				toks = append(toks, kanaTok{rom: v, kana: true})
			} else if v, ok := smallY[r]; ok {
				toks = append(toks, kanaTok{rom: "y" + v, kana: true})
			} else {
				toks = append(toks, kanaTok{rom: string(rs[i])})
			}
			continue
		}
		if i+1 < len(rs) {
			nx := toHiragana(rs[i+1])
			if v, ok := smallY[nx]; ok { // きゃ kya, しゃ sha
				stem := rom[:len(rom)-1]
				if !strings.HasSuffix(stem, "sh") && !strings.HasSuffix(stem, "ch") && stem != "j" {
					stem += "y"
				}
				rom = stem + v
				i++
			} else if v, ok := smallVowel[nx]; ok { // ファ fa, ティ ti, ウィ wi
				switch rom {
				case "u":
					rom = "w" + v
				case "i":
					rom = "y" + v
				default:
					rom = rom[:len(rom)-1] + v
				}
				i++
			}
		}
		toks = append(toks, kanaTok{rom: rom, kana: true})
	}
	return toks
}

var macron = map[byte]string{'a': "ā", 'i': "ī", 'u': "ū", 'e': "ē", 'o': "ō"}

func romanizeKana(s string, macrons bool) string {
	toks := kanaTokens(s)
	var b strings.Builder
	b.Grow(len(s))
	var last byte // last vowel written by a kana, 0 if none
	for i, t := range toks {
		switch {
		case t.kind == 'q':
			b.WriteString(sokuon(nextKana(toks, i)))
			last = 0
		case t.kind == 'n':
			b.WriteString(syllabicN(nextKana(toks, i)))
			last = 0
		case t.kind == '-':
			if last != 0 && macrons {
				lengthen(&b, last)
			}
			last = 0
		case !t.kana:
			b.WriteString(t.rom)
			last = 0
		default:
			last = writeKana(&b, t.rom, last, macrons)
		}
	}
	return b.String()
}

// nextKana returns the romaji of the token after i if it is a kana, else
// "": っ and ん are spelled by what follows them, and only kana count.
func nextKana(toks []kanaTok, i int) string {
	if i+1 < len(toks) && toks[i+1].kana {
		return toks[i+1].rom
	}
	return ""
}

// sokuon spells っ before next: it doubles the consonant, except that
// Hepburn writes tch, not chch (まっちゃ matcha).
func sokuon(next string) string {
	switch {
	case next == "":
		return ""
	case strings.HasPrefix(next, "ch"):
		return "t"
	case !strings.ContainsRune("aiueo", rune(next[0])):
		return next[:1]
	}
	return ""
}

// syllabicN spells ん before next: m before b and p as menus print it
// (tempura), n' before a vowel or y so that きんえん kin'en does not read
// as きねん kinen.
func syllabicN(next string) string {
	switch {
	case next != "" && (next[0] == 'b' || next[0] == 'p'):
		return "m"
	case next != "" && strings.ContainsRune("aiueoy", rune(next[0])):
		return "n'"
	}
	return "n"
}

// writeKana writes the romaji of a kana after the vowel last, and returns
// the vowel it ends in (0 if none). ou, oo and uu are one long vowel, so a
// lone う or お after o or u is not written but lengthens it.
func writeKana(b *strings.Builder, rom string, last byte, macrons bool) byte {
	if (rom == "u" && (last == 'o' || last == 'u')) || (rom == "o" && last == 'o') {
		if macrons {
			lengthen(b, last)
		}
		return 0
	}
	b.WriteString(rom)
	v := rom[len(rom)-1]
	if !strings.ContainsRune("aiueo", rune(v)) {
		return 0
	}
	return v
}

// lengthen replaces the vowel just written with its macron form.
func lengthen(b *strings.Builder, v byte) {
	s := b.String()
	if len(s) == 0 || s[len(s)-1] != v {
		return
	}
	m, ok := macron[v]
	if !ok {
		return
	}
	b.Reset()
	b.WriteString(s[:len(s)-1])
	b.WriteString(m)
}
