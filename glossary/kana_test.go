package glossary

import "testing"

// Hepburn as printed on menus: no macrons, ん is m before b and p, n' before
// a vowel or y.
var hepburnExamples = []struct{ kana, plain, macrons string }{
	{"ラーメン", "ramen", "rāmen"},
	{"とんかつ", "tonkatsu", "tonkatsu"},
	{"すし", "sushi", "sushi"},
	{"てんぷら", "tempura", "tempura"},
	{"しゃぶしゃぶ", "shabushabu", "shabushabu"},
	{"ぎゅうどん", "gyudon", "gyūdon"},
	{"おちゃ", "ocha", "ocha"},
	{"きっぷ", "kippu", "kippu"},
	{"まっちゃ", "matcha", "matcha"},
	{"しんぶん", "shimbun", "shimbun"},
	{"てんいん", "ten'in", "ten'in"},
	{"きんえん", "kin'en", "kin'en"},
	{"ほんや", "hon'ya", "hon'ya"},
	{"さんま", "sanma", "sanma"},
	{"うどん", "udon", "udon"},
	{"そば", "soba", "soba"},
	{"やきとり", "yakitori", "yakitori"},
	{"からあげ", "karaage", "karaage"},
	{"おにぎり", "onigiri", "onigiri"},
	{"みそしる", "misoshiru", "misoshiru"},
	{"とうふ", "tofu", "tōfu"},
	{"にほんしゅ", "nihonshu", "nihonshu"},
	{"ぎょうざ", "gyoza", "gyōza"},
	{"おこのみやき", "okonomiyaki", "okonomiyaki"},
	{"たこやき", "takoyaki", "takoyaki"},
	{"すきやき", "sukiyaki", "sukiyaki"},
	{"うなぎ", "unagi", "unagi"},
	{"さしみ", "sashimi", "sashimi"},
	{"えだまめ", "edamame", "edamame"},
	{"ちゃわんむし", "chawanmushi", "chawanmushi"},
	{"しゅうまい", "shumai", "shūmai"},
	{"ぎゅうにゅう", "gyunyu", "gyūnyū"},
	{"ちゃーはん", "chahan", "chāhan"},
	{"つけめん", "tsukemen", "tsukemen"},
	{"ざるそば", "zarusoba", "zarusoba"},
	{"ふぐ", "fugu", "fugu"},
	{"じゃがいも", "jagaimo", "jagaimo"},
	{"ぢ", "ji", "ji"},
	{"づけ", "zuke", "zuke"},
	{"とうきょう", "tokyo", "tōkyō"},
	{"おおさか", "osaka", "ōsaka"},
	{"せんせい", "sensei", "sensei"},
	{"おいしい", "oishii", "oishii"},
	{"ほっかいどう", "hokkaido", "hokkaidō"},
	{"カレーライス", "kareraisu", "karēraisu"},
	{"コーヒー", "kohi", "kōhī"},
	{"ジュース", "jusu", "jūsu"},
	{"ティー", "ti", "tī"},
	{"ウィスキー", "wisuki", "wisukī"},
	{"フォー", "fo", "fō"},
	{"チェック", "chekku", "chekku"},
	{"ファミリー", "famiri", "famirī"},
	{"ヴァイオリン", "vaiorin", "vaiorin"},
	{"ﾗｰﾒﾝ", "ﾗｰﾒﾝ", "ﾗｰﾒﾝ"}, // half-width kana: normalize first (see Romanize)
	{"豚骨らーめん", "豚骨ramen", "豚骨rāmen"},
}

func TestHepburn(t *testing.T) {
	for _, c := range hepburnExamples {
		if got := RomanizeKana(c.kana); got != c.plain {
			t.Errorf("RomanizeKana(%s) = %q, want %q", c.kana, got, c.plain)
		}
		if got := RomanizeKanaMacrons(c.kana); got != c.macrons {
			t.Errorf("RomanizeKanaMacrons(%s) = %q, want %q", c.kana, got, c.macrons)
		}
	}
	if len(hepburnExamples) < 30 {
		t.Errorf("only %d examples", len(hepburnExamples))
	}
}

// Every kana alone and in a word romanizes to ASCII letters and
// apostrophes (or ā-style vowels with macrons).
func TestHepburnAllKana(t *testing.T) {
	for r := rune(0x3041); r <= 0x3096; r++ {
		for _, s := range []string{string(r), "か" + string(r) + "ん", string(r + 0x60)} {
			out := RomanizeKana(s)
			for _, c := range out {
				if (c < 'a' || c > 'z') && c != '\'' {
					t.Errorf("%q romanized to %q", s, out)
					break
				}
			}
		}
	}
}
