package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/menusync/menusync/internal/testproc"
)

// artifactDir is where browser screenshots go: $MENUSYNC_ARTIFACTS, or
// artifacts/ at the repo root (ignored by git).
func artifactDir(t *testing.T) string {
	dir := os.Getenv("MENUSYNC_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(testproc.RepoRoot(t), "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: install Debian's chromium (make test / .ci/run do)")
	return ""
}

// TestBrowserParty drives Debian's chromium headless through the web app:
// two people in separate browser contexts join one table through nginx in
// front of two replicas, with their streams on different replicas; one
// picks a dish and the other sees it; a reload keeps the member and the
// current state. Screenshots of both pages are saved as artifacts.
func TestBrowserParty(t *testing.T) {
	bin := chromium(t)
	rd := testproc.StartRedis(t)
	var reps []*testproc.Replica
	var ups []string
	for i := 1; i <= 2; i++ {
		rep := testproc.StartReplica(t, fmt.Sprintf("replica-%d", i), "REDIS_URL="+rd.URL(), "MENUSYNC_SECRET="+secret)
		reps = append(reps, rep)
		ups = append(ups, rep.Addr)
	}
	ng := testproc.StartNginx(t, ups...)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(412, 915), // a phone
	)...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ana, cancelA := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancelA()
	bo, cancelB := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancelB()

	menu := "寿司, 18\n비빔밥, 12.5, 매운 맛\nต้มยำกุ้ง, 9\nشاي بالنعناع, 4.5"
	run := func(c context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(c, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	run(ana, "Ana opens a table",
		chromedp.Navigate(ng.URL()+"/"),
		chromedp.WaitVisible(chromedp.CSS("#create-btn")),
		chromedp.SetValue(chromedp.CSS("#menu-text"), menu),
		chromedp.Click(chromedp.CSS("#create-btn")),
		chromedp.WaitVisible(chromedp.CSS("#join-btn")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Ana"),
		chromedp.Click(chromedp.CSS("#join-btn")),
		chromedp.WaitVisible(chromedp.CSS(`#dishes li[data-menu-id="1"]`)),
	)
	shareURL, err := chromedp.Run(ana, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(shareURL, "/r/") {
		t.Fatalf("no share link: %s", shareURL)
	}
	run(bo, "Bo opens the share link and joins",
		chromedp.Navigate(shareURL),
		chromedp.WaitVisible(chromedp.CSS("#join-btn")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Bo"),
		chromedp.Click(chromedp.CSS("#join-btn")),
		chromedp.WaitVisible(chromedp.CSS(`#dishes li[data-menu-id="1"]`)),
	)
	waitText := func(c context.Context, sel, want string) time.Duration {
		t.Helper()
		start := time.Now()
		testproc.WaitFor(t, 20*time.Second, fmt.Sprintf("%q in %s", want, sel), func() bool {
			tc, cancel := context.WithTimeout(c, 2*time.Second)
			defer cancel()
			got, err := chromedp.Run(tc, chromedp.Text(chromedp.CSS(sel)))
			return err == nil && strings.Contains(got, want)
		})
		return time.Since(start)
	}
	waitText(ana, "#status", "live")
	waitText(bo, "#status", "live")

	// The two pages' streams must be on different replicas; round robin
	// decides, so reload Bo (a reload is part of the story anyway) until
	// they are.
	split := func() bool {
		a, b := scrape(t, reps[0].URL())["menusync_streams_open"], scrape(t, reps[1].URL())["menusync_streams_open"]
		return a == 1 && b == 1
	}
	for i := 0; !split(); i++ {
		if i == 8 {
			t.Fatal("the two pages' streams never landed on different replicas")
		}
		run(bo, "Bo reloads", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#dishes li[data-menu-id="1"]`)))
		waitText(bo, "#status", "live")
		testproc.WaitFor(t, 10*time.Second, "old stream closed", func() bool {
			return scrape(t, reps[0].URL())["menusync_streams_open"]+scrape(t, reps[1].URL())["menusync_streams_open"] == 2
		})
	}

	run(ana, "Ana takes a sushi", chromedp.Click(chromedp.CSS(`#dishes li[data-menu-id="1"] .plus`)))
	waitText(ana, `#dishes li[data-menu-id="1"] output`, "1")
	run(ana, "and another", chromedp.Click(chromedp.CSS(`#dishes li[data-menu-id="1"] .plus`)))
	took := waitText(bo, `#dishes li[data-menu-id="1"] .who`, "Ana ×2")
	t.Logf("Bo's page showed Ana's choice %v after her second click", took)
	run(bo, "Bo takes tea", chromedp.Click(chromedp.CSS(`#dishes li[data-menu-id="4"] .plus`)))
	waitText(ana, "#grand-total", "40.50")

	run(bo, "Bo reloads", chromedp.Reload())
	waitText(bo, "#me", "You are Bo")
	waitText(bo, "#grand-total", "40.50")
	waitText(bo, `#dishes li[data-menu-id="1"] .who`, "Ana ×2")
	waitText(bo, "#status", "live")

	dir := artifactDir(t)
	for name, c := range map[string]context.Context{"ana": ana, "bo": bo} {
		png, err := chromedp.Run(c, chromedp.FullScreenshot(100)) // 100 means PNG
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "browser-"+name+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
}
