package main

import (
	"context"
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
	t.Logf("\n%s", s)
}
