package ocr

import (
	"encoding/binary"
	"image"
)

// Phones store a photo's pixels as the sensor saw them and record how to
// turn them upright in the EXIF Orientation tag; tesseract would read a
// menu photographed in portrait as text on its side. The tag sits in
// IFD0 of the APP1 "Exif" segment, a few dozen bytes in, so this reads it
// by hand rather than taking a dependency for the whole EXIF format.

const tagOrientation = 0x0112

// jpegOrientation returns the EXIF orientation (1–8) of a JPEG, or 1 when
// it has none or the segment is malformed: a broken tag must not fail a
// scan that would otherwise work.
func jpegOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xff || b[1] != 0xd8 {
		return 1
	}
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xff {
			return 1
		}
		marker := b[i+1]
		if marker == 0xff { // fill byte before a marker
			i++
			continue
		}
		if marker == 0xda || marker == 0xd9 { // start of scan, end of image: no EXIF before it
			return 1
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return 1
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xe1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			if o := tiffOrientation(seg[6:]); o != 0 {
				return o
			}
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation reads the Orientation entry of IFD0 in a TIFF structure,
// or returns 0.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	off := bo.Uint32(t[4:])
	if off < 8 || uint64(off)+2 > uint64(len(t)) {
		return 0
	}
	n := int(bo.Uint16(t[off:]))
	entries := t[off+2:]
	for k := 0; k < n && 12*(k+1) <= len(entries); k++ {
		e := entries[12*k:]
		if bo.Uint16(e) != tagOrientation {
			continue
		}
		// SHORT, count 1: the value is inline, left-justified in 4 bytes.
		if bo.Uint16(e[2:]) != 3 || bo.Uint32(e[4:]) != 1 {
			return 0
		}
		if o := int(bo.Uint16(e[8:])); o >= 1 && o <= 8 {
			return o
		}
		return 0
	}
	return 0
}

// orient returns img turned upright for EXIF orientation o. Orientations
// 5–8 swap width and height.
func orient(img *image.Gray, o int) *image.Gray {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewGray(image.Rect(0, 0, dw, dh))
	for y := range h {
		row := img.Pix[(y)*img.Stride+0:]
		for x := range w {
			// (dx, dy): where the stored pixel (x, y) is displayed.
			var dx, dy int
			switch o {
			case 2: // mirrored horizontally
				dx, dy = w-1-x, y
			case 3: // turned 180°
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // mirrored along the main diagonal
				dx, dy = y, x
			case 6: // to be turned 90° clockwise
				dx, dy = h-1-y, x
			case 7: // mirrored along the anti-diagonal
				dx, dy = h-1-y, w-1-x
			case 8: // to be turned 90° counter-clockwise
				dx, dy = y, w-1-x
			}
			dst.Pix[dy*dst.Stride+dx] = row[x]
		}
	}
	return dst
}
