package ocr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime"
	"net/http"

	"golang.org/x/image/webp"
)

// The accepted formats, by their canonical media type.
const (
	typeJPEG = "image/jpeg"
	typePNG  = "image/png"
	typeWebP = "image/webp"
)

// mediaType checks the declared type against the bytes. The declared type
// alone is the client's word and the bytes alone accept whatever a
// browser sends as "application/octet-stream", so both must agree. An
// empty declared type means "unknown" (a raw body without Content-Type)
// and the bytes decide.
func mediaType(declared string, head []byte) (string, error) {
	sniffed := http.DetectContentType(head)
	switch sniffed {
	case typeJPEG, typePNG, typeWebP:
	default:
		return "", fmt.Errorf("%w: content is %s, want JPEG, PNG or WebP", ErrUnsupported, sniffed)
	}
	if declared == "" {
		return sniffed, nil
	}
	mt, _, err := mime.ParseMediaType(declared)
	if err != nil {
		return "", fmt.Errorf("%w: content type %q: %v", ErrUnsupported, declared, err)
	}
	if mt == "image/jpg" || mt == "image/pjpeg" { // seen from older browsers and apps
		mt = typeJPEG
	}
	if mt != sniffed {
		return "", fmt.Errorf("%w: declared %s but the content is %s", ErrUnsupported, mt, sniffed)
	}
	return mt, nil
}

// checkHeader reads only the image header, so a file that declares more
// pixels than allowed (a decompression bomb: a few KB of PNG can declare
// 50000×50000) is refused before any pixel buffer is allocated.
func checkHeader(data []byte, mt string, maxPixels int64) (image.Config, error) {
	var cfg image.Config
	var err error
	switch mt {
	case typeJPEG:
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	case typePNG:
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	case typeWebP:
		cfg, err = webp.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return cfg, fmt.Errorf("%w: %s header: %v", ErrBadImage, mt, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return cfg, fmt.Errorf("%w: %dx%d", ErrBadImage, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > maxPixels {
		return cfg, fmt.Errorf("%w: %dx%d is %d pixels, limit %d", ErrTooLarge, cfg.Width, cfg.Height, px, maxPixels)
	}
	return cfg, nil
}

// decode decodes the whole image; call checkHeader first.
func decode(data []byte, mt string) (image.Image, error) {
	var img image.Image
	var err error
	switch mt {
	case typeJPEG:
		img, err = jpeg.Decode(bytes.NewReader(data))
	case typePNG:
		img, err = png.Decode(bytes.NewReader(data))
	case typeWebP:
		img, err = webp.Decode(bytes.NewReader(data))
	default:
		err = errors.New("unknown type")
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadImage, mt, err)
	}
	return img, nil
}

// toGray returns the image's luma in a new zero-origin Gray image.
// Tesseract binarises anyway, and one byte a pixel keeps the rotation,
// resizing and PNG encoding that follow cheap. Transparent pixels count as
// white paper: a screenshot with an alpha channel would otherwise turn
// into black text on black.
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	switch src := img.(type) {
	case *image.Gray:
		for y := range h {
			copy(dst.Pix[y*dst.Stride:y*dst.Stride+w], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		// JPEG's Y is the same BT.601 luma that color.GrayModel computes.
		for y := range h {
			copy(dst.Pix[y*dst.Stride:y*dst.Stride+w], src.Y[src.YOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.NYCbCrA: // lossy WebP with alpha
		for y := range h {
			yi, ai := src.YOffset(b.Min.X, b.Min.Y+y), src.AOffset(b.Min.X, b.Min.Y+y)
			row := dst.Pix[y*dst.Stride : y*dst.Stride+w]
			for x := range row {
				row[x] = overWhite(uint32(src.Y[yi+x]), uint32(src.A[ai+x]))
			}
		}
	case *image.NRGBA: // PNG with alpha, lossless WebP
		for y := range h {
			p := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			row := dst.Pix[y*dst.Stride : y*dst.Stride+w]
			for x := range row {
				q := p[4*x : 4*x+4 : 4*x+4]
				row[x] = overWhite(luma(q[0], q[1], q[2]), uint32(q[3]))
			}
		}
	case *image.RGBA: // premultiplied: adding the missing white is enough
		for y := range h {
			p := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			row := dst.Pix[y*dst.Stride : y*dst.Stride+w]
			for x := range row {
				q := p[4*x : 4*x+4 : 4*x+4]
				row[x] = uint8(min(255, luma(q[0], q[1], q[2])+255-uint32(q[3])))
			}
		}
	default: // paletted, 16-bit, CMYK JPEG: rare enough for the slow path
		for y := range h {
			row := dst.Pix[y*dst.Stride : y*dst.Stride+w]
			for x := range row {
				c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
				row[x] = overWhite(luma(c.R, c.G, c.B), uint32(c.A))
			}
		}
	}
	return dst
}

// luma is color.GrayModel's BT.601 weighting.
func luma(r, g, b uint8) uint32 {
	return (19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16
}

// overWhite composites a grey level with straight alpha over white.
func overWhite(v, a uint32) uint8 {
	return uint8((v*a + 255*(255-a) + 127) / 255)
}
