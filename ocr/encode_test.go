package ocr

import (
	"image"
	"testing"

	"github.com/menusync/menusync/internal/menuimage"
)

// The fixtures' encoders live in internal/menuimage.

func encodePNG(_ testing.TB, img image.Image) []byte { return menuimage.PNG(img) }

func encodeJPEG(_ testing.TB, img image.Image, quality int) []byte {
	return menuimage.JPEG(img, quality)
}

var (
	withEXIF   = menuimage.WithEXIF
	encodeWebP = menuimage.WebP
)
