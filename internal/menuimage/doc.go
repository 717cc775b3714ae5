// Package menuimage renders printed menus as images, for tests: the OCR
// fixtures, the scan endpoint's, the web app's camera input. Menus are
// drawn with Debian's Noto fonts (fonts-noto-cjk, fonts-noto-core), so no
// binary fixture lives in the repository and the expected text is known
// exactly. Photo-like damage (a slight turn, noise, an EXIF-rotated
// JPEG) and the encoders (PNG, JPEG with EXIF, a minimal lossless WebP)
// are here too.
package menuimage
