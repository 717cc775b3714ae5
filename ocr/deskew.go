package ocr

import (
	"image"
	"math"
)

// A menu photographed by hand is rarely level, and tesseract's uniform
// block mode (psm 6, see lang.go) reads a line that drifts by more than
// half a line height over the page as pieces of two lines: measured on
// the Korean fixture turned by 2.5°, 3 of 12 dish names came out. So the
// skew is measured and undone first. The measure is the classic
// projection profile: shear the ink's rows by each candidate angle and
// keep the angle whose row histogram is peakiest (text lines fall into
// few rows, gaps into empty ones).

const (
	maxSkewDeg  = 8       // beyond this a photo is more tilted than a hand holds it
	minSkewDeg  = 0.3     // below this rotating costs more than it gains
	skewSamples = 1 << 18 // ink pixels sampled: enough for a stable profile
)

// skewAngle returns the angle in degrees by which img's text lines rise
// to the right (positive: clockwise in image coordinates, y down), or 0.
func skewAngle(img *image.Gray, thr uint8) float64 {
	xs, ys := sampleInk(img, thr)
	if len(xs) == 0 { // a blank page: nothing to level
		return 0
	}
	best := peakiestAngle(newProfile(xs, ys, img.Bounds().Dx(), img.Bounds().Dy()).score)
	if math.Abs(best) < minSkewDeg {
		return 0
	}
	return best
}

// sampleInk returns the coordinates of every step-th pixel darker than
// thr, or nothing for a page with too little ink to have lines. Sampling
// bounds the search's cost on a large page (some 55 angles each project
// every sample) while keeping the profile's shape.
func sampleInk(img *image.Gray, thr uint8) (xs, ys []int32) {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	ink := 0
	for y := range h {
		for _, v := range img.Pix[y*img.Stride : y*img.Stride+w] {
			if v < thr {
				ink++
			}
		}
	}
	if ink < 100 {
		return nil, nil
	}
	step := max(1, ink/skewSamples)
	k := 0
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+w]
		for x, v := range row {
			if v < thr {
				if k%step == 0 {
					xs, ys = append(xs, int32(x)), append(ys, int32(y))
				}
				k++
			}
		}
	}
	return xs, ys
}

// profile is the projection profile of the sampled ink of a w×h page.
// Its histogram is allocated once and reused for every angle tried.
type profile struct {
	xs, ys []int32
	off    float64 // keeps the sheared row index positive
	hist   []float64
}

func newProfile(xs, ys []int32, w, h int) *profile {
	// Sheared by up to 45° either way, a row index spans h + 2w.
	return &profile{xs: xs, ys: ys, off: float64(w) + 1, hist: make([]float64, h+2*w+2)}
}

// score is the sum of squared row counts after shearing by deg: it is
// largest when the text lines fall into the fewest rows.
func (p *profile) score(deg float64) float64 {
	t := math.Tan(deg * math.Pi / 180)
	clear(p.hist)
	for i := range p.xs {
		r := int(float64(p.ys[i]) - float64(p.xs[i])*t + p.off)
		if r >= 0 && r < len(p.hist) {
			p.hist[r]++
		}
	}
	var s float64
	for _, n := range p.hist {
		s += n * n
	}
	return s
}

// peakiestAngle searches ±maxSkewDeg for the angle of highest score.
// Coarse then fine (0.5° steps, then 0.05° around the best) costs some
// 55 scores where 0.05° steps throughout would cost 321. Level wins ties,
// so a page that no angle improves is left alone.
func peakiestAngle(score func(deg float64) float64) float64 {
	best, bestScore := 0.0, score(0)
	for d := -float64(maxSkewDeg); d <= maxSkewDeg; d += 0.5 {
		if s := score(d); s > bestScore {
			best, bestScore = d, s
		}
	}
	c := best
	for d := c - 0.5; d <= c+0.5; d += 0.05 {
		if s := score(d); s > bestScore {
			best, bestScore = d, s
		}
	}
	return best
}

// rotateGray turns img by deg degrees (clockwise positive, as skewAngle
// measures, so pass the negated skew to level it) onto a canvas grown to
// hold every source pixel, filling the corners with the paper colour.
func rotateGray(img *image.Gray, deg float64, paper uint8) *image.Gray {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	sin, cos := math.Sincos(deg * math.Pi / 180)
	dw := int(math.Ceil(math.Abs(float64(w)*cos) + math.Abs(float64(h)*sin)))
	dh := int(math.Ceil(math.Abs(float64(w)*sin) + math.Abs(float64(h)*cos)))
	dst := image.NewGray(image.Rect(0, 0, dw, dh))
	scx, scy := float64(w)/2, float64(h)/2
	dcx, dcy := float64(dw)/2, float64(dh)/2
	for y := range dh {
		row := dst.Pix[y*dst.Stride : y*dst.Stride+dw]
		fy := float64(y) + 0.5 - dcy
		for x := range row {
			fx := float64(x) + 0.5 - dcx
			// Inverse rotation: where in the source this pixel comes from.
			sx := fx*cos + fy*sin + scx - 0.5
			sy := -fx*sin + fy*cos + scy - 0.5
			row[x] = bilinear(img, sx, sy, paper)
		}
	}
	return dst
}

func bilinear(img *image.Gray, x, y float64, paper uint8) uint8 {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	if x0 >= 0 && y0 >= 0 && x0+1 < w && y0+1 < h { // inside: no bounds checks
		i := y0*img.Stride + x0
		p := img.Pix[i : i+img.Stride+2]
		top := float64(p[0])*(1-fx) + float64(p[1])*fx
		bot := float64(p[img.Stride])*(1-fx) + float64(p[img.Stride+1])*fx
		return uint8(top*(1-fy) + bot*fy + 0.5)
	}
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return float64(paper)
		}
		return float64(img.Pix[y*img.Stride+x])
	}
	top := at(x0, y0)*(1-fx) + at(x0+1, y0)*fx
	bot := at(x0, y0+1)*(1-fx) + at(x0+1, y0+1)*fx
	return uint8(math.Round(top*(1-fy) + bot*fy))
}
