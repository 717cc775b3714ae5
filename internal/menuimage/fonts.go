package menuimage

import (
	"errors"
	"fmt"
	"image"
	"os"
	"sync"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Debian's fonts-noto-cjk and fonts-noto-core.
const (
	fontCJK   = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
	fontLatin = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
	fontThai  = "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf"
)

// Script names a font stack: the first font that has a rune's glyph
// draws it, so digits and Latin in a Thai menu come from Noto Sans.
type Script string

const (
	KR    Script = "KR" // Korean (Noto Sans CJK KR)
	JP    Script = "JP"
	SC    Script = "SC" // Simplified Chinese
	TC    Script = "TC" // Traditional Chinese
	Thai  Script = "Thai"
	Latin Script = "Latin"
)

type fontSet struct {
	once sync.Once
	err  error
	cjk  map[Script]*sfnt.Font // by the "CJK KR" etc. in the family name
	lat  *sfnt.Font
	thai *sfnt.Font
}

var fonts fontSet

// ErrNoFonts: Debian's Noto packages are not installed.
var ErrNoFonts = errors.New("the Noto fonts are missing (apt-get install fonts-noto-cjk fonts-noto-core)")

// FontsInstalled reports whether the fonts are there, and which is not.
func FontsInstalled() error {
	for _, p := range []string{fontCJK, fontLatin, fontThai} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%w: %s", ErrNoFonts, p)
		}
	}
	return nil
}

// loadFonts parses the font files once per process.
func loadFonts() (*fontSet, error) {
	if err := FontsInstalled(); err != nil {
		return nil, err
	}
	fonts.once.Do(func() {
		fonts.cjk = map[Script]*sfnt.Font{}
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
			for _, s := range []Script{KR, JP, SC, TC} {
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
		return nil, fmt.Errorf("fonts: %w", fonts.err)
	}
	return &fonts, nil
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

func (fs *fontSet) face(s Script, size float64) (*face, error) {
	var stack []*sfnt.Font
	switch s {
	case Thai:
		stack = []*sfnt.Font{fs.thai, fs.lat}
	case Latin:
		stack = []*sfnt.Font{fs.lat}
	default:
		f := fs.cjk[s]
		if f == nil {
			return nil, fmt.Errorf("no Noto Sans CJK %s in %s", s, fontCJK)
		}
		stack = []*sfnt.Font{f}
	}
	fc := &face{fonts: stack}
	for _, f := range stack {
		ff, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		fc.faces = append(fc.faces, ff)
	}
	return fc, nil
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
