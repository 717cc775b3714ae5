package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"time"
)

// errScanTimeout is the cause of a scan's own deadline, told apart from
// the caller's context ending (a client that went away).
var errScanTimeout = errors.New("scan timeout")

// maxOutput caps what is kept of tesseract's stdout and stderr: a page of
// menu text is a few KB, and a runaway process must not fill memory.
const maxOutput = 4 << 20

// command runs tesseract with stdin as its input image and returns its
// stdout. When ctx ends the whole process group is killed (see
// proc_unix.go) and reaped before command returns: no zombie, no
// goroutine left copying pipes.
func (t *Tesseract) command(ctx context.Context, bin string, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr capped
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// tesseract is built with OpenMP and would start a thread per core for
	// every scan; the limiter already runs one scan per core. Measured on
	// the Korean fixture: 0.5 s of CPU single-threaded, 3 s with OpenMP's
	// spinning threads on the shared 2-core box.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	killGroup(cmd)
	// If something still holds the pipes after the kill, stop waiting.
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if err == nil {
		return stdout.Bytes(), nil
	}
	if ctx.Err() != nil {
		if errors.Is(context.Cause(ctx), errScanTimeout) {
			return nil, fmt.Errorf("%w: tesseract killed after %v", ErrTimeout, t.cfg.ScanTimeout)
		}
		return nil, fmt.Errorf("ocr: tesseract stopped: %w", context.Cause(ctx))
	}
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	msg := lastLines(stderr.String(), 3)
	if strings.Contains(msg, "Failed loading language") || strings.Contains(msg, "Error opening data file") {
		return nil, fmt.Errorf("%w: tesseract: %s", ErrUnavailable, msg)
	}
	return nil, fmt.Errorf("ocr: tesseract: %v: %s", err, msg)
}

// dataArgs prepends --tessdata-dir when configured.
func (t *Tesseract) dataArgs(args ...string) []string {
	if t.cfg.DataDir == "" {
		return args
	}
	return append([]string{"--tessdata-dir", t.cfg.DataDir}, args...)
}

// capped is a buffer that keeps the first maxOutput bytes and drops the
// rest, reporting success so the process is not killed by EPIPE.
type capped struct{ bytes.Buffer }

func (c *capped) Write(p []byte) (int, error) {
	if room := maxOutput - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
