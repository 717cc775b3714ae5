package menuimage

import (
	"image"
	"math"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// Dish is one line of a menu: the name as printed, and the price as
// printed ("12,000원").
type Dish struct{ Name, Price string }

// Menu is a printed menu's content and layout.
type Menu struct {
	Script  Script
	Title   string
	Dishes  []Dish
	Columns int // 1 or 2
}

// Render lays the menu out like a printed card: a title, then one dish a
// line with a dotted leader to its right-aligned price.
func (m Menu) Render() (*image.Gray, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	const (
		width  = 1100
		margin = 60
		size   = 34
		lineH  = 62
	)
	cols := max(m.Columns, 1)
	body, err := fs.face(m.Script, size)
	if err != nil {
		return nil, err
	}
	head, err := fs.face(m.Script, 50)
	if err != nil {
		return nil, err
	}
	rows := (len(m.Dishes) + cols - 1) / cols
	height := margin*2 + 100 + rows*lineH
	img := image.NewGray(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	head.draw(img, (width-head.width(m.Title))/2, margin+50, m.Title)

	colW := (width - margin*(cols+1)) / cols
	dotW := body.width(".")
	for i, d := range m.Dishes {
		col, row := i/rows, i%rows
		x0 := margin + col*(colW+margin)
		x1 := x0 + colW
		y := margin + 100 + (row+1)*lineH - 14
		body.draw(img, x0, y, d.Name)
		pw := body.width(d.Price)
		body.draw(img, x1-pw, y, d.Price)
		// The leader: dots spaced like a typeset menu, clear of both texts.
		for x := x0 + body.width(d.Name) + 16; x+dotW < x1-pw-16; x += dotW * 2 {
			body.draw(img, x, y, ".")
		}
	}
	return img, nil
}

// Rotate turns img by deg degrees about its centre onto a white canvas of
// the same size, bilinearly, like a phone held slightly askew.
func Rotate(img *image.Gray, deg float64) *image.Gray {
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

// AddNoise adds roughly gaussian noise of the given standard deviation
// (a sum of uniforms, deterministic) and a faint grey cast, like a photo
// of paper under a restaurant's light.
func AddNoise(img *image.Gray, sigma float64) *image.Gray {
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

// Stored returns the pixels a camera would store for an upright scene
// when it writes EXIF orientation o: the inverse of what Scan applies.
func Stored(img *image.Gray, o int) *image.Gray {
	switch o {
	case 6: // displayed after a 90° clockwise turn: stored turned counter-clockwise
		return Turn(img, false)
	case 8:
		return Turn(img, true)
	}
	return img
}

// Turn rotates by 90°, clockwise or not.
func Turn(img *image.Gray, clockwise bool) *image.Gray {
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

// ToRGBA returns img as RGBA, so encoders write colour files like a
// phone's rather than the greyscale ones Scan has a shortcut for.
func ToRGBA(img image.Image) *image.RGBA {
	dst := image.NewRGBA(img.Bounds())
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Src)
	// a warm paper tint, so the greyscale conversion has work to do
	for i := 0; i < len(dst.Pix); i += 4 {
		dst.Pix[i+2] = uint8(float64(dst.Pix[i+2]) * 0.85)
	}
	return dst
}
