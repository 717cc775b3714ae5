package glossary

import (
	"strings"
	"sync"
	"testing"
)

type lookupCase struct {
	printed  string
	id       string // "" for no match
	kind     Kind
	matched  string
	modifier string
}

func checkLookups(t *testing.T, g *Glossary, cases []lookupCase) {
	t.Helper()
	for _, c := range cases {
		m, ok := g.Lookup(c.printed)
		if c.id == "" {
			if ok {
				t.Errorf("Lookup(%q) = %s %s (head %q, rest %q), want no match", c.printed, m.Kind, m.Entry.ID, m.Matched, m.Modifier)
			}
			continue
		}
		if !ok {
			t.Errorf("Lookup(%q): no match, want %s %s", c.printed, c.kind, c.id)
			continue
		}
		if m.Entry.ID != c.id || m.Kind != c.kind || m.Matched != c.matched || m.Modifier != c.modifier {
			t.Errorf("Lookup(%q) = %s %s matched %q rest %q, want %s %s matched %q rest %q",
				c.printed, m.Kind, m.Entry.ID, m.Matched, m.Modifier, c.kind, c.id, c.matched, c.modifier)
		}
	}
}

func TestLookupExact(t *testing.T) {
	checkLookups(t, Default(), []lookupCase{
		{"김치찌개", "kimchi-jjigae", Exact, "김치찌개", ""},
		{"김치찌게", "kimchi-jjigae", Exact, "김치찌게", ""},
		{"김치 찌개", "kimchi-jjigae", Exact, "김치 찌개", ""},
		{"  김치찌개 (2인분) ", "kimchi-jjigae", Exact, "김치찌개", ""},
		{"김치찌개 2인분 8,000원", "kimchi-jjigae", Exact, "김치찌개", ""},
		{"김치찌개2인분", "kimchi-jjigae", Exact, "김치찌개", ""},
		{"★김치·찌개★", "kimchi-jjigae", Exact, "김치 찌개", ""},
		{"부대찌게", "budae-jjigae", Exact, "부대찌게", ""},
		{"떡뽁이", "tteokbokki", Exact, "떡뽁이", ""},
		{"순두부", "sundubu-jjigae", Exact, "순두부", ""},
		{"1. 비빔밥", "bibimbap", Exact, "비빔밥", ""},
		{"비빔밥 [맵기 선택]", "bibimbap", Exact, "비빔밥", ""},
		{"Bibimbap (비빔밥)", "bibimbap", Exact, "bibimbap", ""},
		{"Kimchi-jjigae", "kimchi-jjigae", Exact, "kimchi jjigae", ""},
		{"불고기 정식", "bulgogi", Exact, "불고기", ""},
		{"한정식", "hanjeongsik", Exact, "한정식", ""},
		{"ラーメン", "ramen", Exact, "ラーメン", ""},
		{"らーめん", "ramen", Exact, "らーめん", ""},
		{"ﾗｰﾒﾝ", "ramen", Exact, "ラーメン", ""},
		{"拉麺（大）", "ramen", Exact, "拉麺", ""},
		{"刺身盛り合わせ", "sashimi", Exact, "刺身", ""},
		{"饺子", "jiaozi", Exact, "饺子", ""},
		{"餃子", "jiaozi", Exact, "餃子", ""},
		{"牛肉麵", "niurou-mian", Exact, "牛肉麵", ""},
		{"蘭州拉麵", "lanzhou-lamian", Exact, "蘭州拉麵", ""},
		{"ต้มยำกุ้ง", "tom-yum-goong", Exact, "ต้มย\u0e4d\u0e32กุ้ง", ""}, // NFKC splits sara am
		{"Phở Bò", "pho-bo", Exact, "phở bò", ""},
		{"ＰＨＯ", "pho", Exact, "pho", ""},
		// translations are names too: a Japanese menu's ビビンバ, a Korean
		// menu's 마라탕
		{"ビビンバ", "bibimbap", Exact, "ビビンバ", ""},
		{"마라탕", "malatang", Exact, "마라탕", ""},
		{"쌀국수", "pho", Exact, "쌀국수", ""},
		// decomposed Hangul (as typed on some systems) is composed
		{"\u1100\u1175\u11B7\u110E\u1175\u110D\u1175\u1100\u1162", "kimchi-jjigae", Exact, "김치찌개", ""},
	})
}

func TestLookupHead(t *testing.T) {
	checkLookups(t, Default(), []lookupCase{
		{"해물 순두부찌개", "sundubu-jjigae", Head, "순두부찌개", "해물"},
		{"해물순두부찌개", "sundubu-jjigae", Head, "순두부찌개", "해물"},
		{"치즈 떡볶이", "tteokbokki", Head, "떡볶이", "치즈"},
		{"돌솥 산채비빔밥", "sanchae-bibimbap", Head, "산채비빔밥", "돌솥"},
		{"불고기비빔밥", "bibimbap", Head, "비빔밥", "불고기"},
		{"새우볶음밥", "bokkeumbap", Head, "볶음밥", "새우"},
		{"참치김밥", "gimbap", Head, "김밥", "참치"},
		{"굴국밥(특)", "gul-gukbap", Exact, "굴국밥", ""},
		{"굴 국수", "guksu", Head, "국수", "굴"},
		{"꿀떡볶이", "tteokbokki", Head, "떡볶이", "꿀"},
		{"LA갈비", "galbi", Head, "갈비", "la"},
		{"따로국밥", "gukbap", Head, "국밥", "따로"},
		{"모둠수육 (대)", "suyuk", Head, "수육", "모둠"},
		{"豚骨ラーメン", "ramen", Head, "ラーメン", "豚骨"},
		{"とんこつらーめん", "ramen", Head, "らーめん", "とんこつ"},
		{"味噌ラーメン", "ramen", Head, "ラーメン", "味噌"},
		{"半チャーハン", "chaofan", Head, "チャーハン", "半"},
		{"焼きおにぎり", "onigiri", Head, "おにぎり", "焼き"},
		{"红烧牛肉面", "niurou-mian", Exact, "红烧牛肉面", ""},
		{"虾仁炒饭", "chaofan", Head, "炒饭", "虾仁"},
		{"大腸麵線", "mianxian", Head, "麵線", "大腸"},
		{"phở bò tái", "pho-bo", Head, "phở bò", "tái"},
		{"Phở đặc biệt", "pho", Head, "phở", "đặc biệt"},
		{"Bánh mì thịt", "banh-mi", Head, "bánh mì", "thịt"},
		{"ข้าวผัดกุ้ง", "khao-pad", Head, "ข้าวผัด", "กุ้ง"},
		{"ผัดกะเพราหมูสับ", "pad-kra-pao", Head, "ผัดกะเพรา", "หมูสับ"},
	})
}

// A one-character head (밥, 면, 麺, 饭, 汤) would end half the menu, and
// plain rice is no head at all.
func TestLookupFalseHeads(t *testing.T) {
	g := Default()
	checkLookups(t, g, []lookupCase{
		{"콩밥", "", 0, "", ""},            // 밥 is an entry, but one syllable
		{"영양밥", "", 0, "", ""},           // the same
		{"현미 공깃밥", "", 0, "", ""},        // 공깃밥 is on the stop list
		{"咖喱米饭", "", 0, "", ""},          // so is 米饭
		{"カツライス", "", 0, "", ""},         // and ライス
		{"ข้าวสวย", "", 0, "", ""},       // ข้าว (rice) starts many Thai names
		{"chè", "che", Exact, "chè", ""}, // three letters: an exact name
		{"chèo", "", 0, "", ""},          // but not a head inside a word
		{"bún", "bun", Exact, "bún", ""},
		{"búnx", "", 0, "", ""},
		{"청국장라면", "ramyeon", Head, "라면", "청국장"},
	})
	// With a glossary that has 수육 but not 탕수육, 탕수육 must not be a
	// kind of 수육: a one-syllable unknown rest is the start of another word.
	small, err := Load(strings.NewReader("id\tcuisine\tname\ten\tja\tzh-Hans\tzh-Hant\nsuyuk\tko\t수육\tBoiled Meat\tスユク\t白切肉\t白切肉\nmyeon\tko\t면\tNoodles\t麺\t面\t麵\n"),
		strings.NewReader("forms\trom\ten\n돼지\tdwaeji\tpork\n"))
	if err != nil {
		t.Fatal(err)
	}
	checkLookups(t, small, []lookupCase{
		{"탕수육", "", 0, "", ""},
		{"돼지수육", "suyuk", Head, "수육", "돼지"},
		{"돼 수육", "suyuk", Head, "수육", "돼"}, // a separate word is a qualifier
		{"보쌈수육", "suyuk", Head, "수육", "보쌈"},
		{"짜장면", "", 0, "", ""}, // 면 is too short to be a head
		{"면", "myeon", Exact, "면", ""},
	})
}

func TestSuggestion(t *testing.T) {
	cases := []struct{ printed, lang, want string }{
		{"치즈 떡볶이", "en", "Stir-fried Rice Cakes (cheese)?"},
		{"치즈 떡볶이", "ja", "トッポッキ (チーズ)?"},
		{"돌솥 산채비빔밥", "en", "Wild Vegetable Bibimbap (stone pot)?"},
		{"따로국밥", "en", "Soup with Rice (…)?"},
		{"豚骨ラーメン", "zh-TW", "日式拉麵 (豬骨湯)?"},
		{"豚骨ラーメン", "zh", "日式拉面 (猪骨汤)?"},
		{"김치찌개", "en-GB", "Kimchi Stew"},
		{"김치찌개", "zh-Hant-HK", "辛奇湯"},
		{"김치찌개", "ko", "김치찌개"},
		{"김치찌개", "fr", ""},
	}
	for _, c := range cases {
		m, ok := Lookup(c.printed)
		if !ok {
			t.Errorf("Lookup(%q): no match", c.printed)
			continue
		}
		if got := m.Suggestion(c.lang); got != c.want {
			t.Errorf("Suggestion(%q, %s) = %q, want %q", c.printed, c.lang, got, c.want)
		}
	}
}

func TestLookupNothing(t *testing.T) {
	for _, s := range []string{"", "   ", "()", "2인분", "12,000원", "¥800", "x"} {
		if m, ok := Lookup(s); ok {
			t.Errorf("Lookup(%q) = %s %s", s, m.Kind, m.Entry.ID)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	bad := []struct{ name, dishes, mods string }{
		{"no header", "", "forms\n"},
		{"missing column", "id\tname\nx\ty\n", "forms\n"},
		{"empty id", "id\tcuisine\tname\n\tko\t밥\n", "forms\n"},
		{"duplicate id", "id\tcuisine\tname\nx\tko\t밥\nx\tko\t죽\n", "forms\n"},
		{"too many cells", "id\tcuisine\tname\nx\tko\t밥\textra\n", "forms\n"},
		{"modifier twice", "id\tcuisine\tname\nx\tko\t밥\n", "forms\n해물\n해물|굴\n"},
	}
	for _, c := range bad {
		if _, err := Load(strings.NewReader(c.dishes), strings.NewReader(c.mods)); err == nil {
			t.Errorf("%s: Load accepted it", c.name)
		}
	}
}

// Lookup is safe for concurrent use (run with -race).
func TestLookupConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if m, ok := Lookup("해물 순두부찌개"); !ok || m.Entry.ID != "sundubu-jjigae" {
					t.Error("concurrent lookup failed")
					return
				}
				Romanize("豚骨ラーメン")
			}
		}()
	}
	wg.Wait()
}

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"김치 찌게 (2인분)":     "김치찌개",
		"らーめん（大）":         "ラーメン",
		"Phở  Bò":         "phởbò",
		"紅燒牛肉麵":           "红烧牛肉面",
		"【特製】醤油ラーメン":      "醤油ラーメン",
		"1인분":             "",
		"돈까스 (치즈)":        "돈까스",
		"Pad Thai - 120฿": "padthai",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
