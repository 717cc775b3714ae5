package glossary

import (
	"strings"
	"unicode"
)

// Kind says how a printed name matched.
type Kind int

const (
	// Exact: the name, once normalized, is the dish's name, a variant, its
	// romanization or one of its translations.
	Exact Kind = iota + 1
	// Head: the name ends (in Korean, Japanese, Chinese) or starts (in Thai,
	// Vietnamese) with a dish's name, and the rest qualifies it: 돌솥 비빔밥
	// is a 비빔밥, 豚骨ラーメン a ラーメン, phở bò tái a phở.
	Head
)

func (k Kind) String() string {
	switch k {
	case Exact:
		return "exact"
	case Head:
		return "head"
	}
	return "none"
}

// Match is the result of a Lookup.
type Match struct {
	Entry *Entry
	Kind  Kind
	// Matched is the normalized text that matched the entry: the whole name
	// for an exact match, the head for a head match.
	Matched string
	// Modifier is the rest of the name for a head match ("돌솥", "豚骨"),
	// normalized but with its words.
	Modifier string
	// Modifiers are the words of Modifier found in the modifier glossary,
	// in order. Unknown is true when some of Modifier is not among them.
	Modifiers []*Modifier
	Unknown   bool
	// Translation is true when the text matched one of the entry's names
	// in another language (ビビンバ for 비빔밥, 마라탕 for 麻辣烫), not its own
	// name, a variant or its romanization.
	Translation bool
}

// The shortest head, in characters: one Hangul syllable or one kanji (밥,
// 면, 麺, 饭) ends half the menu. Latin and Thai heads need more letters.
const (
	minHeadCJK   = 2
	minHeadOther = 3
)

// stopHeads are names that are dishes when printed alone but say nothing
// as the end of a longer name: plain rice, a set, a side order. Keys are
// normalized (katakana for kana, simplified Chinese).
var stopHeads = map[string]bool{
	"밥": true, "공깃밥": true, "공기밥": true, "쌀밥": true, "흰밥": true, "사리": true, "라이스": true,
	"ライス": true, "ゴハン": true, "ゴ饭": true,
	"米饭": true, "白饭": true,
	"bánh": true, "cơm": true, "ข้าว": true,
}

// Lookup finds the dish a printed menu name refers to. It tries, in order:
// the whole name; each bracketed part ("Bibimbap (비빔밥)"); the longest
// head (see Head). The match is allocation-light and takes microseconds.
func (g *Glossary) Lookup(printed string) (Match, bool) {
	n := normalize(printed)
	if m, ok := g.exact(&n); ok {
		return m, true
	}
	for _, b := range n.brackets {
		bn := normalize(b)
		if m, ok := g.exact(&bn); ok {
			return m, true
		}
	}
	if s, ok := n.withoutSetWord(); ok {
		if m, ok := g.exact(&s); ok {
			return m, true
		}
		if m, ok := g.head(&s); ok {
			return m, true
		}
	}
	return g.head(&n)
}

func (g *Glossary) exact(n *normText) (Match, bool) {
	if len(n.key) == 0 {
		return Match{}, false
	}
	if ix, ok := g.index[n.keyString()]; ok {
		return Match{Entry: ix.e, Kind: Exact, Matched: string(n.text), Translation: ix.prio == 2}, true
	}
	return Match{}, false
}

// headFirst: Thai and Vietnamese put the dish first and its qualifiers
// after (ข้าวผัดกุ้ง, phở bò); Korean, Japanese and Chinese the other way,
// and a name with any of their script is theirs (LA갈비).
func headFirst(key []rune) bool {
	for _, r := range key {
		if unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Han, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hiragana, r) {
			return false
		}
	}
	return true
}

func (g *Glossary) head(n *normText) (Match, bool) {
	k := n.key
	if len(k) < 2 {
		return Match{}, false
	}
	if headFirst(k) {
		for j := len(k) - 1; j >= minHeadOther; j-- {
			// a head ends where a word ends, and never before a combining mark
			if unicode.Is(unicode.Mn, k[j]) || (unicode.Is(unicode.Latin, k[j-1]) && n.at[j] == n.at[j-1]+1) {
				continue
			}
			if m, ok := g.tryHead(n, 0, j, j, len(k)); ok {
				return m, true
			}
		}
		return Match{}, false
	}
	for i := 1; i+minHeadCJK <= len(k); i++ {
		if m, ok := g.tryHead(n, i, len(k), 0, i); ok {
			return m, true
		}
	}
	return Match{}, false
}

// tryHead checks key[hf:ht] as the head and key[mf:mt] as its modifier.
func (g *Glossary) tryHead(n *normText, hf, ht, mf, mt int) (Match, bool) {
	hk := string(n.key[hf:ht])
	if stopHeads[hk] {
		return Match{}, false
	}
	ix, ok := g.index[hk]
	if !ok {
		return Match{}, false
	}
	mods, unknown := g.modifiers(n.key[mf:mt])
	// A one-character remainder that is no known word is more likely the
	// start of another dish than a qualifier: 탕수육 is not a kind of 수육.
	spaced := (mt == hf && n.at[hf] > n.at[hf-1]+1) || (mf == ht && n.at[mf] > n.at[mf-1]+1)
	if unknown && mt-mf == 1 && !spaced {
		return Match{}, false
	}
	return Match{
		Entry: ix.e, Kind: Head,
		Matched:   n.textRange(hf, ht),
		Modifier:  n.textRange(mf, mt),
		Modifiers: mods, Unknown: unknown, Translation: ix.prio == 2,
	}, true
}

// modifiers splits a remainder into known modifier words, longest first.
func (g *Glossary) modifiers(k []rune) (mods []*Modifier, unknown bool) {
	for i := 0; i < len(k); {
		found := false
		for l := min(g.maxModLen, len(k)-i); l >= 1; l-- {
			if m, ok := g.mods[string(k[i:i+l])]; ok {
				mods = append(mods, m)
				i += l
				found = true
				break
			}
		}
		if !found {
			unknown = true
			i++
		}
	}
	return mods, unknown
}

// Suggestion is what to show a reader of lang for the match: the dish's
// name, and for a head match its known qualifiers and a question mark,
// since the guess may be wrong: "Bibimbap (stone pot)?". It is "" when the
// glossary has no name in that language.
func (m Match) Suggestion(lang string) string {
	if m.Entry == nil {
		return ""
	}
	name := m.Entry.NameIn(lang)
	if name == "" || m.Kind != Head {
		return name
	}
	var quals []string
	for _, mod := range m.Modifiers {
		if q := mod.NameIn(lang); q != "" {
			quals = append(quals, q)
		}
	}
	if m.Unknown {
		quals = append(quals, "…")
	}
	if len(quals) == 0 {
		return name + "?"
	}
	return name + " (" + strings.Join(quals, ", ") + ")?"
}
