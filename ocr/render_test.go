package ocr

// Test fixtures: menus rendered here with the Noto fonts, so the OCR tests
// need no binary files in the repo and the expected text is known exactly.

import (
	"fmt"
	"image"
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/math/fixed"
)

// Debian's fonts-noto-cjk and fonts-noto-core.
const (
	fontCJK   = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
	fontLatin = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
	fontThai  = "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf"
)

// script names a font stack: the first font that has a rune's glyph
// draws it, so digits and Latin in a Thai menu come from Noto Sans.
type script string

const (
	scriptKR    script = "KR"
	scriptJP    script = "JP"
	scriptSC    script = "SC"
	scriptTC    script = "TC"
	scriptThai  script = "Thai"
	scriptLatin script = "Latin"
)

type fontSet struct {
	once sync.Once
	err  error
	cjk  map[script]*sfnt.Font // by the "CJK KR" etc. in the family name
	lat  *sfnt.Font
	thai *sfnt.Font
}

var fonts fontSet

// loadFonts parses the font files once per test binary, or skips the test
// when Debian's Noto packages are not installed.
func loadFonts(t testing.TB) *fontSet {
	t.Helper()
	for _, p := range []string{fontCJK, fontLatin, fontThai} {
		if _, err := os.Stat(p); err != nil {
			missing(t, fmt.Sprintf("font %s missing (apt-get install fonts-noto-cjk fonts-noto-core): %v", p, err))
		}
	}
	fonts.once.Do(func() {
		fonts.cjk = map[script]*sfnt.Font{}
		b, err := os.ReadFile(fontCJK)
		if err != nil {
			fonts.err = err
			return
		}
		c, err := opentype.ParseCollection(b)
		if err != nil {
			fonts.err = err
			return
		}
		for i := range c.NumFonts() {
			f, err := c.Font(i)
			if err != nil {
				fonts.err = err
				return
			}
			name, _ := f.Name(nil, sfnt.NameIDFamily)
			for _, s := range []script{scriptKR, scriptJP, scriptSC, scriptTC} {
				// "Noto Sans CJK KR", not "Noto Sans Mono CJK KR".
				if name == "Noto Sans CJK "+string(s) {
					fonts.cjk[s] = f
				}
			}
		}
		if fonts.lat, fonts.err = parseFontFile(fontLatin); fonts.err != nil {
			return
		}
		fonts.thai, fonts.err = parseFontFile(fontThai)
	})
	if fonts.err != nil {
		t.Fatalf("fonts: %v", fonts.err)
	}
	return &fonts
}

func parseFontFile(path string) (*sfnt.Font, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return opentype.Parse(b)
}

// face is a font stack at one size.
type face struct {
	fonts []*sfnt.Font
	faces []font.Face
}

func (fs *fontSet) face(t testing.TB, s script, size float64) *face {
	t.Helper()
	var stack []*sfnt.Font
	switch s {
	case scriptThai:
		stack = []*sfnt.Font{fs.thai, fs.lat}
	case scriptLatin:
		stack = []*sfnt.Font{fs.lat}
	default:
		f := fs.cjk[s]
		if f == nil {
			t.Fatalf("no Noto Sans CJK %s in %s", s, fontCJK)
		}
		stack = []*sfnt.Font{f}
	}
	fc := &face{fonts: stack}
	for _, f := range stack {
		ff, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			t.Fatal(err)
		}
		fc.faces = append(fc.faces, ff)
	}
	return fc
}

func (f *face) pick(r rune) font.Face {
	var buf sfnt.Buffer
	for i, ft := range f.fonts {
		if x, err := ft.GlyphIndex(&buf, r); err == nil && x != 0 {
			return f.faces[i]
		}
	}
	return f.faces[0]
}

// width is the advance of s in pixels.
func (f *face) width(s string) int {
	var w fixed.Int26_6
	for _, r := range s {
		a, _ := f.pick(r).GlyphAdvance(r)
		w += a
	}
	return w.Ceil()
}

// draw writes s with its baseline at (x, y). No shaping: Thai marks have
// zero advance in Noto Sans Thai and land on their base letter, which is
// close enough to a printed menu for OCR.
func (f *face) draw(dst draw.Image, x, y int, s string) {
	dot := fixed.P(x, y)
	for _, r := range s {
		fc := f.pick(r)
		dr, mask, mp, adv, ok := fc.Glyph(dot, r)
		if ok {
			draw.DrawMask(dst, dr, image.Black, image.Point{}, mask, mp, draw.Over)
		}
		dot.X += adv
	}
}

type dish struct{ name, price string }

// menu is one fixture's content and layout.
type menu struct {
	script  script
	title   string
	dishes  []dish
	columns int // 1 or 2
}

// render lays the menu out like a printed card: a title, then one dish a
// line with a dotted leader to its right-aligned price.
func (m menu) render(t testing.TB) *image.Gray {
	t.Helper()
	fs := loadFonts(t)
	const (
		width  = 1100
		margin = 60
		size   = 34
		lineH  = 62
	)
	cols := max(m.columns, 1)
	body := fs.face(t, m.script, size)
	head := fs.face(t, m.script, 50)
	rows := (len(m.dishes) + cols - 1) / cols
	height := margin*2 + 100 + rows*lineH
	img := image.NewGray(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	head.draw(img, (width-head.width(m.title))/2, margin+50, m.title)

	colW := (width - margin*(cols+1)) / cols
	dotW := body.width(".")
	for i, d := range m.dishes {
		col, row := i/rows, i%rows
		x0 := margin + col*(colW+margin)
		x1 := x0 + colW
		y := margin + 100 + (row+1)*lineH - 14
		body.draw(img, x0, y, d.name)
		pw := body.width(d.price)
		body.draw(img, x1-pw, y, d.price)
		// The leader: dots spaced like a typeset menu, clear of both texts.
		for x := x0 + body.width(d.name) + 16; x+dotW < x1-pw-16; x += dotW * 2 {
			body.draw(img, x, y, ".")
		}
	}
	return img
}

// rotate turns img by deg degrees about its centre onto a white canvas of
// the same size, bilinearly, like a phone held slightly askew.
func rotate(img *image.Gray, deg float64) *image.Gray {
	b := img.Bounds()
	dst := image.NewGray(b)
	draw.Draw(dst, b, image.White, image.Point{}, draw.Src)
	s, c := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	// dst = R·(src − centre) + centre
	m := f64.Aff3{c, -s, cx - c*cx + s*cy, s, c, cy - s*cx - c*cy}
	draw.BiLinear.Transform(dst, m, img, b, draw.Over, nil)
	return dst
}

// addNoise adds roughly gaussian noise of the given standard deviation
// (a sum of uniforms, deterministic) and a faint grey cast, like a photo
// of paper under a restaurant's light.
func addNoise(img *image.Gray, sigma float64) *image.Gray {
	dst := image.NewGray(img.Bounds())
	seed := uint32(2463534242)
	next := func() float64 { // xorshift32, uniform in [0,1)
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		return float64(seed) / (1 << 32)
	}
	for i, v := range img.Pix {
		n := (next() + next() + next() + next() - 2) * math.Sqrt(3) * sigma
		g := float64(v)*0.8 + 30 + n
		dst.Pix[i] = uint8(max(0, min(255, math.Round(g))))
	}
	return dst
}

// stored returns the pixels a camera would store for an upright scene
// when it writes EXIF orientation o: the inverse of what Scan applies.
func stored(img *image.Gray, o int) *image.Gray {
	switch o {
	case 6: // displayed after a 90° clockwise turn: stored turned counter-clockwise
		return turn(img, false)
	case 8:
		return turn(img, true)
	}
	return img
}

// turn rotates by 90°, clockwise or not.
func turn(img *image.Gray, clockwise bool) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dst := image.NewGray(image.Rect(0, 0, h, w))
	for y := range h {
		for x := range w {
			v := img.Pix[y*img.Stride+x]
			if clockwise {
				dst.Pix[x*dst.Stride+(h-1-y)] = v
			} else {
				dst.Pix[(w-1-x)*dst.Stride+y] = v
			}
		}
	}
	return dst
}

// toRGBA returns img as RGBA, so encoders write colour files like a
// phone's rather than the greyscale ones Scan has a shortcut for.
func toRGBA(img image.Image) *image.RGBA {
	dst := image.NewRGBA(img.Bounds())
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Src)
	// a warm paper tint, so the greyscale conversion has work to do
	for i := 0; i < len(dst.Pix); i += 4 {
		dst.Pix[i+2] = uint8(float64(dst.Pix[i+2]) * 0.85)
	}
	return dst
}

// normText removes every space, as the recognition rates compare text
// without them: tesseract's spacing inside CJK words varies.
func normText(s string) string {
	return strings.Join(strings.Fields(s), "")
}
