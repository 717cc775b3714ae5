package menuimage

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
)

// PNG encodes img (to memory: it cannot fail).
func PNG(img image.Image) []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// JPEG encodes img at the given quality.
func JPEG(img image.Image, quality int) []byte {
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: quality})
	return b.Bytes()
}

// exifSegment is an APP1 segment holding only IFD0 with one Orientation
// entry, in the byte order order ("II" little-endian or "MM" big-endian),
// as a phone writes it (with many more tags).
func exifSegment(orientation uint16, order string) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	if order == "MM" {
		bo = binary.BigEndian
	}
	tiff := []byte(order)
	tiff = bo.AppendUint16(tiff, 42)
	tiff = bo.AppendUint32(tiff, 8) // IFD0 right after the header
	tiff = bo.AppendUint16(tiff, 2) // two entries: a decoy, then Orientation
	// ImageDescription (ASCII, 4 bytes inline): a tag to skip over.
	tiff = bo.AppendUint16(tiff, 0x010e)
	tiff = bo.AppendUint16(tiff, 2)
	tiff = bo.AppendUint32(tiff, 4)
	tiff = append(tiff, 'm', 'e', 'n', 0)
	tiff = bo.AppendUint16(tiff, 0x0112) // Orientation
	tiff = bo.AppendUint16(tiff, 3)      // SHORT
	tiff = bo.AppendUint32(tiff, 1)
	tiff = bo.AppendUint16(tiff, orientation)
	tiff = append(tiff, 0, 0)       // padding of the 4-byte value field
	tiff = bo.AppendUint32(tiff, 0) // no IFD1

	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xff, 0xe1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

// WithEXIF inserts an EXIF segment right after the SOI marker, where
// cameras put it (before the JFIF or after it: both occur).
func WithEXIF(jpg []byte, orientation uint16, order string) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, exifSegment(orientation, order)...)
	return append(out, jpg[2:]...)
}

// WebP writes img as a lossless WebP (VP8L) thresholded to black
// and white: with two symbols per prefix code every channel of a pixel is
// one bit, which keeps this encoder a few lines long.
func WebP(img *image.Gray) []byte {
	b := img.Bounds()
	w := &bitWriter{}
	w.write(0x2f, 8) // VP8L signature
	w.write(uint32(b.Dx()-1), 14)
	w.write(uint32(b.Dy()-1), 14)
	w.write(0, 1)      // no alpha
	w.write(0, 3)      // version 0
	w.write(0, 1)      // no transform
	w.write(0, 1)      // no colour cache
	w.write(0, 1)      // no meta prefix codes
	for i := range 5 { // green, red, blue, alpha, distance
		w.write(1, 1) // simple code
		if i < 3 {
			w.write(1, 1) // two symbols
			w.write(1, 1) // 8-bit first symbol
			w.write(0, 8) // symbol 0 has code 0
			w.write(255, 8)
		} else {
			w.write(0, 1) // one symbol: it costs no bits per pixel
			w.write(1, 1)
			w.write(map[bool]uint32{true: 255, false: 0}[i == 3], 8) // alpha 255, distance 0
		}
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			bit := uint32(0)
			if img.GrayAt(x, y).Y >= 128 {
				bit = 1
			}
			w.write(bit, 1) // green
			w.write(bit, 1) // red
			w.write(bit, 1) // blue
		}
	}
	data := w.bytes()
	if len(data)%2 == 1 {
		data = append(data, 0)
	}
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+8+len(data)))
	out = append(out, "WEBPVP8L"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(w.bytes())))
	return append(out, data...)
}

// bitWriter packs bits least-significant first, as VP8L reads them.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

func (w *bitWriter) write(v uint32, n uint) {
	w.acc |= uint64(v) << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nbits > 0 {
		return append(append([]byte{}, w.buf...), byte(w.acc))
	}
	return w.buf
}
