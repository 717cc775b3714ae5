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

// soundOf gives the sound of a single consonant left in final position
// (the first half of a cluster whose second half moved on).
func soundOf(initial int) byte {
	switch initial {
	case lG, lKK, lK:
		return sndK
	case lN:
		return sndN
	case lR:
		return sndL
	case lM:
		return sndM
	case lB, lPP, lP:
		return sndP
	case lO:
		return sndNG
	case -1:
		return sndNone
	}
	return sndT
}

type syllable struct {
	l, v, t int
	// after the sound changes:
	ini int  // initial consonant heard
	fin byte // final sound heard
}

// nInsertion lists the syllable pairs where an ㄴ is inserted before a
// vowel beginning with i or y (chapter 3, article 1.2: 학여울 Hangnyeoul,
// 알약 allyak). The insertion happens only at the seam of a compound, which
// only a dictionary knows, so it is a list: the rule text's own examples and
// words met on menus. 잎 (leaf) always takes it after a consonant.
var nInsertion = map[[2]rune]bool{
	{'학', '여'}: true, // 학여울
	{'알', '약'}: true, // 알약
	{'물', '약'}: true, // 물약
	{'물', '엿'}: true, // 물엿
	{'한', '여'}: true, // 한여름
	{'용', '유'}: true, // 식용유
	{'맨', '입'}: true, // 맨입
	{'콩', '엿'}: true, // 콩엿
	{'담', '요'}: true, // 담요
}

// lnToNN lists the syllables after which ㄴ+ㄹ is pronounced [ㄴㄴ] rather
// than [ㄹㄹ]: Sino-Korean suffixes such as 로 (road) in 신문로 Sinmunno
// (standard pronunciation, article 20). Applied from the third syllable of
// a word on, so that 신라 Silla and 원료 stay [ㄹㄹ].
var lnToNN = map[rune]bool{'로': true, '론': true, '량': true, '력': true, '료': true, '란': true}

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

// joinSyllables rewrites cur's final sound and next's initial consonant by
// the changes that the Revised Romanization reflects (chapter 3, article 1).
func joinSyllables(cur, next *syllable, raw []rune, i int, mode KoreanMode) {
	t := cur.t
	f := finals[t]
	l := next.l
	if t == tNone {
		return
	}
	if l == lO && nInsertion[[2]rune{raw[i], raw[i+1]}] || l == lO && raw[i+1] == '잎' {
		l = lN
		next.ini = lN
	}
	switch l {
	case lO: // a vowel follows: liaison
		switch {
		case t == tNG:
			// ㅇ stays where it is (영어 yeongeo)
		case t == tH:
			cur.fin = sndNone // 좋아 joa
		case t == tNH || t == tLH:
			cur.fin, next.ini = sndNone, f.first // 않아 ana, 싫어 sireo
		case next.v == vowelI && (t == tD || t == tT):
			cur.fin = sndNone // palatalisation: 해돋이 haedoji, 같이 gachi
			next.ini = lJ
			if t == tT {
				next.ini = lCH
			}
		case next.v == vowelI && t == tLT:
			cur.fin, next.ini = sndL, lCH
		case f.second >= 0:
			cur.fin, next.ini = soundOf(f.first), f.second // 닭이 dalgi
		default:
			cur.fin, next.ini = sndNone, f.first // 백암 Baegam
		}
		return
	case lH:
		if next.v == vowelI && (t == tD || t == tT) {
			cur.fin, next.ini = sndNone, lCH // 굳히다 guchida
			return
		}
		if t == tH || t == tNH || t == tLH {
			return
		}
		if mode == Predicate {
			if asp, ok := aspirated(f); ok {
				next.ini = asp
				cur.fin = sndNone
				if f.second >= 0 {
					cur.fin = soundOf(f.first) // 밝히다 balkida, 앉히다 anchida
				}
			}
		}
		return // nouns keep the h: 묵호 Mukho
	}
	if t == tH || t == tNH || t == tLH {
		rest := soundOf(f.first)
		if t == tH {
			rest = sndNone
		}
		switch l {
		case lG, lD, lJ: // 좋고 joko, 놓다 nota, 낳지 nachi
			cur.fin = rest
			switch l {
			case lG:
				next.ini = lK
			case lD:
				next.ini = lT
			default:
				next.ini = lCH
			}
			return
		case lS:
			cur.fin = rest // 좋소: tensification is not written
			return
		case lN:
			if t == tLH {
				cur.fin, next.ini = sndL, lR // 뚫는 ttulleun
			} else {
				cur.fin = sndN // 놓는 nonneun
			}
			return
		}
	}
	switch l {
	case lR:
		switch cur.fin {
		case sndL:
			// ㄹㄹ: 울릉 Ulleung
		case sndN:
			if i+1 >= 2 && lnToNN[raw[i+1]] {
				next.ini = lN // 신문로 Sinmunno
			} else {
				cur.fin = sndL // 신라 Silla
			}
		case sndM, sndNG:
			next.ini = lN // 종로 Jongno
		case sndK, sndT, sndP:
			next.ini = lN // 독립 dongnip, 왕십리 Wangsimni
			cur.fin = nasal(cur.fin)
		}
	case lN, lM:
		switch cur.fin {
		case sndK, sndT, sndP:
			cur.fin = nasal(cur.fin) // 백마 Baengma
		case sndL:
			if l == lN {
				next.ini = lR // 별내 Byeollae: spelled l after l
			}
		}
	}
}

func nasal(s byte) byte {
	switch s {
	case sndK:
		return sndNG
	case sndT:
		return sndN
	case sndP:
		return sndM
	}
	return s
}

// aspirated gives the initial that an obstruent final and a following ㅎ
// merge into in predicates (잡혀 japyeo), and whether they merge at all.
func aspirated(f finalInfo) (int, bool) {
	c := f.first
	if f.second >= 0 {
		c = f.second
	}
	switch c {
	case lG, lKK, lK:
		return lK, true
	case lD, lS, lSS, lT:
		return lT, true
	case lJ, lCH:
		return lCH, true
	case lB, lP:
		return lP, true
	}
	return 0, false
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
