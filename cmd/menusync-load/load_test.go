package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

func TestHistogram(t *testing.T) {
	var h histogram
	for _, d := range []time.Duration{3 * time.Microsecond, 100 * time.Microsecond, time.Millisecond, 50 * time.Millisecond} {
		b := bucketOf(d)
		if up := bucketUpper(b); up < d || up > d+d/8+time.Microsecond {
			t.Errorf("%v in a bucket up to %v", d, up)
		}
		h.add(d)
	}
	if q := h.quantile(0.5); q < 100*time.Microsecond || q > 2*time.Millisecond {
		t.Errorf("median %v", q)
	}
}

// TestLoadSmoke runs the tool briefly against a real server: every POST
// is delivered to every stream of its room, in order.
func TestLoadSmoke(t *testing.T) {
	rep := testproc.StartReplica(t, "load", "REDIS_URL=", "MENUSYNC_RATE_MEMBER=0", "MENUSYNC_RATE_IP=0",
		"MENUSYNC_ROOMS_PER_IP_MINUTE=0", "MENUSYNC_STREAMS_PER_IP=0")
	out := &testproc.Buffer{}
	err := run(context.Background(), []string{"-url", rep.URL(), "-streams", "40", "-rate", "40", "-duration", "2s", "-sources", "127.0.0.1,127.0.0.2"}, out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	s := out.String()
	for _, want := range []string{"streams: 40 of 40", "lost 0, duplicated 0, out of order 0", "latency"} {
		if !strings.Contains(s, want) {
			t.Fatalf("report lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "delivered: 0 ") {
		t.Fatalf("nothing delivered:\n%s", s)
	}
	if !strings.Contains(s, "wrong snapshots 0") {
		t.Fatalf("snapshots not all checked good:\n%s", s)
	}
	t.Logf("\n%s", s)
}

// TestLoadProcs splits a run over two processes (the test binary is not
// the tool, so this builds it) and holds the streams idle in another.
func TestLoadProcs(t *testing.T) {
	rep := testproc.StartReplica(t, "load", "REDIS_URL=", "MENUSYNC_RATE_MEMBER=0", "MENUSYNC_RATE_IP=0",
		"MENUSYNC_ROOMS_PER_IP_MINUTE=0", "MENUSYNC_STREAMS_PER_IP=0")
	bin := filepath.Join(t.TempDir(), "menusync-load")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"-procs", "2", "-streams", "33", "-rate", "30", "-duration", "1s"},
		{"-streams", "16", "-rate", "0", "-duration", "500ms"},
	} {
		out, err := exec.Command(bin, append([]string{"-url", rep.URL()}, args...)...).CombinedOutput()
		s := string(out)
		if err != nil || !strings.Contains(s, "33 of 33") && !strings.Contains(s, "16 of 16") ||
			!strings.Contains(s, "lost 0, duplicated 0, out of order 0, streams ended by the server 0") {
			t.Fatalf("%v: %v\n%s", args, err, s)
		}
		if args[0] == "-procs" && (strings.Contains(s, "delivered: 0 ") || !strings.Contains(s, "over 2 processes")) {
			t.Fatalf("two processes delivered nothing:\n%s", s)
		}
		t.Logf("%v\n%s", args, s)
	}
}
