package ocr

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	realOnce sync.Once
	realTess *Tesseract
)

// missing skips a test that needs what is not installed, or fails it
// under make test (MENUSYNC_TEST_STRICT), which installs everything.
func missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("MENUSYNC_TEST_STRICT") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// realEngine is the installed tesseract with every language, or skips.
func realEngine(t testing.TB) *Tesseract {
	t.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		missing(t, "tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-kor …): skipping OCR runs")
	}
	realOnce.Do(func() {
		var err error
		realTess, err = New(Config{})
		if err != nil {
			t.Fatal(err)
		}
	})
	if !realTess.Available() {
		missing(t, fmt.Sprintf("tesseract unusable: %v", realTess.Err()))
	}
	if got := realTess.Languages(); len(got) != 7 {
		missing(t, fmt.Sprintf("tesseract language data missing: have %v, want ko ja zh-Hans zh-Hant th vi en", got))
	}
	return realTess
}

// TestRecognition scans every fixture with the language a user would
// pick, asserts the bar (clean renders: 90% of dish names, every price)
// or a floor, and logs the measured rates for the package doc.
func TestRecognition(t *testing.T) {
	tess := realEngine(t)
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			res, err := tess.Scan(context.Background(), bytes.NewReader(f.data), f.contentType, Hint{Lang: f.lang})
			if err != nil {
				t.Fatal(err)
			}
			names, prices, missing := rates(f.menu, res.Text)
			t.Logf("%-20s %-8s names %3.0f%%  prices %3.0f%%  %.2fs  missing %q",
				f.name, f.lang, names*100, prices*100, time.Since(start).Seconds(), missing)
			wantNames, wantPrices := f.floorNames, f.floorPrices
			if f.clean {
				wantNames, wantPrices = cmp.Or(f.floorNames, 0.9), cmp.Or(f.floorPrices, 1)
			}
			if f.note != "" {
				t.Logf("%s: below the bar: %s", f.name, f.note)
			}
			if names < wantNames || prices < wantPrices {
				t.Errorf("recovered %.0f%% of names (want ≥ %.0f%%), %.0f%% of prices (want ≥ %.0f%%); text:\n%s",
					names*100, wantNames*100, prices*100, wantPrices*100, res.Text)
			}
			if res.Lang != canonicalLang(f.lang) {
				t.Errorf("Lang = %q, want %q", res.Lang, f.lang)
			}
			for _, l := range res.Lines {
				if l.Confidence <= 0 || l.Confidence > 1 || l.Text == "" || strings.Contains(l.Text, "\n") {
					t.Errorf("bad line %+v", l)
				}
			}
		})
	}
}

// TestDetect scans the clean single-language fixtures without a hint:
// the script detection must pick the language, and the text must be as
// good as with the hint.
func TestDetect(t *testing.T) {
	tess := realEngine(t)
	for _, f := range fixtures(t) {
		if !f.clean || f.menu.columns > 1 {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			res, err := tess.Scan(context.Background(), bytes.NewReader(f.data), f.contentType, Hint{})
			if err != nil {
				t.Fatal(err)
			}
			names, prices, _ := rates(f.menu, res.Text)
			t.Logf("%-20s detected %-8s names %3.0f%%  prices %3.0f%%  %.2fs", f.name, res.Lang, names*100, prices*100, time.Since(start).Seconds())
			if res.Lang != canonicalLang(f.lang) {
				t.Errorf("detected %q, want %q", res.Lang, f.lang)
			}
			if names < cmp.Or(f.floorNames, 0.9) || prices < 1 {
				t.Errorf("recovered %.0f%% of names, %.0f%% of prices; text:\n%s", names*100, prices*100, res.Text)
			}
		})
	}
}
