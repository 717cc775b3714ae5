package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

// startInProcess runs the server (embedded store) for client tests.
func startInProcess(t *testing.T) string {
	t.Helper()
	port := strconv.Itoa(testproc.FreePort(t))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:" + port, "-drain-window", "100ms"}, envOf(), &testproc.Buffer{})
	}()
	t.Cleanup(func() { cancel(); <-done })
	url := "http://127.0.0.1:" + port
	testproc.WaitFor(t, 10*time.Second, "server up", func() bool {
		return run(context.Background(), []string{"healthcheck"}, envOf("MENUSYNC_ADDR", "127.0.0.1:"+port), &testproc.Buffer{}) == nil
	})
	return url
}

func runCLI(t *testing.T, url, token string, args ...string) string {
	t.Helper()
	out := &testproc.Buffer{}
	if err := run(context.Background(), args, envOf("MENUSYNC_URL", url, "MENUSYNC_TOKEN", token), out); err != nil {
		t.Fatalf("menusync %v: %v\n%s", args, err, out.String())
	}
	return out.String()
}

func TestCLISession(t *testing.T) {
	url := startInProcess(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "menu.csv")
	_ = os.WriteFile(csvPath, []byte("\uFEFFid,name,price,description\nbbq,불고기,15,\"grilled, sweet\"\ntea,Green tea,3,\n"), 0o644)

	out := runCLI(t, url, "", "create", "-ttl", "2h", csvPath)
	m := regexp.MustCompile(`(?m)^room (\S+)$`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "불고기") {
		t.Fatalf("create printed:\n%s", out)
	}
	room := m[1]
	tokenRe := regexp.MustCompile(`export MENUSYNC_TOKEN=(\S+)`)
	ana := tokenRe.FindStringSubmatch(runCLI(t, url, "", "join", room, "Ana"))[1]
	bo := tokenRe.FindStringSubmatch(runCLI(t, url, "", "join", room, "Bo"))[1]

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watchOut := &testproc.Buffer{}
	watchDone := make(chan error, 1)
	go func() {
		watchDone <- run(ctx, []string{"watch", room}, envOf("MENUSYNC_URL", url, "MENUSYNC_TOKEN", ana), watchOut)
	}()
	testproc.WaitFor(t, 10*time.Second, "watch prints the room", func() bool { return strings.Contains(watchOut.String(), "version 4") }) // 4: Ana online

	if out := runCLI(t, url, bo, "choose", room, "bbq", "2"); !strings.Contains(out, "version 5: 2 × 불고기") {
		t.Fatalf("choose printed %q", out)
	}
	runCLI(t, url, ana, "choose", room, "tea", "1")
	testproc.WaitFor(t, 10*time.Second, "watch prints the new summary", func() bool {
		s := watchOut.String()
		return strings.Contains(s, "version 6: 3 dishes  (33.00)") && strings.Contains(s, "Bo: 2 × 불고기  (30.00)")
	})
	cancel()
	if err := <-watchDone; err != nil {
		t.Fatalf("watch: %v", err)
	}

	// JSON menus work too, and errors come back readable.
	jsonPath := filepath.Join(dir, "menu.json")
	_ = os.WriteFile(jsonPath, []byte(`{"menu":[{"name":"Soup"}]}`), 0o644)
	if out := runCLI(t, url, "", "create", jsonPath); !strings.Contains(out, "Soup") {
		t.Fatalf("json create: %s", out)
	}
	err := run(context.Background(), []string{"choose", room, "pizza", "1"}, envOf("MENUSYNC_URL", url, "MENUSYNC_TOKEN", bo), &testproc.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "unknown menu item") || strings.HasPrefix(err.Error(), "menusync:") {
		t.Fatalf("choose pizza: %v (main adds the program's name, once)", err)
	}
	if err := run(context.Background(), []string{"join", room}, envOf("MENUSYNC_URL", url), &testproc.Buffer{}); err == nil {
		t.Fatal("join without a name accepted")
	}
}

func TestCSVMenuErrors(t *testing.T) {
	for _, bad := range []string{"", "name\n", "id,price\nx,1\n", "name,price\nsoup,cheap\n"} {
		if _, err := parseCSVMenu(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
