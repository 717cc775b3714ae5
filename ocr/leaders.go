package ocr

import (
	"image"
	"slices"
)

// Dotted leaders ("비빔밥 ........ 12,000원") are the worst thing on a
// printed menu for tesseract: measured on the Korean fixture, it reads the
// dots as runs of "이", "2" and "0" glued to the dish and the price (3 of
// 12 prices right) and at a smaller scale drops whole lines. So the
// dots are erased before OCR: a leader is a horizontal run of at least
// minLeaderDots small, solid, equally sized blobs at a regular pitch, which
// no letter, digit or diacritic forms (a lone period, an ellipsis, Thai
// and Vietnamese marks are too few or irregular to qualify).

const (
	minLeaderDots = 5
	// Blob shape: nearly square and mostly ink, unlike "0", "ㅇ" or "ー".
	maxDotAspect = 2.0
	minDotFill   = 0.55
	// Pitch: dots stand apart (not a dashed rule or a bold bar) but close.
	minPitch = 1.5 // × dot width
	maxPitch = 7.0
)

type blob struct {
	x0, y0, x1, y1 int // bounding box, x1/y1 exclusive
	n              int // ink pixels
}

func (b blob) w() int  { return b.x1 - b.x0 }
func (b blob) h() int  { return b.y1 - b.y0 }
func (b blob) cx() int { return (b.x0 + b.x1) / 2 }
func (b blob) cy() int { return (b.y0 + b.y1) / 2 }
func (b blob) dot(maxSide int) bool {
	w, h := b.w(), b.h()
	if w < 2 || h < 2 || w > maxSide || h > maxSide {
		return false
	}
	if float64(max(w, h)) > maxDotAspect*float64(min(w, h)) {
		return false
	}
	return float64(b.n) >= minDotFill*float64(w*h)
}

// removeLeaders erases dotted leaders from img in place and reports how
// many dots it erased.
func removeLeaders(img *image.Gray) int {
	thr, paper := otsu(img)
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	// A dot bigger than 1/80 of the long side would be a bullet or a
	// photo's blotch, not type.
	maxSide := max(4, max(w, h)/80)
	var dots []blob
	for _, b := range blobs(img, thr, maxSide*3) {
		if b.dot(maxSide) {
			dots = append(dots, b)
		}
	}
	erased := 0
	for _, chain := range chains(dots) {
		for _, d := range chain {
			fill(img, d, paper)
			erased++
		}
	}
	return erased
}

// chains groups dots into leaders: scanning left to right, a dot extends
// the chain whose last dot is level with it, of the same size, one pitch
// away; chains too short or too irregular are dropped.
func chains(dots []blob) [][]blob {
	slices.SortFunc(dots, func(a, b blob) int { return a.x0 - b.x0 })
	var open, done [][]blob
	for _, d := range dots {
		best := -1
		for i, c := range open {
			last := c[len(c)-1]
			gap := d.cx() - last.cx()
			size := max(last.w(), last.h(), d.w(), d.h())
			if gap < int(minPitch*float64(min(last.w(), d.w()))) || gap > int(maxPitch*float64(size)) {
				continue
			}
			if abs(d.cy()-last.cy()) > max(1, size/2) || abs(d.w()-last.w()) > max(1, size/3) || abs(d.h()-last.h()) > max(1, size/3) {
				continue
			}
			if len(c) >= 2 { // keep the pitch: a leader's dots are evenly spaced
				pitch := last.cx() - c[len(c)-2].cx()
				if abs(gap-pitch) > max(2, pitch/3) {
					continue
				}
			}
			best = i
			break
		}
		if best >= 0 {
			open[best] = append(open[best], d)
		} else {
			open = append(open, []blob{d})
		}
		// Retire chains that are already too far behind to grow.
		keep := open[:0]
		for _, c := range open {
			last := c[len(c)-1]
			if d.x0-last.x1 > int(maxPitch*float64(max(last.w(), last.h())))+1 {
				done = append(done, c)
			} else {
				keep = append(keep, c)
			}
		}
		open = keep
	}
	done = append(done, open...)
	out := done[:0]
	for _, c := range done {
		if len(c) >= minLeaderDots {
			out = append(out, c)
		}
	}
	return out
}

// blobs labels the 8-connected components of pixels darker than thr.
// Components that grow past maxSide in either direction are not reported:
// only small ones can be dots, and letters and lines are most of the ink.
func blobs(img *image.Gray, thr uint8, maxSide int) []blob {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	seen := make([]bool, w*h)
	var out []blob
	var stack []int32
	for y := range h {
		for x := range w {
			i := y*w + x
			if seen[i] || img.Pix[y*img.Stride+x] >= thr {
				continue
			}
			b := blob{x0: x, y0: y, x1: x + 1, y1: y + 1}
			seen[i] = true
			stack = append(stack[:0], int32(i))
			for len(stack) > 0 {
				p := int(stack[len(stack)-1])
				stack = stack[:len(stack)-1]
				px, py := p%w, p/w
				b.n++
				b.x0, b.x1 = min(b.x0, px), max(b.x1, px+1)
				b.y0, b.y1 = min(b.y0, py), max(b.y1, py+1)
				for dy := -1; dy <= 1; dy++ {
					ny := py + dy
					if ny < 0 || ny >= h {
						continue
					}
					for dx := -1; dx <= 1; dx++ {
						nx := px + dx
						if nx < 0 || nx >= w {
							continue
						}
						j := ny*w + nx
						if !seen[j] && img.Pix[ny*img.Stride+nx] < thr {
							seen[j] = true
							stack = append(stack, int32(j))
						}
					}
				}
			}
			if b.w() <= maxSide && b.h() <= maxSide {
				out = append(out, b)
			}
		}
	}
	return out
}

// otsu returns Otsu's threshold of img and the mean grey level of the
// lighter class, the paper colour that erased dots are painted with.
func otsu(img *image.Gray) (thr, paper uint8) {
	var hist [256]int
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	for y := range h {
		for _, v := range img.Pix[y*img.Stride : y*img.Stride+w] {
			hist[v]++
		}
	}
	total := w * h
	var sum float64
	for v, n := range hist {
		sum += float64(v * n)
	}
	var wB, sumB float64
	best, bestVar := 128, -1.0
	for t := range 256 {
		wB += float64(hist[t])
		if wB == 0 {
			continue
		}
		wF := float64(total) - wB
		if wF == 0 {
			break
		}
		sumB += float64(t * hist[t])
		mB, mF := sumB/wB, (sum-sumB)/wF
		if v := wB * wF * (mB - mF) * (mB - mF); v > bestVar {
			best, bestVar = t+1, v // dark class is [0, t]
		}
	}
	var n, s int
	for v := best; v < 256; v++ {
		n += hist[v]
		s += v * hist[v]
	}
	paper = 255
	if n > 0 {
		paper = uint8(s / n)
	}
	return uint8(min(best, 255)), paper
}

// fill paints a blob's box, grown by a pixel for its anti-aliased rim.
func fill(img *image.Gray, b blob, v uint8) {
	r := image.Rect(b.x0-1, b.y0-1, b.x1+1, b.y1+1).Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[y*img.Stride+r.Min.X : y*img.Stride+r.Max.X]
		for i := range row {
			row[i] = v
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
