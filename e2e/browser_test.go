package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/menusync/menusync/internal/testproc"
)

// artifactDir is where browser screenshots go: $MENUSYNC_ARTIFACTS, or
// artifacts/ at the repo root (ignored by git).
func artifactDir(t *testing.T) string { return testproc.ArtifactDir(t) }

func chromium(t *testing.T) string { return testproc.Chromium(t) }

// twoBrowsers starts chromium headless (phone-sized) with two separate
// browser contexts: two people, two cookie jars, two localStorages.
func twoBrowsers(t *testing.T) (context.Context, context.Context) {
	t.Helper()
	bin := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(412, 915), // a phone
	)...)
	t.Cleanup(cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ana, cancelA := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelA)
	bo, cancelB := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelB)

	return ana, bo
}

func do(t *testing.T, c context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitText waits until the element's text contains want.
func waitText(t *testing.T, c context.Context, sel, want string) time.Duration {
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

// waitState waits until the page's connection badge says state (live,
// polling, reconnecting...).
func waitState(t *testing.T, c context.Context, state string) {
	t.Helper()
	testproc.WaitFor(t, 20*time.Second, "#status is "+state, func() bool {
		tc, cancel := context.WithTimeout(c, 2*time.Second)
		defer cancel()
		got, err := chromedp.Run(tc, chromedp.Evaluate[string](`document.querySelector('#status')?.dataset.state ?? ''`))
		return err == nil && got == state
	})
}

// openTable: Ana opens a table with a menu in four scripts (pasted, read
// by the server, opened as she checked it) and is at it as its host; Bo
// joins from the share link.
func openTable(t *testing.T, base string, ana, bo context.Context) {
	t.Helper()
	menu := "寿司 $18\n비빔밥 $12.50\nต้มยำกุ้ง $9\nشاي بالنعناع $4.50"
	do(t, ana, "Ana opens a table",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#read-btn")),
		chromedp.SetValue(chromedp.CSS("#menu-text"), menu),
		chromedp.Click(chromedp.CSS("#read-btn")),
		chromedp.WaitVisible(chromedp.CSS("#preview-next")),
		chromedp.Click(chromedp.CSS("#preview-next")),
		chromedp.WaitVisible(chromedp.CSS("#host-name")),
		chromedp.SendKeys(chromedp.CSS("#host-name"), "Ana"),
		chromedp.Click(chromedp.CSS("#create-btn")),
		chromedp.WaitVisible(chromedp.CSS("#to-table")),
		chromedp.Click(chromedp.CSS("#to-table")),
		chromedp.WaitVisible(chromedp.CSS(`#dishes li[data-menu-id="1"]`)),
	)
	shareURL, err := chromedp.Run(ana, chromedp.Location())
	if err != nil || !strings.Contains(shareURL, "/r/") {
		t.Fatalf("no share link: %q %v", shareURL, err)
	}
	do(t, bo, "Bo opens the share link and joins",
		chromedp.Navigate(shareURL),
		chromedp.WaitVisible(chromedp.CSS("#join-btn")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Bo"),
		chromedp.Click(chromedp.CSS("#join-btn")),
		chromedp.WaitVisible(chromedp.CSS(`#dishes li[data-menu-id="1"]`)),
	)
}

// TestBrowserFallsBackToLongPoll: behind a proxy that holds the stream,
// the page notices within two heartbeats, says it is polling, and the two
// people still see each other's picks.
func TestBrowserFallsBackToLongPoll(t *testing.T) {
	rd := testproc.StartRedis(t)
	var ups []string
	for i := 1; i <= 2; i++ {
		ups = append(ups, testproc.StartReplica(t, fmt.Sprintf("replica-%d", i), "REDIS_URL="+rd.URL(), "MENUSYNC_SECRET="+secret, "MENUSYNC_HEARTBEAT=1s").Addr)
	}
	ng := testproc.StartBufferingNginx(t, ups...)
	ana, bo := twoBrowsers(t)
	openTable(t, ng.URL(), ana, bo)
	waitState(t, ana, "polling")
	waitState(t, bo, "polling")
	do(t, ana, "Ana takes a sushi", chromedp.Click(chromedp.CSS(`#dishes li[data-menu-id="1"] .plus`)))
	took := waitText(t, bo, `#dishes li[data-menu-id="1"] .who`, "Ana ×1")
	do(t, bo, "Bo takes tea", chromedp.Click(chromedp.CSS(`#dishes li[data-menu-id="4"] .plus`)))
	waitText(t, ana, "#bar-total", "22.50")
	t.Logf("polling: Bo saw Ana's pick after %v", took)
	png, err := chromedp.Run(ana, chromedp.FullScreenshot(100))
	if err == nil {
		_ = os.WriteFile(filepath.Join(artifactDir(t), "browser-polling.png"), png, 0o644)
	}
}
