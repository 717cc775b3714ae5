package glossary

import (
	"regexp"
	"sort"
	"strings"
	"testing"
)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestEmbeddedData(t *testing.T) {
	g := Default()
	es := g.Entries()
	if len(es) < 300 {
		t.Fatalf("%d entries, want at least 300", len(es))
	}
	perCuisine := map[string]int{}
	unchecked := map[string]int{}
	for _, e := range es {
		perCuisine[e.Cuisine]++
		if !e.Checked {
			unchecked[e.Cuisine]++
		}
		if !idPattern.MatchString(e.ID) {
			t.Errorf("id %q is not lower-case ASCII words", e.ID)
		}
		for _, l := range []string{"en", "ja", "zh-Hans", "zh-Hant"} {
			if e.Names[l] == "" {
				t.Errorf("%s has no %s name", e.ID, l)
			}
		}
		if e.Romanized == "" || e.Romanized != strings.ToLower(e.Romanized) {
			t.Errorf("%s: romanization %q is empty or not lower case", e.ID, e.Romanized)
		}
		for _, r := range e.Romanized {
			if r > 0x7f {
				t.Errorf("%s: romanization %q is not ASCII", e.ID, e.Romanized)
				break
			}
		}
		if e.Cuisine != "ko" && e.Cuisine != "zh" && e.Names[e.Cuisine] != e.Name {
			t.Errorf("%s: own-language name %q differs from name %q", e.ID, e.Names[e.Cuisine], e.Name)
		}
	}
	if perCuisine["ko"] < 180 {
		t.Errorf("%d Korean dishes, want at least 180", perCuisine["ko"])
	}
	for _, c := range []string{"ja", "zh", "th", "vi"} {
		if perCuisine[c] < 20 {
			t.Errorf("%d %s dishes, want at least 20", perCuisine[c], c)
		}
	}
	t.Logf("entries per cuisine %v, unchecked %v, modifiers %d", perCuisine, unchecked, len(g.Modifiers()))
}

// A spelling claimed by two dishes as their own name or romanization
// would make Lookup depend on row order.
func TestNoAmbiguousSpellings(t *testing.T) {
	for _, c := range Default().Collisions() {
		if !strings.HasPrefix(c, "2 ") {
			t.Errorf("collision: %s", c)
		} else {
			t.Logf("translation shared (first row keeps it): %s", c)
		}
	}
}

// Every variant is reachable: it looks up its own entry.
func TestVariantsFindTheirEntry(t *testing.T) {
	g := Default()
	for i := range g.Entries() {
		e := &g.Entries()[i]
		for _, v := range append([]string{e.Name}, e.Variants...) {
			m, ok := g.Lookup(v)
			if !ok || m.Entry != e || m.Kind != Exact {
				got := "nothing"
				if ok {
					got = m.Kind.String() + " " + m.Entry.ID
				}
				t.Errorf("Lookup(%q) = %s, want exact %s", v, got, e.ID)
			}
		}
	}
}

// customary lists spellings the 2014 standard keeps against the Revised
// Romanization (김치 kimchi, not gimchi).
var customary = map[string]string{"gimchi": "kimchi"}

// A Korean row's romanization must be what the Revised Romanization gives
// for its name cut at the row's hyphens: this catches typing slips in the
// data, and rows that need an explanation say so here.
func TestKoreanRomanizationsFollowTheRule(t *testing.T) {
	allowed := map[string]string{
		"dongeurang-ttaeng": "the id keeps a slip; rom is right",
		"sogogi-muguk":      "id without the ㅅ of 뭇국; rom follows the spelling 소고기뭇국",
		"donkkaseu":         "the standard spelling 돈가스 romanizes dongaseu; the id follows menus",
		"jajangmyeon":       "follows the other standard spelling, 자장면",
		"jajang-bap":        "follows 자장밥, as jajangmyeon",
	}
	for _, e := range Default().Entries() {
		if e.Cuisine != "ko" {
			continue
		}
		if fitsRule(e.Name, e.Romanized) {
			continue
		}
		if why, ok := allowed[e.ID]; ok {
			t.Logf("%s: %s", e.ID, why)
			continue
		}
		t.Errorf("%s: %s romanized %q; the rule gives %q cut at some hyphens", e.ID, e.Name, e.Romanized, RomanizeKorean(e.Name, Noun))
	}
}

// fitsRule reports whether rom is the RR of name cut into as many parts as
// rom has hyphens (parts romanized one by one, customary spellings kept).
// A part may lose the ㅅ that only joins it to the next (사이시옷: 북엇국
// bugeo-guk), as the rows do where the standard hyphenates.
func fitsRule(name, rom string) bool {
	syl := []rune(name)
	romanizePart := func(p []rune, last bool) []string {
		out := []string{RomanizeKorean(string(p), Noun)}
		if n := len(p); !last && n > 0 && isHangulSyllable(p[n-1]) && (p[n-1]-sBase)%tCount == tS {
			q := append([]rune(nil), p...)
			q[n-1] -= tS
			out = append(out, RomanizeKorean(string(q), Noun))
		}
		return out
	}
	parts := strings.Count(rom, "-") + 1
	var try func(from, left int, acc []string) bool
	try = func(from, left int, acc []string) bool {
		if left == 1 {
			r := RomanizeKorean(string(syl[from:]), Noun)
			out := strings.Join(append(acc, r), "-")
			for a, b := range customary {
				out = strings.ReplaceAll(out, a, b)
			}
			return out == rom
		}
		for cut := from + 1; cut < len(syl); cut++ {
			for _, r := range romanizePart(syl[from:cut], false) {
				if try(cut, left-1, append(acc[:len(acc):len(acc)], r)) {
					return true
				}
			}
		}
		return false
	}
	return try(0, parts, nil)
}

func TestModifiersData(t *testing.T) {
	mods := Default().Modifiers()
	if len(mods) < 100 {
		t.Errorf("%d modifiers", len(mods))
	}
	for _, m := range mods {
		if m.Romanized == "" || m.Names["en"] == "" || m.Names["ja"] == "" || m.Names["zh-Hans"] == "" {
			t.Errorf("modifier %v lacks a romanization or a name", m.Forms)
		}
	}
}

// The stop list is written in normalized form, or it would never match.
func TestStopHeadsAreNormalized(t *testing.T) {
	var keys []string
	for k := range stopHeads {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if got := Normalize(k); got != k {
			t.Errorf("stop head %q normalizes to %q", k, got)
		}
	}
	for _, w := range setWords {
		if got := Normalize(w); got != w {
			t.Errorf("set word %q normalizes to %q", w, got)
		}
	}
}
