package menutext

import (
	"fmt"
	"strings"
	"testing"
)

// A 100-line pasted Korean menu mixing the shapes readLines meets most.
func benchMenu() string {
	shapes := []string{
		"김치찌개 %d ··········· %d,000원",
		"비빔밥, 돌솥 %d, ₩%d,500",
		"불고기 (%d인분) ........ %d,000",
		"해물파전 %d\t%d000원",
		"냉면 %d | %d,000 | 육수, 면",
	}
	var b strings.Builder
	for i := 0; i < 100; i++ {
		if i%20 == 0 {
			b.WriteString("[식사]\n")
			continue
		}
		fmt.Fprintf(&b, shapes[i%len(shapes)]+"\n", i, 5+i%40)
	}
	return b.String()
}

func BenchmarkParse(b *testing.B) {
	menu := benchMenu()
	if d := Parse(menu, Options{}); len(d.Items) != 95 || d.Currency != "KRW" || len(d.Warnings) != 5 {
		b.Fatalf("the benchmark menu does not read as intended:\n%s", dump(d))
	}
	b.SetBytes(int64(len(menu)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(menu, Options{})
	}
}
