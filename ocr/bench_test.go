package ocr

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"testing"
)

// phoneShot places the Korean menu, enlarged 3×, on a 4032×3024 grey
// "table" with noise, turned 1.5°, stored rotated with EXIF orientation 6:
// the size and shape of a 12-megapixel phone photo.
func phoneShot(b testing.TB) []byte {
	ko := menuKorean.render(b)
	big := resize(ko, ko.Bounds().Dx()*27/10, ko.Bounds().Dy()*27/10)
	canvas := image.NewGray(image.Rect(0, 0, 4032, 3024))
	for i := range canvas.Pix {
		canvas.Pix[i] = 150
	}
	off := image.Pt((4032-big.Bounds().Dx())/2, (3024-big.Bounds().Dy())/2)
	draw.Draw(canvas, big.Bounds().Add(off), big, image.Point{}, draw.Src)
	shot := addNoise(rotate(canvas, 1.5), 10)
	return withEXIF(encodeJPEG(b, toRGBA(stored(shot, 6)), 85), 6, "II")
}

// BenchmarkScanKorean is the time of one scan with the hint "ko": the
// clean fixture (1100×964 PNG, upscaled to 1600) and a 12-megapixel
// phone photo (downscaled to 3000); prepare is the Go side alone
// (decode, greyscale, scale, orient, deskew, leaders, PNG).
func BenchmarkScanKorean(b *testing.B) {
	tess := realEngine(b)
	fixture := encodePNG(b, menuKorean.render(b))
	photo := phoneShot(b)
	for _, c := range []struct {
		name, ct string
		data     []byte
	}{{"fixture", "image/png", fixture}, {"photo12MP", "image/jpeg", photo}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				res, err := tess.Scan(context.Background(), bytes.NewReader(c.data), c.ct, Hint{Lang: "ko"})
				if err != nil {
					b.Fatal(err)
				}
				if names, prices, _ := rates(menuKorean, res.Text); names < 0.9 || prices < 0.9 {
					b.Fatalf("names %.0f%% prices %.0f%%:\n%s", names*100, prices*100, res.Text)
				}
			}
		})
		b.Run(c.name+"/prepare", func(b *testing.B) {
			mt, _ := mediaType(c.ct, c.data)
			for b.Loop() {
				if _, err := prepare(c.data, mt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
