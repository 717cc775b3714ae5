//go:build unix

package ocr

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"io"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	if DefaultMaxBytes != 8<<20 {
		t.Errorf("DefaultMaxBytes = %d, want 8 MiB", DefaultMaxBytes)
	}
	f := newFake(t)
	got := f.engine(t, Config{}).Config()
	want := Config{
		Binary: f.bin, Languages: DefaultLanguages,
		MaxBytes: 8 << 20, MaxPixels: 50_000_000,
		MaxConcurrent: runtime.GOMAXPROCS(0), QueueSize: 2 * runtime.GOMAXPROCS(0),
		QueueTimeout: 10 * time.Second, ScanTimeout: 30 * time.Second,
	}
	if got.Binary != want.Binary || got.MaxBytes != want.MaxBytes || got.MaxPixels != want.MaxPixels ||
		got.MaxConcurrent != want.MaxConcurrent || got.QueueSize != want.QueueSize ||
		got.QueueTimeout != want.QueueTimeout || got.ScanTimeout != want.ScanTimeout || len(got.Languages) != 8 {
		t.Errorf("Config() = %+v\nwant %+v", got, want)
	}
	if q := f.engine(t, Config{QueueSize: -1}).Config().QueueSize; q != 0 {
		t.Errorf("QueueSize -1 gave %d, want no queue", q)
	}
	for _, bad := range []Config{{MaxBytes: -1}, {ScanTimeout: -time.Second}, {Languages: []string{"fra"}}} {
		bad.Binary = f.bin
		if _, err := New(bad); err == nil {
			t.Errorf("New(%+v) accepted", bad)
		}
	}
}

func TestUnavailable(t *testing.T) {
	tess, err := New(Config{Binary: "/nonexistent/tesseract"})
	if err != nil {
		t.Fatal(err)
	}
	if tess.Available() || !errors.Is(tess.Err(), ErrUnavailable) {
		t.Fatalf("Available() = %v, Err() = %v", tess.Available(), tess.Err())
	}
	r, ct, hint := scanArgs(t)
	if _, err := tess.Scan(context.Background(), r, ct, hint); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Scan: %v, want ErrUnavailable", err)
	}

	// Installed, but only with English data: English works, Korean and
	// detection (no osd) do not.
	tess = newFake(t, "eng").engine(t, Config{})
	if got := tess.Languages(); len(got) != 1 || got[0] != "en" {
		t.Fatalf("Languages() = %v, want [en]", got)
	}
	for _, h := range []Hint{{Lang: "ko"}, {}} {
		r, ct, _ := scanArgs(t)
		if _, err := tess.Scan(context.Background(), r, ct, h); !errors.Is(err, ErrUnavailable) {
			t.Errorf("hint %q: %v, want ErrUnavailable", h.Lang, err)
		}
	}
	// A language no OCR here reads is the caller's mistake, not a missing
	// install.
	r, ct, _ = scanArgs(t)
	if _, err := tess.Scan(context.Background(), r, ct, Hint{Lang: "fr"}); !errors.Is(err, ErrUnknownLanguage) {
		t.Errorf("hint fr: %v, want ErrUnknownLanguage", err)
	}
}

// bombs declare 60000×60000 (PNG, JPEG) or 16384×16384 (WebP's most)
// pixels in a few hundred bytes.
func bombs(t *testing.T) map[string][]byte {
	p := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(p[16:], 60000) // IHDR width, height
	binary.BigEndian.PutUint32(p[20:], 60000)
	binary.BigEndian.PutUint32(p[29:], crc32.ChecksumIEEE(p[12:29]))

	j := encodeJPEG(t, image.NewGray(image.Rect(0, 0, 8, 8)), 90)
	sof := bytes.Index(j, []byte{0xff, 0xc0})
	binary.BigEndian.PutUint16(j[sof+5:], 60000) // height, width
	binary.BigEndian.PutUint16(j[sof+7:], 60000)

	w := encodeWebP(image.NewGray(image.Rect(0, 0, 1, 1)))
	// VP8L header after "RIFF....WEBPVP8L....\x2f": 14 bits width-1, 14 height-1.
	binary.LittleEndian.PutUint32(w[21:], binary.LittleEndian.Uint32(w[21:])|(1<<28-1))
	return map[string][]byte{"image/png": p, "image/jpeg": j, "image/webp": w}
}

func TestDecompressionBomb(t *testing.T) {
	tess := newFake(t).engine(t, Config{})
	for ct, data := range bombs(t) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err := tess.Scan(context.Background(), bytes.NewReader(data), ct, Hint{Lang: "ko"})
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s bomb: %v, want ErrTooLarge", ct, err)
			continue
		}
		t.Logf("%s bomb: %v in %v, %d KiB allocated", ct, err, elapsed, (after.TotalAlloc-before.TotalAlloc)>>10)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
			t.Errorf("%s bomb: allocated %d MiB before refusing", ct, alloc>>20)
		}
		if elapsed > time.Second {
			t.Errorf("%s bomb: took %v to refuse", ct, elapsed)
		}
	}
}

func TestUploadSize(t *testing.T) {
	f := newFake(t)
	f.release(t)
	tess := f.engine(t, Config{})
	// A valid PNG padded to exactly 8 MiB (decoders stop at IEND) is
	// read; one byte more is refused.
	pad := func(n int) io.Reader {
		p := smallPNG(t)
		return io.MultiReader(bytes.NewReader(p), io.LimitReader(zeros{}, int64(n-len(p))))
	}
	if _, err := tess.Scan(context.Background(), pad(DefaultMaxBytes), "image/png", Hint{Lang: "ko"}); err != nil {
		t.Errorf("8 MiB: %v", err)
	}
	if _, err := tess.Scan(context.Background(), pad(DefaultMaxBytes+1), "image/png", Hint{Lang: "ko"}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("8 MiB + 1: %v, want ErrTooLarge", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestUnsupported(t *testing.T) {
	f := newFake(t)
	f.release(t)
	tess := f.engine(t, Config{})
	png, jpg := smallPNG(t), encodeJPEG(t, image.NewGray(image.Rect(0, 0, 8, 8)), 90)
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	for _, c := range []struct {
		name string
		data []byte
		ct   string
		want error
	}{
		{"gif", gif, "image/gif", ErrUnsupported},
		{"gif declared png", gif, "image/png", ErrUnsupported},
		{"jpeg declared png", jpg, "image/png", ErrUnsupported},
		{"png as octet-stream", png, "application/octet-stream", ErrUnsupported},
		{"text", []byte("비빔밥 12,000원"), "text/plain", ErrUnsupported},
		{"bad content type", png, "image/png; ===", ErrUnsupported},
		{"truncated png", png[:40], "image/png", ErrBadImage},
		{"empty", nil, "image/png", ErrBadImage},
		{"png, no type: sniffed", png, "", nil},
		{"jpeg as image/jpg", jpg, "image/jpg", nil},
		{"png with parameters", png, "image/png; name=menu.png", nil},
	} {
		_, err := tess.Scan(context.Background(), bytes.NewReader(c.data), c.ct, Hint{Lang: "ko"})
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestQueue: one slot, one place in the queue; a third scan is refused at
// once, and the first two finish once tesseract does.
func TestQueue(t *testing.T) {
	f := newFake(t)
	tess := f.engine(t, Config{MaxConcurrent: 1, QueueSize: 1})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, ct, hint := scanArgs(t)
			var res Result
			res, errs[i] = tess.Scan(context.Background(), r, ct, hint)
			if errs[i] == nil && (res.Text != "fake\ttext" || res.Lines[0].Confidence != 0.85) {
				t.Errorf("scan %d: %+v", i, res)
			}
		}()
		if i == 0 {
			await(t, "the first scan to start tesseract", func() bool { return len(f.pids()) == 1 })
		}
	}
	await(t, "the second scan to queue", func() bool { return tess.limiter.queued() == 1 })

	r, ct, hint := scanArgs(t)
	_, err := tess.Scan(context.Background(), r, ct, hint)
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("third scan: %v, want ErrBusy", err)
	}
	// Refused while the others still wait: no tesseract run was released.
	if n := len(f.pids()); n != 1 {
		t.Fatalf("%d tesseract runs started, want 1", n)
	}
	f.release(t)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("scan %d: %v", i, err)
		}
	}
}

// TestQueueTimeout: a waiter gives up after QueueTimeout with ErrBusy.
func TestQueueTimeout(t *testing.T) {
	f := newFake(t)
	tess := f.engine(t, Config{MaxConcurrent: 1, QueueSize: 1, QueueTimeout: 50 * time.Millisecond})
	done := make(chan error, 1)
	go func() {
		r, ct, hint := scanArgs(t)
		_, err := tess.Scan(context.Background(), r, ct, hint)
		done <- err
	}()
	await(t, "the first scan to start tesseract", func() bool { return len(f.pids()) == 1 })
	r, ct, hint := scanArgs(t)
	if _, err := tess.Scan(context.Background(), r, ct, hint); !errors.Is(err, ErrBusy) {
		t.Errorf("waiter: %v, want ErrBusy", err)
	}
	f.release(t)
	if err := <-done; err != nil {
		t.Error(err)
	}
}

// TestKill: a scan that runs past ScanTimeout, or whose context is
// cancelled, kills tesseract, reaps it and leaves no goroutine behind.
func TestKill(t *testing.T) {
	for _, c := range []struct {
		name string
		want error
	}{{"timeout", ErrTimeout}, {"cancel", context.Canceled}} {
		t.Run(c.name, func(t *testing.T) {
			goroutines := runtime.NumGoroutine()
			f := newFake(t) // never released
			timeout := time.Hour
			if c.want == ErrTimeout {
				timeout = 200 * time.Millisecond
			}
			tess := f.engine(t, Config{ScanTimeout: timeout})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if c.want == context.Canceled {
				go func() {
					await(t, "tesseract to start", func() bool { return len(f.pids()) == 1 })
					cancel()
				}()
			}
			r, ct, hint := scanArgs(t)
			_, err := tess.Scan(ctx, r, ct, hint)
			if !errors.Is(err, c.want) {
				t.Fatalf("Scan: %v, want %v", err, c.want)
			}
			pids := f.pids()
			if len(pids) != 1 {
				t.Fatalf("%d runs started, want 1", len(pids))
			}
			// Reaped, not a zombie: a zombie still answers signal 0.
			if err := syscall.Kill(pids[0], 0); !errors.Is(err, syscall.ESRCH) {
				t.Errorf("tesseract pid %d still exists after Scan returned (kill 0: %v)", pids[0], err)
			}
			await(t, "goroutines to wind down", func() bool { return runtime.NumGoroutine() <= goroutines })
			if tess.limiter.running() != 0 {
				t.Errorf("slot not released")
			}
		})
	}
}

// TestRetryAfter: the estimate grows with the scans running and queued,
// and falls back to 0 once they are done.
func TestRetryAfter(t *testing.T) {
	f := newFake(t)
	tess := f.engine(t, Config{MaxConcurrent: 1, QueueSize: 2})
	if d := tess.RetryAfter(); d != 0 {
		t.Fatalf("idle: RetryAfter() = %v, want 0", d)
	}
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			r, ct, hint := scanArgs(t)
			if _, err := tess.Scan(context.Background(), r, ct, hint); err != nil {
				t.Errorf("scan %d: %v", i, err)
			}
		})
		if i == 0 {
			await(t, "the first scan to start tesseract", func() bool { return len(f.pids()) == 1 })
			if d := tess.RetryAfter(); d != typicalScan {
				t.Errorf("one running: RetryAfter() = %v, want %v", d, typicalScan)
			}
		}
	}
	await(t, "the second scan to queue", func() bool { return tess.limiter.queued() == 1 })
	if d := tess.RetryAfter(); d != 2*typicalScan {
		t.Errorf("one running, one waiting: RetryAfter() = %v, want %v", d, 2*typicalScan)
	}
	f.release(t)
	wg.Wait()
	if d := tess.RetryAfter(); d != 0 {
		t.Errorf("done: RetryAfter() = %v, want 0", d)
	}
	if tess.limiter.hold.Load() == int64(typicalScan) {
		t.Errorf("the finished scans left the average hold time untouched")
	}
}
