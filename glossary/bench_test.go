package glossary

import "testing"

var benchNames = []string{"김치찌개", "해물 순두부찌개 (2인분)", "豚骨ラーメン", "紅燒牛肉麵", "phở bò tái", "ข้าวผัดกุ้ง", "우설 구이"}

func BenchmarkLookup(b *testing.B) {
	g := Default() // loaded once, outside the loop
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.Lookup(benchNames[i%len(benchNames)])
	}
}

func BenchmarkLookupExact(b *testing.B) {
	g := Default()
	b.ReportAllocs()
	for b.Loop() {
		g.Lookup("김치찌개")
	}
}

func BenchmarkLookupHead(b *testing.B) {
	g := Default()
	b.ReportAllocs()
	for b.Loop() {
		g.Lookup("해물 순두부찌개")
	}
}

func BenchmarkRomanize(b *testing.B) {
	g := Default()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.Romanize(benchNames[i%len(benchNames)])
	}
}

func BenchmarkRomanizeKorean(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		RomanizeKorean("왕십리 콩나물국밥", Noun)
	}
}

func BenchmarkRomanizeKana(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		RomanizeKana("とんこつらーめん")
	}
}

// BenchmarkLoad is the one-time cost of parsing the embedded data.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadEmbedded(); err != nil {
			b.Fatal(err)
		}
	}
}
