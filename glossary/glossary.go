package glossary

import (
	_ "embed"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

//go:embed dishes.tsv
var dishesTSV string

//go:embed modifiers.tsv
var modifiersTSV string

// Entry is one dish.
type Entry struct {
	ID      string // stable key, lower-case ASCII, e.g. "kimchi-jjigae"
	Cuisine string // "ko", "ja", "zh", "th" or "vi"
	Name    string // as printed in its own language
	// Variants are other printed spellings: 찌게 for 찌개, 김치 찌개,
	// らーめん, 餃子 for 饺子.
	Variants []string
	// Romanized is how the name is said, as travellers see it printed:
	// the official romanization for Korean dishes, Hepburn for Japanese,
	// pinyin without tones for Chinese, the usual menu spelling for Thai
	// and Vietnamese.
	Romanized string
	// Names holds the name in other languages by BCP 47 tag: "en", "ja",
	// "zh-Hans", "zh-Hant", "ko", and the dish's own language.
	Names map[string]string
	// Checked is false for rows whose author was unsure; a reader of the
	// language should review them.
	Checked bool
	Note    string

	key string // Name normalized
}

// NameIn returns the entry's name for a language tag ("en", "ja-JP",
// "zh-TW", "zh"), or "" if the glossary has none. Chinese without a script
// is taken as simplified except where the region writes traditional.
func (e *Entry) NameIn(lang string) string {
	return namesIn(e.Names, lang)
}

func namesIn(names map[string]string, lang string) string {
	if v, ok := names[lang]; ok {
		return v
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return ""
	}
	base, _ := tag.Base()
	if base.String() == "zh" {
		script, _ := tag.Script() // inferred from the region when absent
		return names["zh-"+script.String()]
	}
	return names[base.String()]
}

// Modifier is a word that qualifies a dish: 돌솥 (stone pot), 해물
// (seafood), 豚骨 (pork bone broth).
type Modifier struct {
	Forms     []string
	Romanized string
	Names     map[string]string
	Checked   bool
}

// NameIn is Entry.NameIn for a modifier.
func (m *Modifier) NameIn(lang string) string { return namesIn(m.Names, lang) }

// Glossary is a set of dishes and modifiers indexed for Lookup. It is
// read-only after Load and safe for concurrent use.
type Glossary struct {
	entries    []Entry
	index      map[string]indexed
	mods       map[string]*Modifier
	maxModLen  int
	collisions []string
}

type indexed struct {
	e    *Entry
	prio int // 0 own name or variant, 1 romanization, 2 a translation
}

var languageColumns = []string{"en", "ja", "zh-Hans", "zh-Hant", "ko", "th", "vi"}

// Languages are the tags the glossary names dishes in.
func Languages() []string { return slices.Clone(languageColumns) }

// Load reads a glossary: dishes and modifiers as tab-separated tables
// with a header row; lines starting with # are comments. See dishes.tsv.
func Load(dishes, modifiers io.Reader) (*Glossary, error) {
	g := &Glossary{index: map[string]indexed{}, mods: map[string]*Modifier{}}
	entries, err := readEntries(dishes)
	if err != nil {
		return nil, err
	}
	g.entries = entries
	for i := range g.entries {
		g.indexEntry(&g.entries[i])
	}
	if err := g.readModifiers(modifiers); err != nil {
		return nil, err
	}
	sort.Strings(g.collisions)
	return g, nil
}

// readEntries reads the dish table. All rows are read before any is
// indexed, because the index points into the final slice.
func readEntries(dishes io.Reader) ([]Entry, error) {
	rows, err := readTSV(dishes, "id", "cuisine", "name")
	if err != nil {
		return nil, fmt.Errorf("dishes: %w", err)
	}
	entries := make([]Entry, 0, len(rows))
	ids := map[string]bool{}
	for _, r := range rows {
		e := entryFromRow(r)
		if ids[e.ID] {
			return nil, fmt.Errorf("dishes line %d: duplicate id %q", r.line, e.ID)
		}
		ids[e.ID] = true
		entries = append(entries, e)
	}
	return entries, nil
}

func entryFromRow(r row) Entry {
	e := Entry{
		ID: r.get("id"), Cuisine: r.get("cuisine"), Name: r.get("name"),
		Variants: splitList(r.get("variants")), Romanized: r.get("rom"),
		Checked: r.get("checked") == "yes", Note: r.get("note"),
		Names: namesFromRow(r),
	}
	// name is printed in the dish's own language, so it fills that
	// language's column when the row leaves it empty (zh has no single
	// column: it is split into zh-Hans and zh-Hant).
	if own := ownLanguage(e.Cuisine); own != "" && e.Names[own] == "" {
		e.Names[own] = e.Name
	}
	return e
}

// namesFromRow collects the non-empty language columns of a row.
func namesFromRow(r row) map[string]string {
	names := map[string]string{}
	for _, c := range languageColumns {
		if v := r.get(c); v != "" {
			names[c] = v
		}
	}
	return names
}

// indexEntry indexes e under its own spellings, its romanization and its
// names in the other languages but English, at the priorities add ranks.
func (g *Glossary) indexEntry(e *Entry) {
	e.key = normalize(e.Name).keyString()
	for _, v := range append([]string{e.Name}, e.Variants...) {
		g.add(v, e, 0)
	}
	g.add(e.Romanized, e, 1)
	for _, c := range languageColumns {
		if c != "en" {
			g.add(e.Names[c], e, 2)
		}
	}
}

// readModifiers reads the modifier table. A form shared by two modifiers
// is an error: mods maps a form to one modifier, so the second would
// silently replace the first.
func (g *Glossary) readModifiers(modifiers io.Reader) error {
	rows, err := readTSV(modifiers, "forms")
	if err != nil {
		return fmt.Errorf("modifiers: %w", err)
	}
	for _, r := range rows {
		m := &Modifier{Forms: splitList(r.get("forms")), Romanized: r.get("rom"), Checked: r.get("checked") == "yes", Names: namesFromRow(r)}
		for _, f := range m.Forms {
			k := normalize(f).keyString()
			if k == "" {
				continue
			}
			if old, dup := g.mods[k]; dup && old != m {
				return fmt.Errorf("modifiers line %d: %q is also a form of %q", r.line, f, old.Forms[0])
			}
			g.mods[k] = m
			g.maxModLen = max(g.maxModLen, len([]rune(k)))
		}
	}
	return nil
}

func ownLanguage(cuisine string) string {
	switch cuisine {
	case "ko", "ja", "th", "vi":
		return cuisine
	}
	return ""
}

// add indexes one spelling. When two dishes share a spelling, a dish's own
// name beats a romanization, which beats a translation (韓国 menus list
// 餃子 as 만두's translation, but 餃子 is first the Chinese dish); between
// equals the first row wins and the clash is recorded for the data tests.
func (g *Glossary) add(printed string, e *Entry, prio int) {
	k := normalize(printed).keyString()
	if k == "" {
		return
	}
	if old, ok := g.index[k]; ok {
		if old.e != e && old.prio == prio {
			g.collisions = append(g.collisions, fmt.Sprintf("%d %s: %s and %s", prio, k, old.e.ID, e.ID))
		}
		if old.prio <= prio {
			return
		}
	}
	g.index[k] = indexed{e, prio}
}

// Entries returns the dishes in file order. The slice is shared: do not
// modify it.
func (g *Glossary) Entries() []Entry { return g.entries }

// Collisions lists spellings that two dishes claim at the same priority,
// as "priority key: first-id and second-id"; the first dish keeps them.
func (g *Glossary) Collisions() []string { return g.collisions }

// Modifiers returns the distinct modifiers.
func (g *Glossary) Modifiers() []*Modifier {
	seen := map[*Modifier]bool{}
	var out []*Modifier
	for _, m := range g.mods {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Forms[0] < out[j].Forms[0] })
	return out
}

func loadEmbedded() (*Glossary, error) {
	return Load(strings.NewReader(dishesTSV), strings.NewReader(modifiersTSV))
}

var defaultGlossary = sync.OnceValue(func() *Glossary {
	g, err := loadEmbedded()
	if err != nil {
		panic("glossary: embedded data: " + err.Error()) // caught by the tests
	}
	return g
})

// Default returns the glossary built from the embedded data. It is parsed
// once, on the first call (a few milliseconds), not at program start.
func Default() *Glossary { return defaultGlossary() }

// Lookup looks a printed name up in the default glossary.
func Lookup(printed string) (Match, bool) { return Default().Lookup(printed) }

// Romanize romanizes a printed name with the default glossary.
func Romanize(printed string) (string, bool) { return Default().Romanize(printed) }
