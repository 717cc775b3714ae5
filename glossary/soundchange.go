package glossary

// The sound changes between two syllables that the Revised Romanization
// writes (chapter 3, article 1). The rule spells what is heard, not what
// is written, so each final and the initial after it are rewritten before
// spelling; tensification is the one change it leaves out.

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

// joinSyllables rewrites cur's final sound and next's initial consonant by
// the changes that the Revised Romanization reflects. raw is the word as
// written and i the index of cur in it: ㄴ insertion and the [ㄴㄴ]
// suffixes depend on the syllables themselves, not only on their jamo.
func joinSyllables(cur, next *syllable, raw []rune, i int, mode KoreanMode) {
	if cur.t == tNone {
		return
	}
	l := next.l
	if l == lO && insertsN(raw[i], raw[i+1]) {
		l, next.ini = lN, lN
	}
	switch l {
	case lO:
		linkToVowel(cur, next)
		return
	case lH:
		meetH(cur, next, mode)
		return
	}
	if endsInH(cur.t) && hBeforeConsonant(cur, next, l) {
		return
	}
	switch l {
	case lR:
		beforeR(cur, next, i+1 >= 2 && lnToNN[raw[i+1]])
	case lN, lM:
		beforeNasal(cur, next, l)
	}
}

// insertsN reports whether an ㄴ is heard between a and b (article 1.2);
// only called when b starts with a vowel.
func insertsN(a, b rune) bool {
	return nInsertion[[2]rune{a, b}] || b == '잎'
}

// endsInH reports the finals that hold an ㅎ (ㅎ, ㄶ, ㅀ): their ㅎ
// aspirates the next consonant or drops out, outside the ordinary rules.
func endsInH(t int) bool { return t == tH || t == tNH || t == tLH }

// linkToVowel is liaison: before a vowel a final is heard as the next
// syllable's initial (백암 Baegam, 닭이 dalgi).
func linkToVowel(cur, next *syllable) {
	f := finals[cur.t]
	switch {
	case cur.t == tNG:
		// ㅇ stays where it is (영어 yeongeo)
	case cur.t == tH:
		cur.fin = sndNone // 좋아 joa
	case cur.t == tNH || cur.t == tLH:
		cur.fin, next.ini = sndNone, f.first // 않아 ana, 싫어 sireo
	case palatalize(cur, next):
		// rewritten there: 같이 gachi, not gati
	case f.second >= 0:
		cur.fin, next.ini = soundOf(f.first), f.second // 닭이 dalgi
	default:
		cur.fin, next.ini = sndNone, f.first // 백암 Baegam
	}
}

// palatalize applies article 1.3 before the vowel 이: ㄷ and ㅌ moving to
// it are heard as ㅈ and ㅊ (해돋이 haedoji, 같이 gachi). It reports
// whether it applied, since otherwise plain liaison does.
func palatalize(cur, next *syllable) bool {
	if next.v != vowelI {
		return false
	}
	switch cur.t {
	case tD:
		cur.fin, next.ini = sndNone, lJ
	case tT:
		cur.fin, next.ini = sndNone, lCH
	case tLT:
		cur.fin, next.ini = sndL, lCH
	default:
		return false
	}
	return true
}

// meetH handles a final before ㅎ. Palatalisation comes first (굳히다
// guchida); aspiration is written only in predicates, because nouns keep
// the h (묵호 Mukho) and we cannot tell the two apart ourselves.
func meetH(cur, next *syllable, mode KoreanMode) {
	if next.v == vowelI && (cur.t == tD || cur.t == tT) {
		cur.fin, next.ini = sndNone, lCH // 굳히다 guchida
		return
	}
	if endsInH(cur.t) || mode != Predicate {
		return
	}
	f := finals[cur.t]
	asp, ok := aspirated(f)
	if !ok {
		return
	}
	next.ini = asp
	cur.fin = sndNone
	if f.second >= 0 {
		cur.fin = soundOf(f.first) // 밝히다 balkida, 앉히다 anchida
	}
}

// hBeforeConsonant handles an ㅎ final (ㅎ, ㄶ, ㅀ) before a consonant: it
// aspirates ㄱ, ㄷ, ㅈ, vanishes before ㅅ and is heard as ㄴ before ㄴ. It
// reports whether it applied; before other consonants the final is
// assimilated like any other.
func hBeforeConsonant(cur, next *syllable, l int) bool {
	rest := soundOf(finals[cur.t].first) // what is left of ㄶ, ㅀ
	if cur.t == tH {
		rest = sndNone
	}
	switch l {
	case lG:
		cur.fin, next.ini = rest, lK // 좋고 joko
	case lD:
		cur.fin, next.ini = rest, lT // 놓다 nota
	case lJ:
		cur.fin, next.ini = rest, lCH // 낳지 nachi
	case lS:
		cur.fin = rest // 좋소: tensification is not written
	case lN:
		if cur.t == tLH {
			cur.fin, next.ini = sndL, lR // 뚫는 ttulleun
		} else {
			cur.fin = sndN // 놓는 nonneun
		}
	default:
		return false
	}
	return true
}

// beforeR assimilates a final and a following ㄹ (article 1.1). nn says
// that next is one of the suffixes after which ㄴㄹ is heard [ㄴㄴ].
func beforeR(cur, next *syllable, nn bool) {
	switch cur.fin {
	case sndL:
		// ㄹㄹ: 울릉 Ulleung
	case sndN:
		if nn {
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
}

// beforeNasal assimilates a final to a following ㄴ or ㅁ (article 1.1).
func beforeNasal(cur, next *syllable, l int) {
	switch cur.fin {
	case sndK, sndT, sndP:
		cur.fin = nasal(cur.fin) // 백마 Baengma
	case sndL:
		if l == lN {
			next.ini = lR // 별내 Byeollae: spelled l after l
		}
	}
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

// nasal gives the nasal a stop final is heard as before a nasal or ㄹ
// (독립 dongnip: ㄱ is heard [ㅇ]).
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
