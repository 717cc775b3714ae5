package glossary

import "strings"

// KoreanMode says what kind of word a Hangul string is, because one rule of
// the Revised Romanization depends on it (chapter 3, article 1.4): ㄱ, ㄷ, ㅂ
// before ㅎ are romanized as aspirated consonants in predicates (잡혀
// japyeo) but keep the h in nouns (묵호 Mukho, 집현전 Jiphyeonjeon).
// Without a morphological analyser we cannot tell, so the caller says.
type KoreanMode int

const (
	// Noun is the mode for names: dish names, places. It is the default.
	Noun KoreanMode = iota
	// Predicate is the mode for verbs and adjectives (좋고, 잡혀, 굳히다).
	Predicate
)

// Hangul syllables are composed arithmetically (Unicode chapter 3.12).
const (
	sBase  = 0xAC00
	sLast  = 0xD7A3
	vCount = 21
	tCount = 28
)

// Initial consonants, indexed as in Unicode (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ
// ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ).
const (
	lG, lKK, lN, lD, lTT, lR, lM, lB, lPP, lS, lSS, lO, lJ, lJJ, lCH, lK, lT, lP, lH = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18
)

var initialRoman = [19]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}

var vowelRoman = [vCount]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}

const vowelI = 20 // ㅣ, for palatalisation

// Finals (Unicode order). Each is described by the consonants it is made of,
// as initial indexes: a cluster's second consonant moves to the next
// syllable before a vowel (닭이 dalgi), and before a consonant only one of
// the two is pronounced.
const (
	tNone = 0
	tG    = 1
	tN    = 4
	tNH   = 6
	tD    = 7
	tL    = 8
	tLH   = 15
	tLT   = 13
	tS    = 19
	tNG   = 21
	tJ    = 22
	tT    = 25
	tH    = 27
)

type finalInfo struct {
	first, second int  // initial indexes; second is -1 for a single consonant
	sound         byte // the final heard before a consonant or at the end
}

// The seven sounds a syllable can end in (standard pronunciation, article 8).
const (
	sndNone = iota
	sndK
	sndN
	sndT
	sndL
	sndM
	sndP
	sndNG
)

var soundRoman = [...]string{sndNone: "", sndK: "k", sndN: "n", sndT: "t", sndL: "l", sndM: "m", sndP: "p", sndNG: "ng"}

var finals = [tCount]finalInfo{
	{-1, -1, sndNone},
	{lG, -1, sndK},  // ㄱ
	{lKK, -1, sndK}, // ㄲ
	{lG, lS, sndK},  // ㄳ
	{lN, -1, sndN},  // ㄴ
	{lN, lJ, sndN},  // ㄵ
	{lN, lH, sndN},  // ㄶ
	{lD, -1, sndT},  // ㄷ
	{lR, -1, sndL},  // ㄹ
	{lR, lG, sndK},  // ㄺ
	{lR, lM, sndM},  // ㄻ
	{lR, lB, sndL},  // ㄼ
	{lR, lS, sndL},  // ㄽ
	{lR, lT, sndL},  // ㄾ
	{lR, lP, sndP},  // ㄿ
	{lR, lH, sndL},  // ㅀ
	{lM, -1, sndM},  // ㅁ
	{lB, -1, sndP},  // ㅂ
	{lB, lS, sndP},  // ㅄ
	{lS, -1, sndT},  // ㅅ
	{lSS, -1, sndT}, // ㅆ
	{lO, -1, sndNG}, // ㅇ
	{lJ, -1, sndT},  // ㅈ
	{lCH, -1, sndT}, // ㅊ
	{lK, -1, sndK},  // ㅋ
	{lT, -1, sndT},  // ㅌ
	{lP, -1, sndP},  // ㅍ
	{lH, -1, sndT},  // ㅎ
}

type syllable struct {
	l, v, t int
	// after the sound changes:
	ini int  // initial consonant heard
	fin byte // final sound heard
}

func isHangulSyllable(r rune) bool { return r >= sBase && r <= sLast }

// RomanizeKorean romanizes the Hangul in s by the Revised Romanization of
// Korean (2000) in the given mode; other characters are kept. Words
// (separated by anything but Hangul) are romanized one by one, as the rule
// romanizes each word. The result is lower case.
func RomanizeKorean(s string, mode KoreanMode) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	var word []syllable
	var raw []rune
	flush := func() {
		if len(word) > 0 {
			romanizeWord(&b, word, raw, mode)
			word, raw = word[:0], raw[:0]
		}
	}
	for _, r := range s {
		if isHangulSyllable(r) {
			i := int(r - sBase)
			word = append(word, syllable{l: i / (vCount * tCount), v: (i / tCount) % vCount, t: i % tCount})
			raw = append(raw, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// romanizeWord applies the sound changes between each final and the next
// initial, then spells the result. Tensification is never marked.
func romanizeWord(b *strings.Builder, w []syllable, raw []rune, mode KoreanMode) {
	for i := range w {
		w[i].ini = w[i].l
		w[i].fin = finals[w[i].t].sound
	}
	for i := 0; i+1 < len(w); i++ {
		joinSyllables(&w[i], &w[i+1], raw, i, mode)
	}
	for i, s := range w {
		if s.ini == lR && i > 0 && w[i-1].fin == sndL {
			b.WriteByte('l') // ㄹㄹ is ll
		} else {
			b.WriteString(initialRoman[s.ini])
		}
		b.WriteString(vowelRoman[s.v])
		b.WriteString(soundRoman[s.fin])
	}
}

// hasHangul reports whether s has at least one Hangul syllable.
func hasHangul(s string) bool {
	for _, r := range s {
		if isHangulSyllable(r) {
			return true
		}
	}
	return false
}
