package ocr

import (
	"cmp"
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Defaults for Config's zero values.
const (
	// DefaultMaxBytes bounds an upload: a 12-megapixel phone JPEG is 2–5 MB.
	DefaultMaxBytes = 8 << 20
	// DefaultMaxPixels bounds the decoded size, checked from the header
	// before decoding. 50 MP admits a 50-megapixel phone photo
	// (8160×6120); decoding one takes up to 200 MB (4 bytes a pixel for
	// PNG), so with MaxConcurrent scans the worst case stays bounded.
	DefaultMaxPixels = 50_000_000
	// DefaultQueueFactor: scans that may wait for a slot, per slot. A
	// scan of a phone photo takes about a second (see the package doc),
	// so a waiter in a queue of two per slot starts within seconds.
	DefaultQueueFactor = 2
	// DefaultQueueTimeout bounds the wait for a slot.
	DefaultQueueTimeout = 10 * time.Second
	// DefaultScanTimeout bounds the work of one scan once it has a slot:
	// decoding, and every tesseract run (script detection included).
	DefaultScanTimeout = 30 * time.Second
	// DefaultBinary is looked up in PATH.
	DefaultBinary = "tesseract"
)

// DefaultLanguages are the tesseract data files used by default: the
// models behind every language Hint accepts, and osd for detecting the
// script when there is no hint.
var DefaultLanguages = []string{"kor", "jpn", "chi_sim", "chi_tra", "tha", "vie", "eng", "osd"}

// Config configures New. Zero values take the defaults above.
type Config struct {
	// Binary is the tesseract executable: a path, or a name looked up in
	// PATH. Default "tesseract".
	Binary string
	// DataDir is passed as --tessdata-dir; empty: tesseract's own
	// (TESSDATA_PREFIX or its built-in path).
	DataDir string
	// Languages are the tesseract data files to use, a subset of
	// DefaultLanguages; a language whose files are missing is not offered.
	Languages []string
	// MaxBytes bounds the upload; MaxPixels the image's width × height.
	MaxBytes  int64
	MaxPixels int64
	// MaxConcurrent scans run at once (each runs one single-threaded
	// tesseract); default the number of CPUs Go may use.
	MaxConcurrent int
	// QueueSize scans may wait for a slot; beyond that Scan returns
	// ErrBusy at once. Default DefaultQueueFactor × MaxConcurrent;
	// negative: no queue.
	QueueSize int
	// QueueTimeout bounds the wait for a slot (then ErrBusy), ScanTimeout
	// the work after it (then ErrTimeout, and tesseract is killed).
	QueueTimeout time.Duration
	ScanTimeout  time.Duration
}

// Tesseract scans menu photos with the tesseract command. It is safe for
// concurrent use.
type Tesseract struct {
	cfg     Config
	bin     string          // resolved path; "" when unavailable
	models  map[string]bool // installed data files among cfg.Languages
	langs   []string        // Hint languages whose models are all installed
	err     error           // why unavailable, or nil
	limiter *limiter
}

// New checks cfg, resolves the binary and asks it which language data is
// installed (a short run, bounded by a few seconds). A missing binary or
// missing data is not an error here: the server should start without
// OCR, report Available() false and answer scans with ErrUnavailable.
// New fails only on a Config that makes no sense.
func New(cfg Config) (*Tesseract, error) {
	if cfg.MaxBytes < 0 || cfg.MaxPixels < 0 || cfg.MaxConcurrent < 0 || cfg.QueueTimeout < 0 || cfg.ScanTimeout < 0 {
		return nil, fmt.Errorf("ocr: negative limit in config")
	}
	for _, l := range cfg.Languages {
		if !slices.Contains(DefaultLanguages, l) {
			return nil, fmt.Errorf("ocr: unknown language data %q (known: %s)", l, strings.Join(DefaultLanguages, " "))
		}
	}
	cfg.Binary = cmp.Or(cfg.Binary, DefaultBinary)
	if cfg.Languages == nil {
		cfg.Languages = DefaultLanguages
	}
	cfg.MaxBytes = cmp.Or(cfg.MaxBytes, DefaultMaxBytes)
	cfg.MaxPixels = cmp.Or(cfg.MaxPixels, DefaultMaxPixels)
	cfg.MaxConcurrent = cmp.Or(cfg.MaxConcurrent, runtime.GOMAXPROCS(0))
	switch {
	case cfg.QueueSize == 0:
		cfg.QueueSize = DefaultQueueFactor * cfg.MaxConcurrent
	case cfg.QueueSize < 0:
		cfg.QueueSize = 0
	}
	cfg.QueueTimeout = cmp.Or(cfg.QueueTimeout, DefaultQueueTimeout)
	cfg.ScanTimeout = cmp.Or(cfg.ScanTimeout, DefaultScanTimeout)

	t := &Tesseract{cfg: cfg, models: map[string]bool{}, limiter: newLimiter(cfg.MaxConcurrent, cfg.QueueSize)}
	t.err = t.probe()
	return t, nil
}

// probe finds the binary and its installed language data.
func (t *Tesseract) probe() error {
	bin, err := exec.LookPath(t.cfg.Binary)
	if err != nil {
		return fmt.Errorf("%w: tesseract binary %q: %v", ErrUnavailable, t.cfg.Binary, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := t.command(ctx, bin, nil, t.dataArgs("--list-langs")...)
	if err != nil {
		return fmt.Errorf("%w: %s --list-langs: %v", ErrUnavailable, bin, err)
	}
	// "List of available languages in "/usr/share/.../tessdata/" (8):"
	// then one name a line.
	installed := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n")[1:] {
		installed[strings.TrimSpace(l)] = true
	}
	for _, l := range t.cfg.Languages {
		if installed[l] {
			t.models[l] = true
		}
	}
	for _, lang := range []string{"ko", "ja", "zh-Hans", "zh-Hant", "th", "vi", "en"} {
		if t.haveModels(langModels[lang]) {
			t.langs = append(t.langs, lang)
		}
	}
	if len(t.langs) == 0 {
		return fmt.Errorf("%w: no language data among %s installed for %s", ErrUnavailable, strings.Join(t.cfg.Languages, " "), bin)
	}
	t.bin = bin
	return nil
}

func (t *Tesseract) haveModels(m string) bool {
	for _, d := range models(m) {
		if !t.models[d] {
			return false
		}
	}
	return true
}

// Available reports whether Scan can work at all: the binary runs and
// the data for at least one language is installed. For the capabilities
// flag of the API.
func (t *Tesseract) Available() bool { return t.err == nil }

// Err says why the engine is unavailable (wrapping ErrUnavailable), or
// is nil; for the startup log.
func (t *Tesseract) Err() error { return t.err }

// Languages lists the Hint languages whose data is installed, as BCP 47
// tags in a fixed order, e.g. [ko ja zh-Hans zh-Hant th vi en].
func (t *Tesseract) Languages() []string { return slices.Clone(t.langs) }

// RetryAfter estimates how long until a scan submitted now would get a
// slot, from the scans running and waiting and the average time a scan
// has held its slot (1 s until scans have finished): for the Retry-After
// of an answer to ErrBusy. It is 0 while a slot is free. Retry-After
// counts whole seconds, so round up and send at least 1.
func (t *Tesseract) RetryAfter() time.Duration { return t.limiter.retryAfter() }

// Config returns the effective configuration, defaults filled in.
func (t *Tesseract) Config() Config {
	c := t.cfg
	c.Languages = slices.Clone(c.Languages)
	return c
}

// langError is the error for a hint that cannot be read.
func (t *Tesseract) langError(tag string) error {
	if canonicalLang(tag) == "" {
		return fmt.Errorf("%w: %q (photos are read in %s)", ErrUnknownLanguage, tag, strings.Join(t.langs, ", "))
	}
	return fmt.Errorf("%w: language data for %q (%s) is not installed", ErrUnavailable, tag, langModels[canonicalLang(tag)])
}
