//go:build unix

package ocr

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeTesseract is a shell script standing in for tesseract, so the
// limit, queue and timeout tests run without it and without timing
// guesses: each run writes started.<pid> to dir, then waits until a file
// named release appears, then writes a one-line result where tesseract
// would.
type fakeTesseract struct {
	dir string
	bin string
}

func newFake(t *testing.T, langs ...string) *fakeTesseract {
	t.Helper()
	if len(langs) == 0 {
		langs = DefaultLanguages
	}
	dir := t.TempDir()
	script := `#!/bin/sh
dir='` + dir + `'
case " $* " in
*" --list-langs "*)
	echo 'List of available languages in "/fake/tessdata/" (` + strconv.Itoa(len(langs)) + `):'
	for l in ` + strings.Join(langs, " ") + `; do echo "$l"; done
	exit 0 ;;
esac
echo "$*" > "$dir/started.$$"
cat > /dev/null
while [ ! -e "$dir/release" ]; do sleep 0.01; done
# args: stdin OUTBASE -l MODELS ...
printf 'fake  text\n' > "$2.txt"
printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n5\t1\t1\t1\t1\t1\t0\t0\t40\t10\t90\tfake\n5\t1\t1\t1\t1\t2\t90\t0\t40\t10\t80\ttext\n' > "$2.tsv"
`
	bin := filepath.Join(dir, "tesseract")
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return &fakeTesseract{dir: dir, bin: bin}
}

// release lets every current and future run finish.
func (f *fakeTesseract) release(t *testing.T) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, "release"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pids returns the process ids of the runs started so far.
func (f *fakeTesseract) pids() []int {
	m, _ := filepath.Glob(filepath.Join(f.dir, "started.*"))
	var out []int
	for _, p := range m {
		if n, err := strconv.Atoi(strings.TrimPrefix(filepath.Ext(p), ".")); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (f *fakeTesseract) engine(t *testing.T, cfg Config) *Tesseract {
	t.Helper()
	cfg.Binary = f.bin
	tess, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !tess.Available() {
		t.Fatalf("fake tesseract unavailable: %v", tess.Err())
	}
	return tess
}

// await polls cond until it holds, failing after 10 s: the tests wait
// for a state, never for a guessed duration.
func await(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// smallPNG is a valid 64×48 white PNG: enough for everything before OCR.
func smallPNG(t testing.TB) []byte {
	img := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	return encodePNG(t, img)
}

func scanArgs(t testing.TB) (*bytes.Reader, string, Hint) {
	return bytes.NewReader(smallPNG(t)), "image/png", Hint{Lang: "ko"}
}
