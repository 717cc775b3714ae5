package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// hanSimplifiedConf: without a hint, Chinese is read with chi_sim first;
// below this mean confidence it is read with chi_tra too and the more
// confident reading wins. chi_sim scored 0.82 on the simplified fixture
// and 0.59 on the traditional one. The order matters because chi_tra
// reads simplified text confidently (0.88) but transcribes it into
// traditional characters (宫保鸡丁 → 宮保雞丁), while chi_sim fails
// visibly on traditional text.
const hanSimplifiedConf = 0.70

// Scan reads the menu photo in r: JPEG, PNG or WebP, at most MaxBytes.
// contentType is the declared media type ("" if none was declared); it
// must match the bytes. With no hint the script is detected first.
// A photo without text gives an empty Result and no error.
//
// Errors: ErrUnavailable, ErrTooLarge, ErrUnsupported, ErrBadImage,
// ErrBusy, ErrTimeout (all wrapped), or the context's error when ctx
// ends first.
func (t *Tesseract) Scan(ctx context.Context, r io.Reader, contentType string, hint Hint) (Result, error) {
	if t.err != nil {
		return Result{}, t.err
	}
	lang, err := t.hintLang(hint)
	if err != nil {
		return Result{}, err
	}
	// A cheap early refusal, so a full server does not first read 8 MiB
	// it will refuse anyway; acquire below decides for real.
	if err := t.limiter.full(); err != nil {
		return Result{}, err
	}
	// Reading and the header check come before taking a slot: a slow
	// upload must not hold a CPU slot, and a bomb is refused for free.
	data, mt, err := t.readUpload(r, contentType)
	if err != nil {
		return Result{}, err
	}
	release, err := t.limiter.acquire(ctx, t.cfg.QueueTimeout)
	if err != nil {
		return Result{}, err
	}
	defer release()
	// The scan's own deadline starts only now: time spent queued is
	// bounded by QueueTimeout, not taken from the work.
	ctx, cancel := context.WithTimeoutCause(ctx, t.cfg.ScanTimeout, errScanTimeout)
	defer cancel()
	return t.recognize(ctx, data, mt, lang)
}

// hintLang settles the language before the upload is read, so a scan
// that cannot succeed costs the client no upload. "" means the script is
// to be detected, which needs the osd data.
func (t *Tesseract) hintLang(hint Hint) (string, error) {
	if hint.Lang == "" {
		if !t.models["osd"] {
			return "", fmt.Errorf("%w: no language given and no osd data to detect the script", ErrUnavailable)
		}
		return "", nil
	}
	lang := canonicalLang(hint.Lang)
	if lang == "" || !t.haveModels(langModels[lang]) {
		return "", t.langError(hint.Lang)
	}
	return lang, nil
}

// readUpload reads at most MaxBytes and checks the media type and the
// pixel count from the header alone, so every refusal here is decided
// before a pixel buffer exists. It returns the bytes and their media type.
func (t *Tesseract) readUpload(r io.Reader, contentType string) ([]byte, string, error) {
	data, err := io.ReadAll(io.LimitReader(r, t.cfg.MaxBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("ocr: reading the image: %w", err)
	}
	if int64(len(data)) > t.cfg.MaxBytes {
		return nil, "", fmt.Errorf("%w: upload over %d bytes", ErrTooLarge, t.cfg.MaxBytes)
	}
	if len(data) == 0 {
		return nil, "", fmt.Errorf("%w: empty upload", ErrBadImage)
	}
	mt, err := mediaType(contentType, data[:min(len(data), 512)])
	if err != nil {
		return nil, "", err
	}
	if _, err := checkHeader(data, mt, t.cfg.MaxPixels); err != nil {
		return nil, "", err
	}
	return data, mt, nil
}

// recognize does the CPU work of a scan; the caller holds a slot and ctx
// carries the scan's deadline.
func (t *Tesseract) recognize(ctx context.Context, data []byte, mt, lang string) (Result, error) {
	img, err := prepare(data, mt)
	if err != nil {
		return Result{}, err
	}
	if ctx.Err() != nil { // preparing a big photo takes a moment
		return Result{}, fmt.Errorf("ocr: %w", context.Cause(ctx))
	}
	dir, err := os.MkdirTemp("", "menusync-ocr-")
	if err != nil {
		return Result{}, fmt.Errorf("ocr: %w", err)
	}
	defer os.RemoveAll(dir)
	if lang != "" {
		res, err := t.read(ctx, img, dir, langModels[lang])
		res.Lang = lang
		return res, err
	}
	return t.detectAndRead(ctx, img, dir)
}

// prepare turns the upload into the PNG tesseract reads: greyscale,
// scaled, upright (EXIF), levelled (deskew) and without dotted leaders.
func prepare(data []byte, mt string) ([]byte, error) {
	img, err := decode(data, mt)
	if err != nil {
		return nil, err
	}
	g := toGray(img)
	img = nil // the colour image can be collected while we go on
	// Scaling before turning: the turn then copies the smaller image.
	w, h := targetSize(g.Bounds().Dx(), g.Bounds().Dy(), minSide, maxSide)
	g = resize(g, w, h)
	if mt == typeJPEG {
		g = orient(g, jpegOrientation(data))
	}
	thr, paper := otsu(g)
	if a := skewAngle(g, thr); a != 0 {
		g = rotateGray(g, -a, paper)
	}
	removeLeaders(g)
	var b bytes.Buffer
	// Uncompressed: the PNG only crosses a pipe, and even BestSpeed's
	// filtering took 40% of this function on a 12 MP photo.
	enc := png.Encoder{CompressionLevel: png.NoCompression}
	if err := enc.Encode(&b, g); err != nil {
		return nil, fmt.Errorf("ocr: encoding for tesseract: %w", err)
	}
	return b.Bytes(), nil
}

// The long side is brought into [minSide, maxSide] (see targetSize).
const (
	minSide = 1600
	maxSide = 3000
)

// read runs one OCR pass with the given models. It writes tesseract's
// text and TSV outputs to dir: both come from one run, and both can only
// go to stdout mixed together.
func (t *Tesseract) read(ctx context.Context, img []byte, dir, models string) (Result, error) {
	base := filepath.Join(dir, strings.ReplaceAll(models, "+", "_"))
	args := t.dataArgs("stdin", base, "-l", models, "--psm", psm,
		"-c", "tessedit_create_txt=1", "-c", "tessedit_create_tsv=1")
	if _, err := t.command(ctx, t.bin, img, args...); err != nil {
		return Result{}, err
	}
	txt, err := os.ReadFile(base + ".txt")
	if err != nil {
		return Result{}, fmt.Errorf("ocr: tesseract output: %w", err)
	}
	tsv, err := os.ReadFile(base + ".tsv")
	if err != nil {
		return Result{}, fmt.Errorf("ocr: tesseract output: %w", err)
	}
	ls := lines(string(txt), string(tsv))
	texts := make([]string, len(ls))
	for i, l := range ls {
		texts[i] = l.Text
	}
	return Result{Text: strings.Join(texts, "\n"), Lines: ls}, nil
}

// psm 6, "a single uniform block of text": measured on the fixtures, the
// automatic layout (psm 3) found none of the Korean dish names (it cut
// the page into vertical fragments), sparse text (psm 11) put every
// word on its own line, parting dishes from prices; psm 4 read like 6.
const psm = "6"

// detectAndRead finds the script with tesseract's OSD (--psm 0, about
// 0.2 s) and reads with the matching model; see lang.go and
// hanSimplifiedConf for the Han scripts.
func (t *Tesseract) detectAndRead(ctx context.Context, img []byte, dir string) (Result, error) {
	out, err := t.command(ctx, t.bin, img, t.dataArgs("stdin", "stdout", "-l", "osd", "--psm", "0")...)
	if err != nil && (ctx.Err() != nil || errors.Is(err, ErrUnavailable)) {
		return Result{}, err
	}
	// OSD exits non-zero on a page with too few letters: then the Latin
	// models, which read digits and most menus' English.
	script := scriptLang(osdScript(out))
	switch script {
	case "ko", "th":
		if !t.haveModels(langModels[script]) {
			break
		}
		res, err := t.read(ctx, img, dir, langModels[script])
		res.Lang = script
		return res, err
	case "cjk":
		if t.haveModels(langModels["ja"]) || t.haveModels(langModels["zh-Hans"]) {
			return t.readCJK(ctx, img, dir, osdScript(out) == "Japanese")
		}
	}
	res, err := t.read(ctx, img, dir, t.latinModels())
	switch {
	case vietnamese(res.Text):
		res.Lang = "vi"
	case strings.IndexFunc(res.Text, isLatinLetter) >= 0:
		res.Lang = "en"
	}
	return res, err
}

// readCJK tells Japanese from simplified and traditional Chinese.
func (t *Tesseract) readCJK(ctx context.Context, img []byte, dir string, japanese bool) (Result, error) {
	if (japanese || !t.haveModels(langModels["zh-Hans"])) && t.haveModels(langModels["ja"]) {
		res, err := t.read(ctx, img, dir, langModels["ja"])
		if err != nil || hasKana(res.Text) || !t.haveModels(langModels["zh-Hans"]) {
			res.Lang = "ja"
			return res, err
		}
	}
	sim, err := t.read(ctx, img, dir, langModels["zh-Hans"])
	sim.Lang = "zh-Hans"
	if err != nil || meanConfidence(sim.Lines) >= hanSimplifiedConf || !t.haveModels(langModels["zh-Hant"]) {
		return sim, err
	}
	tra, err := t.read(ctx, img, dir, langModels["zh-Hant"])
	if err != nil {
		return Result{}, err
	}
	tra.Lang = "zh-Hant"
	if meanConfidence(tra.Lines) > meanConfidence(sim.Lines) {
		return tra, nil
	}
	return sim, nil
}

func isLatinLetter(r rune) bool { return unicode.Is(unicode.Latin, r) }

// latinModels are the models for Latin script, or for no script found:
// vie+eng, or whichever of them is installed, or the first language that
// is.
func (t *Tesseract) latinModels() string {
	for _, m := range []string{langModels[latin], langModels["vi"], langModels["en"]} {
		if t.haveModels(m) {
			return m
		}
	}
	return langModels[t.langs[0]]
}
