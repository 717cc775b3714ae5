package ocr

import (
	"image"
	"math"
)

// targetSize returns the size to scale a w×h image to: the long side
// brought into [minSide, maxSide], keeping the aspect ratio. Tesseract's
// LSTM works on text lines scaled to a fixed height, so tiny text loses
// strokes and huge images only cost time (OCR time grows with the pixel
// count); a phone photo of a menu page at 2000–3000 px on its long side
// has body text 30–60 px high, which tesseract reads well. Upscaling is
// capped at 4×: past that there is no detail left to recover.
func targetSize(w, h, minSide, maxSide int) (int, int) {
	long := max(w, h)
	var s float64
	switch {
	case long > maxSide:
		s = float64(maxSide) / float64(long)
	case long < minSide:
		s = min(float64(minSide)/float64(long), 4)
	default:
		return w, h
	}
	return max(1, int(math.Round(float64(w)*s))), max(1, int(math.Round(float64(h)*s)))
}

// resize scales a Gray image to dw×dh, separably: box filter (the area
// average) when shrinking, so thin strokes fade instead of vanishing
// between samples, and bilinear when enlarging. x/image/draw would do it
// too, but has no fast path for a Gray destination.
func resize(src *image.Gray, dw, dh int) *image.Gray {
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	if sw == dw && sh == dh {
		return src
	}
	// Horizontal pass into a dw×sh buffer, then the vertical pass.
	xw := weights(sw, dw)
	mid := make([]uint8, dw*sh)
	for y := range sh {
		row := src.Pix[y*src.Stride : y*src.Stride+sw]
		out := mid[y*dw : (y+1)*dw]
		for x, t := range xw {
			var acc int32
			for k, w := range t.w {
				acc += w * int32(row[t.first+k])
			}
			out[x] = round16(acc)
		}
	}
	yw := weights(sh, dh)
	dst := image.NewGray(image.Rect(0, 0, dw, dh))
	acc := make([]int32, dw)
	for y, t := range yw {
		clear(acc)
		for k, w := range t.w { // whole rows at a time: sequential memory
			row := mid[(t.first+k)*dw : (t.first+k+1)*dw]
			for x, v := range row {
				acc[x] += w * int32(v)
			}
		}
		out := dst.Pix[y*dst.Stride : y*dst.Stride+dw]
		for x, a := range acc {
			out[x] = round16(a)
		}
	}
	return dst
}

// taps are the source samples of one destination sample: first is the
// first source index and w their weights in 1/65536ths, summing to 65536.
type taps struct {
	first int
	w     []int32
}

// round16 rounds a 16.16 fixed-point grey level to a byte.
func round16(acc int32) uint8 {
	return uint8(min(255, max(0, (acc+1<<15)>>16)))
}

// weights computes the taps for scaling n samples to m.
func weights(n, m int) []taps {
	out := make([]taps, m)
	scale := float64(n) / float64(m)
	for i := range out {
		var first int
		var fw []float64
		if scale > 1 { // shrinking: each output covers [i·s, (i+1)·s) of the input
			lo, hi := float64(i)*scale, float64(i+1)*scale
			first = int(lo)
			for j := first; float64(j) < hi && j < n; j++ {
				fw = append(fw, math.Min(hi, float64(j+1))-math.Max(lo, float64(j)))
			}
		} else { // enlarging: linear between the two nearest input centres
			c := (float64(i)+0.5)*scale - 0.5
			first = int(math.Floor(c))
			f := c - float64(first)
			switch {
			case first < 0:
				first, fw = 0, []float64{1}
			case first >= n-1:
				first, fw = n-1, []float64{1}
			default:
				fw = []float64{1 - f, f}
			}
		}
		out[i] = quantise(first, fw)
	}
	return out
}

// quantise turns float weights into fixed point that sums to exactly 1,
// so a uniform area keeps its exact grey level.
func quantise(first int, fw []float64) taps {
	var sum float64
	for _, w := range fw {
		sum += w
	}
	t := taps{first: first, w: make([]int32, len(fw))}
	var acc int32
	for k, w := range fw {
		t.w[k] = int32(math.Round(w / sum * 65536))
		acc += t.w[k]
	}
	t.w[len(fw)-1] += 65536 - acc
	return t
}
