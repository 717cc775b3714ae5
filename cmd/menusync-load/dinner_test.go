package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

// TestDinnerSmoke runs a few seconds of the dinner rush against a real
// replica on a real redis-server, behind the repo's nginx: tables arrive,
// people join, stream or long-poll, choose, sleep and resume, reload;
// tables close or expire; every client ends equal to the server's
// snapshot, and the CSV and the plot are written.
func TestDinnerSmoke(t *testing.T) {
	r := testproc.StartRedis(t)
	rep := testproc.StartReplica(t, "dinner", "REDIS_URL="+r.URL(), "MENUSYNC_SECRET=0123456789abcdef0123",
		"MENUSYNC_RATE_MEMBER=0", "MENUSYNC_RATE_IP=0", "MENUSYNC_ROOMS_PER_IP_MINUTE=0", "MENUSYNC_STREAMS_PER_IP=0",
		"MENUSYNC_RATE_READ_MEMBER=0", "MENUSYNC_RATE_READ_IP=0", "MENUSYNC_HEARTBEAT=1s", "MENUSYNC_PRESENCE_GRACE=200ms")
	ng := testproc.StartNginx(t, rep.Addr)
	dir := t.TempDir()
	csv, png := filepath.Join(dir, "d.csv"), filepath.Join(dir, "d.png")
	out := &testproc.Buffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	err := run(ctx, []string{"-scenario", "dinner", "-url", ng.URL(), "-curve", "0s:1,3s:1", "-peak", "2",
		"-people", "2-4", "-join-over", "1s", "-changes", "2-4", "-think", "200ms", "-sleep-share", "0.4", "-sleep", "300ms-1s",
		"-poll-share", "0.3", "-reload-share", "0.3", "-close-share", "0.5", "-expire-ttl", "2s", "-tail", "60s",
		"-redis", r.Addr, "-replica-pids", "", "-csv", csv, "-png", png, "-sources", "127.0.0.1,127.0.0.2"}, out)
	s := out.String()
	if err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	for _, want := range []string{" 0 stale, 0 deltas lost", "choice -> others' screens: p50", "phase peak"} {
		if !strings.Contains(s, want) {
			t.Fatalf("report lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "dinner: 0 tables") || strings.Contains(s, "checked 0 clients") {
		t.Fatalf("no table dined:\n%s", s)
	}
	for _, f := range []string{csv, png} {
		if st, err := os.Stat(f); err != nil || st.Size() < 200 {
			t.Fatalf("%s: %v", f, err)
		}
	}
	b, _ := os.ReadFile(csv)
	if lines := strings.Count(string(b), "\n"); lines < 4 || !strings.Contains(string(b), "redis CPU %") {
		t.Fatalf("csv of %d lines:\n%s", lines, b)
	}
	t.Logf("\n%s", s)
}

// TestCreateWaitsRetryAfter: a new table refused with 503 and Retry-After
// (a replica shedding load) waits at least the Retry-After, asks again
// until it is let in, and is counted as told to wait, not as an error.
func TestCreateWaitsRetryAfter(t *testing.T) {
	var asked atomic.Int32
	var last atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().UnixNano()
		if n := asked.Add(1); n > 1 && time.Duration(now-last.Load()) < time.Second {
			t.Errorf("asked again after %v, before the Retry-After", time.Duration(now-last.Load()))
		}
		last.Store(now)
		if asked.Load() <= 2 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"room1","creator":{"member":{"id":"m1","name":"host"},"token":"tok"}}`))
	}))
	defer srv.Close()
	d := &dinner{base: srv.URL, client: srv.Client(), stats: newDinnerStats(time.Now(), time.Minute), menu: dinnerMenu()}
	tb := &table{d: d, sent: map[uint64]time.Time{}, pending: map[uint64][]time.Time{}}
	host := newPerson(tb, "host")
	if !tb.create(context.Background(), host) || tb.id != "room1" || host.token != "tok" {
		t.Fatalf("not created: %q %q", tb.id, host.token)
	}
	st := d.stats
	w := st.window(0, len(st.seconds))
	if asked.Load() != 3 || w.admitFirst != 1 || w.admitRefused != 2 || st.admitWait.count() != 1 || st.waiting.Load() != 0 {
		t.Fatalf("asked %d, told to wait %d, refused %d, waits %d, waiting %d", asked.Load(), w.admitFirst, w.admitRefused, st.admitWait.count(), st.waiting.Load())
	}
	if len(st.causes()) != 0 {
		t.Fatalf("counted as errors: %v", st.causes())
	}
}
