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

// TestSubcommandsAndHelp: help lists the subcommands and the server's
// settings; a typo is an error, not a server starting.
func TestSubcommandsAndHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		out := &testproc.Buffer{}
		if err := run(context.Background(), args, envOf(), out); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, want := range []string{"menusync create", "menusync watch", "MENUSYNC_ADDR, -addr", "MENUSYNC_SECRET, (environment only)"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v does not list %q:\n%s", args, want, out)
			}
		}
	}
	for _, args := range [][]string{{"craete", "menu.csv"}, {"-addr", "127.0.0.1:0", "stray"}, {"-no-such-flag"}} {
		err := run(context.Background(), args, envOf(), &testproc.Buffer{})
		if err == nil {
			t.Errorf("%v: accepted", args)
		}
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
