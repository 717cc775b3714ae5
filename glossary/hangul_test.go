package glossary

import (
	"strings"
	"testing"
)

// rrRuleExamples are the example words of the Revised Romanization of
// Korean (MCT notice 2000-8, 2000-07-07), in the order of the rule text.
// Proper nouns are capitalized there; the comparison ignores case.
var rrRuleExamples = []struct {
	hangul, want string
	mode         KoreanMode
}{
	// Chapter 2, article 1, note 1: ㅢ is ui even when pronounced ㅣ.
	{"광희문", "Gwanghuimun", Noun},
	// Chapter 2, article 2, note 1: ㄱ, ㄷ, ㅂ are g, d, b before a vowel
	// and k, t, p before a consonant or at the end.
	{"구미", "Gumi", Noun},
	{"영동", "Yeongdong", Noun},
	{"백암", "Baegam", Noun},
	{"옥천", "Okcheon", Noun},
	{"합덕", "Hapdeok", Noun},
	{"호법", "Hobeop", Noun},
	{"월곶", "Wolgot", Noun},
	{"벚꽃", "beotkkot", Noun},
	{"한밭", "Hanbat", Noun},
	// Note 2: ㄹ is r before a vowel, l before a consonant or at the end;
	// ㄹㄹ is ll.
	{"구리", "Guri", Noun},
	{"설악", "Seorak", Noun},
	{"칠곡", "Chilgok", Noun},
	{"임실", "Imsil", Noun},
	{"울릉", "Ulleung", Noun},
	{"대관령", "Daegwallyeong", Noun},
	// Chapter 3, article 1.1: assimilation between consonants.
	{"백마", "Baengma", Noun},
	{"신문로", "Sinmunno", Noun},
	{"종로", "Jongno", Noun},
	{"왕십리", "Wangsimni", Noun},
	{"별내", "Byeollae", Noun},
	{"신라", "Silla", Noun},
	// 1.2: inserted ㄴ and ㄹ.
	{"학여울", "Hangnyeoul", Noun},
	{"알약", "allyak", Noun},
	// 1.3: palatalisation.
	{"해돋이", "haedoji", Noun},
	{"같이", "gachi", Noun},
	{"굳히다", "guchida", Predicate},
	// 1.4: ㄱ, ㄷ, ㅂ, ㅈ with ㅎ are aspirated...
	{"좋고", "joko", Predicate},
	{"놓다", "nota", Predicate},
	{"잡혀", "japyeo", Predicate},
	{"낳지", "nachi", Predicate},
	// ...but not in nouns after ㄱ, ㄷ, ㅂ.
	{"묵호", "Mukho", Noun},
	{"집현전", "Jiphyeonjeon", Noun},
	// Note: tensification is not written.
	{"압구정", "Apgujeong", Noun},
	{"낙동강", "Nakdonggang", Noun},
	{"죽변", "Jukbyeon", Noun},
	{"낙성대", "Nakseongdae", Noun},
	{"합정", "Hapjeong", Noun},
	{"팔당", "Paldang", Noun},
	{"샛별", "saetbyeol", Noun},
	{"울산", "Ulsan", Noun},
	// Article 3: proper nouns.
	{"부산", "Busan", Noun},
	{"세종", "Sejong", Noun},
	// Article 6: natural features, cultural properties, structures.
	{"남산", "Namsan", Noun},
	{"속리산", "Songnisan", Noun},
	{"금강", "Geumgang", Noun},
	{"독도", "Dokdo", Noun},
	{"경복궁", "Gyeongbokgung", Noun},
	{"무량수전", "Muryangsujeon", Noun},
	{"연화교", "Yeonhwagyo", Noun},
	{"극락전", "Geungnakjeon", Noun},
	{"안압지", "Anapji", Noun},
	{"남한산성", "Namhansanseong", Noun},
	{"화랑대", "Hwarangdae", Noun},
	{"불국사", "Bulguksa", Noun},
	{"현충사", "Hyeonchungsa", Noun},
	{"독립문", "Dongnimmun", Noun},
	{"오죽헌", "Ojukheon", Noun},
	{"촉석루", "Chokseongnu", Noun},
	{"종묘", "Jongmyo", Noun},
	{"다보탑", "Dabotap", Noun},
}

// rrHyphenExamples are article 2's examples, where the rule allows ("may")
// a hyphen against misreading. RomanizeKorean does not insert it, so they
// are compared without it.
var rrHyphenExamples = []struct{ hangul, want string }{
	{"중앙", "Jung-ang"},
	{"반구대", "Ban-gudae"},
	{"세운", "Se-un"},
	{"해운대", "Hae-undae"},
}

// rrDishExamples are dish names whose romanization in the 2014 standard is
// the plain Revised Romanization of the name plus the guideline's hyphens
// (names with a customary spelling such as kimchi are left out). They
// check the sound changes on the words menus are made of.
var rrDishExamples = []struct{ hangul, want string }{
	{"비빔밥", "bibimbap"},
	{"불고기", "bulgogi"},
	{"김밥", "gimbap"},
	{"잡채", "japchae"},
	{"떡볶이", "tteokbokki"},
	{"설렁탕", "seolleongtang"},
	{"삼계-탕", "samgye-tang"},
	{"갈비-탕", "galbi-tang"},
	{"감자-탕", "gamja-tang"},
	{"곰탕", "gomtang"},
	{"꼬리-곰탕", "kkori-gomtang"},
	{"도가니-탕", "dogani-tang"},
	{"해물-탕", "haemul-tang"},
	{"매운-탕", "maeun-tang"},
	{"추어-탕", "chueo-tang"},
	{"육개장", "yukgaejang"},
	{"된장-찌개", "doenjang-jjigae"},
	{"순두부-찌개", "sundubu-jjigae"},
	{"부대-찌개", "budae-jjigae"},
	{"된장-국", "doenjang-guk"},
	{"미역-국", "miyeok-guk"},
	{"떡국", "tteokguk"},
	{"콩나물-국밥", "kongnamul-gukbap"},
	{"물-냉면", "mul-naengmyeon"},
	{"비빔-냉면", "bibim-naengmyeon"},
	{"칼-국수", "kal-guksu"},
	{"잔치-국수", "janchi-guksu"},
	{"막-국수", "mak-guksu"},
	{"콩-국수", "kong-guksu"},
	{"수제비", "sujebi"},
	{"전복-죽", "jeonbok-juk"},
	{"호박-죽", "hobak-juk"},
	{"팥-죽", "pat-juk"},
	{"갈비-찜", "galbi-jjim"},
	{"닭-갈비", "dak-galbi"},
	{"삼겹살", "samgyeopsal"},
	{"떡-갈비", "tteok-galbi"},
	{"제육-볶음", "jeyuk-bokkeum"},
	{"오징어-볶음", "ojingeo-bokkeum"},
	{"낙지-볶음", "nakji-bokkeum"},
	{"해물-파전", "haemul-pajeon"},
	{"빈대-떡", "bindae-tteok"},
	{"족발", "jokbal"},
	{"보쌈", "bossam"},
	{"순대", "sundae"},
	{"육회", "yukhoe"},
	{"깍두기", "kkakdugi"},
	{"동치미", "dongchimi"},
	{"식혜", "sikhye"},
	{"수정과", "sujeonggwa"},
	{"약과", "yakgwa"},
	{"송편", "songpyeon"},
	{"간장-게장", "ganjang-gejang"},
	{"곱창-전골", "gopchang-jeongol"},
	{"돌솥-비빔밥", "dolsot-bibimbap"},
	{"산채-비빔밥", "sanchae-bibimbap"},
	{"쌈밥", "ssambap"},
	{"오곡밥", "ogokbap"},
	{"해장-국", "haejang-guk"},
	{"닭-한마리", "dak-hanmari"},
	{"계란-찜", "gyeran-jjim"},
	{"약식", "yaksik"},
	{"인절미", "injeolmi"},
	{"호떡", "hotteok"},
	{"불고기-덮밥", "bulgogi-deopbap"},
	{"회-덮밥", "hoe-deopbap"},
}

func TestRevisedRomanizationRuleExamples(t *testing.T) {
	for _, c := range rrRuleExamples {
		if got := RomanizeKorean(c.hangul, c.mode); !strings.EqualFold(got, c.want) {
			t.Errorf("RomanizeKorean(%s) = %q, want %q", c.hangul, got, c.want)
		}
	}
	for _, c := range rrHyphenExamples {
		want := strings.ReplaceAll(c.want, "-", "")
		if got := RomanizeKorean(c.hangul, Noun); !strings.EqualFold(got, want) {
			t.Errorf("RomanizeKorean(%s) = %q, want %q (%s without the optional hyphen)", c.hangul, got, want, c.want)
		}
	}
}

func TestRevisedRomanizationDishNames(t *testing.T) {
	for _, c := range rrDishExamples {
		if got := RomanizeKorean(c.hangul, Noun); got != c.want {
			t.Errorf("RomanizeKorean(%s) = %q, want %q", c.hangul, got, c.want)
		}
	}
	n := len(rrRuleExamples) + len(rrHyphenExamples) + len(rrDishExamples)
	if n < 100 {
		t.Errorf("only %d official examples", n)
	}
	t.Logf("%d rule examples, %d hyphen examples, %d dish names", len(rrRuleExamples), len(rrHyphenExamples), len(rrDishExamples))
}

// The mode matters only for an obstruent before ㅎ.
func TestRomanizeKoreanModes(t *testing.T) {
	cases := []struct {
		in          string
		noun, predi string
	}{
		{"잡혀", "japhyeo", "japyeo"},
		{"묵호", "mukho", "muko"},
		{"밝히다", "bakhida", "balkida"},
		{"앉히다", "anhida", "anchida"},
		{"좋고", "joko", "joko"},
		{"굳히다", "guchida", "guchida"},
		{"비빔밥", "bibimbap", "bibimbap"},
	}
	for _, c := range cases {
		if got := RomanizeKorean(c.in, Noun); got != c.noun {
			t.Errorf("noun %s = %q, want %q", c.in, got, c.noun)
		}
		if got := RomanizeKorean(c.in, Predicate); got != c.predi {
			t.Errorf("predicate %s = %q, want %q", c.in, got, c.predi)
		}
	}
}

// Further sound changes of the standard pronunciation that the rule
// reflects, on words of the menu domain.
func TestRomanizeKoreanSoundChanges(t *testing.T) {
	cases := map[string]string{
		"국물":      "gungmul",    // ㄱ+ㅁ nasalised
		"닭":       "dak",        // ㄺ at the end
		"닭이":      "dalgi",      // ㄺ before a vowel: both heard
		"값":       "gap",        // ㅄ at the end
		"값이":      "gapsi",      // ㅄ before a vowel
		"삶":       "sam",        // ㄻ at the end
		"좋아":      "joa",        // ㅎ before a vowel drops
		"않는":      "anneun",     // ㄶ+ㄴ
		"싫어":      "sireo",      // ㅀ before a vowel
		"뚫는":      "ttulleun",   // ㅀ+ㄴ
		"깻잎":      "kkaennip",   // ㄴ inserted before 잎
		"영어":      "yeongeo",    // ㅇ does not move
		"밖에":      "bakke",      // ㄲ moves over
		"협력":      "hyeomnyeok", // ㅂ+ㄹ
		"대통령":     "daetongnyeong",
		"칼날":      "kallal",    // ㄹ+ㄴ
		"물엿":      "mullyeot",  // ㄴ inserted, then ㄹ assimilation
		"맏형":      "mathyeong", // noun: ㄷ before ㅎ keeps the h
		"한라산":     "hallasan",  // ㄴ+ㄹ
		"생산량":     "saengsannyang",
		"김치찌개":    "gimchijjigae", // letter by letter; the glossary has kimchi-jjigae
		"1인분 비빔밥": "1inbun bibimbap",
		"":        "",
		"abc":     "abc",
	}
	for in, want := range cases {
		if got := RomanizeKorean(in, Noun); got != want {
			t.Errorf("RomanizeKorean(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every Hangul syllable romanizes to lower-case ASCII letters, alone and
// between two others.
func TestRomanizeKoreanAllSyllables(t *testing.T) {
	for r := rune(sBase); r <= sLast; r++ {
		for _, s := range []string{string(r), "가" + string(r) + "아", "갑" + string(r) + "닭"} {
			out := RomanizeKorean(s, Noun)
			if out == "" {
				t.Fatalf("%q romanized to nothing", s)
			}
			for _, c := range out {
				if c < 'a' || c > 'z' {
					t.Fatalf("%q romanized to %q", s, out)
				}
			}
		}
	}
}
