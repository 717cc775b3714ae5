package glossary

import "testing"

func TestRomanizeDishNames(t *testing.T) {
	cases := []struct {
		printed, want string
		complete      bool
	}{
		// required
		{"비빔밥", "bibimbap", true},
		{"김치찌개", "kimchi-jjigae", true},
		{"떡볶이", "tteokbokki", true},
		{"설렁탕", "seolleongtang", true},
		// the glossary's romanization wins over the letter-by-letter one
		{"김치 찌게 (2인분)", "kimchi-jjigae", true},
		{"물냉면", "mul-naengmyeon", true},
		{"닭갈비", "dak-galbi", true},
		// head matches: modifier and head, hyphenated in Korean
		{"해물 순두부찌개", "haemul-sundubu-jjigae", true},
		{"치즈 떡볶이", "chijeu-tteokbokki", true},
		{"따로국밥", "ttaro-gukbap", true},
		{"豚骨ラーメン", "tonkotsu ramen", true},
		{"味玉ラーメン", "ajitama ramen", true},
		{"黒胡麻ラーメン", "ramen", false}, // kanji modifier outside the glossary
		{"phở bò tái", "pho bo tai", true},
		{"ข้าวผัดกุ้ง", "khao pad goong", true},
		// outside the glossary: the Revised Romanization with a hyphen
		// before the generic dish word, or Hepburn
		{"우렁된장찌개", "ureong-doenjang-jjigae", true},
		{"묵은지 김치찜", "mugeunji gimchi-jjim", true},
		{"황태 미역국", "hwangtae-miyeok-guk", true},
		{"고기만두국", "gogi-mandu-guk", true},
		// another word for the dish is said as printed
		{"순두부", "sundubu", true},
		{"돈까스", "donkkaseu", true},
		{"평양냉면", "pyeongyang-naengmyeon", true},
		{"떡뽁이", "tteokbokki", true},
		{"拉麺", "ramen", true},
		{"묵무침", "muk-muchim", true},
		{"콩밥", "kongbap", true},
		{"たこわさ", "takowasa", true},
		{"ほっけ焼き", "hokke焼ki", false},
		// a translation is said as its script reads: 맥주 on a Korean menu
		{"맥주", "maekju", true},
		{"마라탕", "mara-tang", true},
		{"ビビンバ", "bibimba", true},
		// nothing to say
		{"夫妻肺片", "", false},
		{"Rau muống xào tỏi", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, complete := Romanize(c.printed)
		if got != c.want || complete != c.complete {
			t.Errorf("Romanize(%q) = %q, %v; want %q, %v", c.printed, got, complete, c.want, c.complete)
		}
	}
}

// Every entry's own name romanizes to its romanization.
func TestRomanizeEveryEntry(t *testing.T) {
	g := Default()
	for _, e := range g.Entries() {
		if got, ok := g.Romanize(e.Name); got != e.Romanized || !ok {
			t.Errorf("Romanize(%s) = %q, %v; want %q", e.Name, got, ok, e.Romanized)
		}
	}
}
