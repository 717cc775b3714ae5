package ocr

// Test fixtures: menus rendered by internal/menuimage with the Noto
// fonts, so the OCR tests need no binary files in the repo and the
// expected text is known exactly. These are the package's short names
// for it.

import (
	"errors"
	"image"
	"strings"
	"testing"

	"github.com/menusync/menusync/internal/menuimage"
)

type script = menuimage.Script

const (
	scriptKR    = menuimage.KR
	scriptJP    = menuimage.JP
	scriptSC    = menuimage.SC
	scriptTC    = menuimage.TC
	scriptThai  = menuimage.Thai
	scriptLatin = menuimage.Latin
)

type dish struct{ name, price string }

// menu is one fixture's content and layout.
type menu struct {
	script  script
	title   string
	dishes  []dish
	columns int // 1 or 2
}

// loadFonts skips the test (fails it under MENUSYNC_TEST_STRICT) when
// Debian's Noto packages are not installed.
func loadFonts(t testing.TB) {
	t.Helper()
	if err := menuimage.FontsInstalled(); err != nil {
		missing(t, err.Error())
	}
}

func (m menu) render(t testing.TB) *image.Gray {
	t.Helper()
	loadFonts(t)
	dishes := make([]menuimage.Dish, len(m.dishes))
	for i, d := range m.dishes {
		dishes[i] = menuimage.Dish{Name: d.name, Price: d.price}
	}
	img, err := menuimage.Menu{Script: m.script, Title: m.title, Dishes: dishes, Columns: m.columns}.Render()
	if errors.Is(err, menuimage.ErrNoFonts) {
		missing(t, err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	return img
}

var (
	rotate   = menuimage.Rotate
	addNoise = menuimage.AddNoise
	stored   = menuimage.Stored
	toRGBA   = menuimage.ToRGBA
)

// normText removes every space, as the recognition rates compare text
// without them: tesseract's spacing inside CJK words varies.
func normText(s string) string {
	return strings.Join(strings.Fields(s), "")
}
