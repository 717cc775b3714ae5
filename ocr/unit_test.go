package ocr

import (
	"bytes"
	"context"
	"image"
	"math"
	"reflect"
	"testing"
	"time"
)

func TestJPEGOrientation(t *testing.T) {
	jpg := encodeJPEG(t, image.NewGray(image.Rect(0, 0, 8, 8)), 90)
	for o := uint16(1); o <= 8; o++ {
		for _, order := range []string{"II", "MM"} {
			if got := jpegOrientation(withEXIF(jpg, o, order)); got != int(o) {
				t.Errorf("%s orientation %d: got %d", order, o, got)
			}
		}
	}
	bad := withEXIF(jpg, 6, "II")
	bad[16], bad[17] = 0xff, 0xff // IFD0 offset (II): far past the segment
	for name, b := range map[string][]byte{
		"no exif":        jpg,
		"out of range":   withEXIF(jpg, 9, "MM"),
		"bad ifd offset": bad,
		"truncated":      withEXIF(jpg, 6, "II")[:20],
		"not jpeg":       []byte("\x89PNG\r\n\x1a\n"),
		"empty":          nil,
	} {
		if got := jpegOrientation(b); got != 1 {
			t.Errorf("%s: got %d, want 1", name, got)
		}
	}
}

func FuzzJPEGOrientation(f *testing.F) {
	jpg := encodeJPEG(f, image.NewGray(image.Rect(0, 0, 8, 8)), 90)
	f.Add(withEXIF(jpg, 6, "II"))
	f.Add(withEXIF(jpg, 3, "MM")[:40])
	f.Fuzz(func(t *testing.T, b []byte) {
		if o := jpegOrientation(b); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

// TestOrient checks all eight EXIF orientations on a 3×2 image against
// the tag's definition: where the stored row 0 and column 0 end up.
func TestOrient(t *testing.T) {
	// stored:  1 2 3
	//          4 5 6
	src := &image.Gray{Pix: []uint8{1, 2, 3, 4, 5, 6}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}
	want := map[int][]uint8{ // displayed, row by row
		1: {1, 2, 3, 4, 5, 6},
		2: {3, 2, 1, 6, 5, 4}, // mirrored
		3: {6, 5, 4, 3, 2, 1}, // turned 180°
		4: {4, 5, 6, 1, 2, 3}, // flipped
		5: {1, 4, 2, 5, 3, 6}, // transposed: 2 wide, 3 high
		6: {4, 1, 5, 2, 6, 3}, // turned 90° clockwise
		7: {6, 3, 5, 2, 4, 1}, // transverse
		8: {3, 6, 2, 5, 1, 4}, // turned 90° counter-clockwise
	}
	for o, w := range want {
		got := orient(src, o)
		if !bytes.Equal(got.Pix, w) {
			t.Errorf("orientation %d: %v, want %v", o, got.Pix, w)
		}
		if o >= 5 && got.Bounds().Dx() != 2 {
			t.Errorf("orientation %d: %v, want 2×3", o, got.Bounds())
		}
	}
	// The fixture helper stores an upright image as a camera would.
	for _, o := range []int{6, 8} {
		if got := orient(stored(src, o), o); !bytes.Equal(got.Pix, src.Pix) {
			t.Errorf("orient(stored(img, %d)) = %v", o, got.Pix)
		}
	}
}

func TestCanonicalLang(t *testing.T) {
	for tag, want := range map[string]string{
		"ko": "ko", "ko-KR": "ko", "JA": "ja", "ja_JP": "ja", "zh": "zh-Hans", "zh-CN": "zh-Hans",
		"zh-Hans": "zh-Hans", "zh-hans-sg": "zh-Hans", "zh-TW": "zh-Hant", "zh-Hant-HK": "zh-Hant",
		"zh-HK": "zh-Hant", "th": "th", "vi-VN": "vi", "en-GB": "en", "fr": "", "": "", "-": "",
	} {
		if got := canonicalLang(tag); got != want {
			t.Errorf("canonicalLang(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestTargetSize(t *testing.T) {
	for _, c := range []struct{ w, h, ww, wh int }{
		{4032, 3024, 3000, 2250}, // phone photo: down
		{2000, 1500, 2000, 1500}, // in range: untouched
		{1100, 964, 1600, 1402},  // the fixtures: up
		{300, 200, 1200, 800},    // tiny: up at most 4×
		{50000, 10, 3000, 1},     // a sliver stays at least a pixel
	} {
		if w, h := targetSize(c.w, c.h, minSide, maxSide); w != c.ww || h != c.wh {
			t.Errorf("targetSize(%d, %d) = %d×%d, want %d×%d", c.w, c.h, w, h, c.ww, c.wh)
		}
	}
}

func TestResize(t *testing.T) {
	// A uniform image stays exactly uniform both ways; a step edge stays
	// monotonic.
	flat := image.NewGray(image.Rect(0, 0, 37, 23))
	for i := range flat.Pix {
		flat.Pix[i] = 200
	}
	for _, size := range [][2]int{{11, 7}, {100, 61}} {
		for _, v := range resize(flat, size[0], size[1]).Pix {
			if v != 200 {
				t.Fatalf("resize to %v changed a flat grey to %d", size, v)
			}
		}
	}
	step := image.NewGray(image.Rect(0, 0, 40, 1))
	for x := 20; x < 40; x++ {
		step.Pix[x] = 255
	}
	for _, w := range []int{13, 97} {
		got := resize(step, w, 1).Pix
		for i := 1; i < len(got); i++ {
			if got[i] < got[i-1] {
				t.Fatalf("resize to %d: not monotonic: %v", w, got)
			}
		}
		if got[0] != 0 || got[len(got)-1] != 255 {
			t.Errorf("resize to %d: ends %d, %d", w, got[0], got[len(got)-1])
		}
	}
}

// TestRemoveLeaders: the dots of every leader go, the letters and the
// periods inside prices stay.
func TestRemoveLeaders(t *testing.T) {
	for _, m := range []menu{menuKorean, menuVietnamese, menuEnglish} {
		img := m.render(t)
		before := img.Pix
		img = &image.Gray{Pix: bytes.Clone(before), Stride: img.Stride, Rect: img.Rect}
		n := removeLeaders(img)
		// A leader has ≥ 30 dots at this width; a few dot-like letters
		// ('i' without its stem is not one) must not go.
		if n < 30*len(m.dishes) {
			t.Errorf("%s: erased %d dots, want ≥ %d", m.title, n, 30*len(m.dishes))
		}
		thr, _ := otsu(img)
		var dots int
		for _, b := range blobs(img, thr, 1<<30) {
			if b.dot(img.Bounds().Dx() / 80) {
				dots++
			}
		}
		// What is left: the periods in "65.000" or "$9.50" and letters'
		// dots (i, ị): fewer than two a line.
		if dots > 2*len(m.dishes)+4 {
			t.Errorf("%s: %d dot-like blobs left", m.title, dots)
		}
	}
}

func TestSkewAngle(t *testing.T) {
	img := menuKorean.render(t)
	thr, paper := otsu(img)
	for _, deg := range []float64{0, 2.5, -4} {
		tilted := img
		if deg != 0 {
			tilted = rotate(img, deg)
		}
		got := skewAngle(tilted, thr)
		if math.Abs(got-deg) > 0.3 {
			t.Errorf("skew of a page turned %.1f°: measured %.2f°", deg, got)
		}
		if deg != 0 {
			if back := skewAngle(rotateGray(tilted, -got, paper), thr); back != 0 {
				t.Errorf("levelled page still skewed %.2f°", back)
			}
		}
	}
}

func TestLines(t *testing.T) {
	tsv := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\t醤油\n" +
		"5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t60\tラー\n" +
		"5\t1\t1\t1\t1\t3\t0\t0\t10\t10\t90\t850\n" +
		"5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t95\t \n" +
		"5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t80\tตํา\n"
	txt := "醤油ラー  850\n\nตํา\n\f"
	want := []Line{{"醤油ラー\t850", (90*2 + 60*2 + 90*3) / 7.0 / 100}, {"ตำ", 0.8}}
	if got := lines(txt, tsv); !reflect.DeepEqual(got, want) {
		t.Errorf("lines = %+v, want %+v", got, want)
	}
	// Text and TSV disagree on the line count: the TSV words alone.
	if got := lines("one line only", tsv); len(got) != 2 || got[0].Text != "醤油ラー 850" {
		t.Errorf("fallback lines = %+v", got)
	}
	if got := cleanLine("비빔밥   12,.000원"); got != "비빔밥\t12,000원" {
		t.Errorf("cleanLine = %q", got)
	}
}

func TestScriptHelpers(t *testing.T) {
	if !hasKana("醤油ラーメン 850円") || hasKana("宫保鸡丁 38元") || hasKana("Tea") {
		t.Error("hasKana")
	}
	if !vietnamese("Phở bò 65.000đ") || vietnamese("Caesar Salad $9.50") {
		t.Error("vietnamese")
	}
	out := []byte("Page number: 0\nOrientation in degrees: 0\nRotate: 0\nOrientation confidence: 1.14\nScript: Korean\nScript confidence: 0.50\n")
	if s := osdScript(out); s != "Korean" || scriptLang(s) != "ko" {
		t.Errorf("osdScript = %q", s)
	}
	if scriptLang("Cyrillic") != "" || scriptLang("Han") != "cjk" || scriptLang("Japanese") != "cjk" {
		t.Error("scriptLang")
	}
}

func TestLimiterRetryAfter(t *testing.T) {
	l := newLimiter(2, 4)
	if d := l.retryAfter(); d != 0 {
		t.Errorf("slots free: %v, want 0", d)
	}
	var releases []func()
	for range 2 {
		release, err := l.acquire(context.Background(), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	// Before any scan finished, a round is typicalScan; a newcomer waits
	// one round for itself and one per full round queued ahead.
	for waiting, want := range map[int64]time.Duration{0: time.Second, 1: time.Second, 2: 2 * time.Second, 4: 3 * time.Second} {
		l.waiting.Store(waiting)
		if d := l.retryAfter(); d != want {
			t.Errorf("2 running, %d waiting: %v, want %v", waiting, d, want)
		}
	}
	l.waiting.Store(0)
	// A release records the hold: far shorter than a second here, so the
	// average falls.
	releases[0]()
	if h := time.Duration(l.hold.Load()); h >= typicalScan || h <= 0 {
		t.Errorf("after a short scan the average hold is %v", h)
	}
	if d := l.retryAfter(); d != 0 {
		t.Errorf("a slot free again: %v, want 0", d)
	}
	releases[1]()
	// The average follows the scans actually seen.
	for range 100 {
		l.observe(200 * time.Millisecond)
	}
	if h := time.Duration(l.hold.Load()); h < 199*time.Millisecond || h > 201*time.Millisecond {
		t.Errorf("after many 200 ms scans the average hold is %v", h)
	}
}
