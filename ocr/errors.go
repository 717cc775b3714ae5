package ocr

import "errors"

// Errors returned by Scan, wrapped with context: test them with errors.Is.
var (
	// ErrUnavailable: the tesseract binary, or the data for the language
	// asked for, is not installed. The API answers ocr_unavailable.
	ErrUnavailable = errors.New("ocr unavailable")
	// ErrUnknownLanguage: the hint names a language this package does not
	// read at all (not one of the Hint languages).
	ErrUnknownLanguage = errors.New("no OCR for that language")
	// ErrTooLarge: the upload is over MaxBytes, or its header declares
	// more than MaxPixels.
	ErrTooLarge = errors.New("image too large")
	// ErrUnsupported: not JPEG, PNG or WebP, or the declared content type
	// does not match the bytes.
	ErrUnsupported = errors.New("unsupported image type")
	// ErrBadImage: the bytes claim a supported format but do not decode.
	ErrBadImage = errors.New("bad image")
	// ErrBusy: every scan slot is taken and the queue is full, or the
	// wait for a slot exceeded QueueTimeout. Worth a retry later:
	// Tesseract.RetryAfter estimates when.
	ErrBusy = errors.New("ocr busy")
	// ErrTimeout: tesseract ran past ScanTimeout and was killed.
	ErrTimeout = errors.New("ocr timed out")
)
