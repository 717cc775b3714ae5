package menutext

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// hardSpace stands for every no-break and thin space after folding: they
// only ever appear inside numbers as group separators (1 200,50 €), unlike
// an ordinary space, which more often ends a dish name.
const hardSpace = '\u00a0'

// fold maps one rune to the form the price reader compares against. It is
// NFKC restricted to mappings that keep one rune as one rune (１→1, ，→,
// ￥→¥, ｰ→ー, the ideographic space → space), so the folded slice stays
// index-aligned with the original and names can be cut from the text the
// way it was typed ("ラーメン（醤油）" keeps its full-width brackets).
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		return r
	}
	switch {
	case r == 0x00a0, r == 0x202f, r == 0x2007, r == 0x2008, r == 0x2009, r == 0x200a:
		return hardSpace
	case r >= 0x0e50 && r <= 0x0e59: // Thai digits, which NFKC leaves alone
		return '0' + r - 0x0e50
	case r == 0x3001, r == 0xff64: // 、 and its half-width form separate like a comma
		return ','
	case r == 0x2019: // ’ is the Swiss group separator when typed on a phone
		return '\''
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	d := norm.NFKC.Properties(buf[:n]).Decomposition()
	if d == nil {
		return r
	}
	if f, size := utf8.DecodeRune(d); size == len(d) && f != utf8.RuneError {
		return f
	}
	return r
}

func foldRunes(r []rune) []rune {
	f := make([]rune, len(r))
	for i, c := range r {
		f[i] = fold(c)
	}
	return f
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == hardSpace || unicode.IsSpace(r) }

func isLatinLetter(r rune) bool { return unicode.Is(unicode.Latin, r) }

// isLeader reports runes that fill the gap between a dish name and its
// price on printed menus (dot leaders, dashes, middle dots) or separate the
// two when typed (", " "|" ":"). They are never kept at the end of a name.
func isLeader(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '|', '/', '_', '-', '~', '=', '*', '>', '»', '›', '→',
		'…', '‥', '⋯', '·', '・', '∙', '⋅', '․', '‧', '•',
		'‐', '‑', '‒', '–', '—', '―', '−', '〜', '〰':
		return true
	}
	return false
}

// isBullet reports runes that start a list item on a pasted menu.
func isBullet(r rune) bool {
	switch r {
	case '•', '●', '○', '◦', '◆', '◇', '■', '□', '▪', '▫', '★', '☆', '▶', '►', '▸',
		'✓', '✔', '♦', '❖', '-', '*', '–', '—', '·', '・', '>', '→':
		return true
	}
	return false
}

// isProlonged is the katakana length mark, which Japanese menus also repeat
// as a leader (コーヒー ーーーー 400円) but which ends many words (コーヒー).
func isProlonged(r rune) bool { return r == 'ー' }

func isKana(r rune) bool {
	return unicode.In(r, unicode.Hiragana, unicode.Katakana) && r != 'ー' && r != '・'
}

// trimName returns the original text of r[lo:hi] without list bullets in
// front and without leaders, separators and spaces behind, so that
// "• 김치찌개 ···········" becomes "김치찌개".
func trimName(r, f []rune, lo, hi int) string {
	// ASCII bullets (- * >) need a space after them to be bullets;
	// "・ラーメン" and "●비빔밥" are bullets however they are typed.
	for lo < hi && (isSpace(f[lo]) || (isBullet(f[lo]) && (f[lo] >= utf8.RuneSelf || lo+1 == hi || isSpace(f[lo+1])))) {
		lo++
	}
	hi = trimLeadersBack(f, lo, hi)
	return string(r[lo:hi])
}

// trimLeadersBack returns the end of f[lo:hi] without trailing leaders.
func trimLeadersBack(f []rune, lo, hi int) int {
	for hi > lo {
		c := f[hi-1]
		if isSpace(c) || isLeader(c) {
			hi--
			continue
		}
		if !isProlonged(c) {
			break
		}
		k := hi - 1
		for k > lo && isProlonged(f[k-1]) {
			k--
		}
		// A run after a space or other leader is all leader; after kana one
		// mark belongs to the word (コーヒーーーー → コーヒー).
		if k == lo || isSpace(f[k-1]) || isLeader(f[k-1]) || !isKana(f[k-1]) {
			hi = k
			continue
		}
		if hi-k >= 2 {
			hi = k + 1
		}
		break
	}
	return hi
}

// trimSpaceRunes returns the bounds of f[lo:hi] without surrounding spaces.
func trimSpaceRunes(f []rune, lo, hi int) (int, int) {
	for lo < hi && isSpace(f[lo]) {
		lo++
	}
	for hi > lo && isSpace(f[hi-1]) {
		hi--
	}
	return lo, hi
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k], true
		}
		i++
	}
	return s, false
}

// short quotes at most 60 characters of text a user wrote, so that a
// warning about a runaway line stays a sentence.
func short(s string) string {
	if v, cut := truncateRunes(s, 60); cut {
		return v + "…"
	}
	return s
}
