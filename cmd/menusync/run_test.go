package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestConfigErrors(t *testing.T) {
	cases := map[string]func(string) string{
		"secret required with REDIS_URL": envOf("REDIS_URL", "redis://127.0.0.1:1"),
		"short secret":                   envOf("REDIS_URL", "redis://127.0.0.1:1", "MENUSYNC_SECRET", "short"),
		"bad heartbeat":                  envOf("MENUSYNC_HEARTBEAT", "1m"),
		"unparsable heartbeat":           envOf("MENUSYNC_HEARTBEAT", "soon"),
	}
	for name, env := range cases {
		if _, err := parseConfig(nil, env); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c, err := parseConfig([]string{"-addr", "127.0.0.1:9", "-replica", "r9"}, envOf("MENUSYNC_ADDR", ":1", "MENUSYNC_API_KEY", "k"))
	if err != nil || c.addr != "127.0.0.1:9" || c.replica != "r9" || c.apiKey != "k" || c.heartbeat != 15*time.Second {
		t.Fatalf("flags over env: %+v %v", c, err)
	}
}

// TestRunServesAndStops runs the server in process with the embedded
// store and checks that cancelling its context shuts it down cleanly.
func TestRunServesAndStops(t *testing.T) {
	port := testproc.FreePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := &testproc.Buffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:" + strconv.Itoa(port), "-drain-window", "100ms"}, envOf("MENUSYNC_REPLICA", "inproc"), out)
	}()
	testproc.WaitFor(t, 10*time.Second, "/readyz", func() bool {
		resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(port) + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200 && resp.Header.Get("X-Menusync-Replica") == "inproc"
	})
	probe := envOf("MENUSYNC_ADDR", "127.0.0.1:"+strconv.Itoa(port))
	if err := run(context.Background(), []string{"healthcheck"}, probe, out); err != nil {
		t.Fatalf("healthcheck of a live server: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	if err := run(context.Background(), []string{"healthcheck"}, probe, out); err == nil {
		t.Fatal("healthcheck passed with the server stopped")
	}
	if !strings.Contains(out.String(), "single-replica") || !strings.Contains(out.String(), "stopped") {
		t.Fatalf("logs:\n%s", out.String())
	}
}
