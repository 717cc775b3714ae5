package webapp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/menusync/menusync/internal/testproc"
)

// TestLighthouse runs Lighthouse 12.2.3 (web/package-lock.json) with its
// mobile profile (a mid-range phone, simulated slow 4G) against one
// replica with the embedded store, on the start page and on a table's
// join page, in light and in dark (chromium's --force-dark-mode):
// performance, accessibility and best practices must each score at
// least 95. The reports go to artifacts/lighthouse/.
func TestLighthouse(t *testing.T) {
	web := testproc.NodeModules(t, filepath.Join(testproc.RepoRoot(t), "web"))
	bin := filepath.Join(web, "node_modules", ".bin", "lighthouse")
	chrome := testproc.Chromium(t)
	rep := testproc.StartReplica(t, "lighthouse", "REDIS_URL=")
	dir := filepath.Join(testproc.ArtifactDir(t), "lighthouse")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path string }{{"start", "/"}, {"join", "/r/" + openRoom(t, rep.URL())}}
	var summary []string
	for _, mode := range []string{"light", "dark"} {
		for _, pg := range pages {
			flags := "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
			if mode == "dark" {
				flags += " --force-dark-mode"
			}
			out := filepath.Join(dir, pg.name+"-"+mode+".json")
			// Performance is measured on a CPU the test shares (go test
			// runs packages side by side): a page gets up to three runs,
			// and fails only if none reaches the bar. Accessibility and
			// best practices do not vary.
			var got string
			var low []string
			for attempt := 1; attempt <= 3; attempt++ {
				start := time.Now()
				cmd := exec.Command(bin, rep.URL()+pg.path, "--quiet", "--output=json", "--output-path="+out,
					"--only-categories=performance,accessibility,best-practices", "--chrome-flags="+flags)
				cmd.Env = append(os.Environ(), "CHROME_PATH="+chrome)
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("lighthouse %s %s: %v\n%s", pg.name, mode, err, b)
				}
				got, low = scores(t, out)
				got = fmt.Sprintf("%s (%v, run %d)", got, time.Since(start).Round(time.Second), attempt)
				if len(low) == 0 {
					break
				}
				summary = append(summary, fmt.Sprintf("%-5s %-5s %s: again", pg.name, mode, got))
			}
			for _, l := range low {
				t.Error(l)
			}
			summary = append(summary, fmt.Sprintf("%-5s %-5s %s", pg.name, mode, got))
		}
	}
	report := "Lighthouse 12.2.3, mobile profile, embedded server\n" + strings.Join(summary, "\n") + "\n"
	_ = os.WriteFile(filepath.Join(dir, "scores.txt"), []byte(report), 0o644)
	t.Logf("%sreports in %s", report, dir)
}

// scores reads a report's three categories, and says which are under
// 95 and why.
func scores(t *testing.T, file string) (string, []string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Categories map[string]struct {
			Score float64 `json:"score"`
		} `json:"categories"`
		Audits map[string]struct {
			Score        *float64 `json:"score"`
			DisplayMode  string   `json:"scoreDisplayMode"`
			Title        string   `json:"title"`
			DisplayValue string   `json:"displayValue"`
		} `json:"audits"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	var parts, low []string
	for _, c := range []string{"performance", "accessibility", "best-practices"} {
		s := int(r.Categories[c].Score*100 + 0.5)
		parts = append(parts, fmt.Sprintf("%s %d", c, s))
		if s < 95 {
			var weak []string
			for id, a := range r.Audits {
				if a.Score != nil && *a.Score < 1 && (a.DisplayMode == "binary" || a.DisplayMode == "numeric") {
					weak = append(weak, fmt.Sprintf("%s %.2f %s", id, *a.Score, a.DisplayValue))
				}
			}
			low = append(low, fmt.Sprintf("%s: %s scores %d (< 95); audits below 1:\n  %s", filepath.Base(file), c, s, strings.Join(weak, "\n  ")))
		}
	}
	return strings.Join(parts, ", "), low
}

// openRoom opens a table over the API and answers its id.
func openRoom(t *testing.T, base string) string {
	t.Helper()
	body := `{"name":"Dinner","currency":"KRW","creatorName":"Hana","menu":[{"name":"비빔밥","price":"12000"},{"name":"김치찌개","price":"9000"}]}`
	resp, err := http.Post(base+"/v1/rooms", "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var room struct{ ID string }
	if resp.StatusCode != 201 || json.NewDecoder(resp.Body).Decode(&room) != nil {
		t.Fatalf("create room: %d", resp.StatusCode)
	}
	return room.ID
}

// TestDeadTableAfterRestart: a server with the embedded store restarts
// mid-dinner, so it knows neither the table nor the phone's pass (401).
// The phone says so plainly, with the way on (join again, start a new
// table), forgets the stale pass and stops asking; a reload of the link
// says the table is gone before asking for a name.
func TestDeadTableAfterRestart(t *testing.T) {
	rep := testproc.StartReplica(t, "embedded", "REDIS_URL=")
	a := newAudit(t)
	t.Cleanup(a.write)
	ph := newPhone(t, browser(t, 90*time.Second), "Hana (en)", "en")
	ph.do("open a table", chromedp.Navigate(rep.URL()+"/"), chromedp.WaitVisible(chromedp.CSS("#read-btn")),
		chromedp.SendKeys(chromedp.CSS("#menu-text"), "비빔밥 12,000원\n김치찌개 9,000원"), chromedp.Click(chromedp.CSS("#read-btn")),
		chromedp.WaitVisible(chromedp.CSS("#preview-next")), chromedp.Click(chromedp.CSS("#preview-next")),
		chromedp.WaitVisible(chromedp.CSS("#host-name")), chromedp.SendKeys(chromedp.CSS("#host-name"), "Hana"),
		chromedp.Click(chromedp.CSS("#create-btn")), chromedp.WaitVisible(chromedp.CSS("#to-table")), chromedp.Click(chromedp.CSS("#to-table")))
	ph.state("live")
	// The table slides in: a tap during the transition can land elsewhere
	// (seen once on a loaded box: the pick never happened).
	ph.settle()
	ph.click(`#dishes li[data-menu-id="1"] .plus`)
	ph.waitText(`#dishes li[data-menu-id="1"] .qty`, "1")
	roomID := strings.TrimPrefix(eval[string](ph, `location.pathname`), "/r/")
	rep.Restart(t)
	ph.waitText("h1", "Your place at this table has expired")
	ph.waitJS("the pass forgotten", fmt.Sprintf(`localStorage.getItem('menusync:%s') === null`, roomID))
	if !strings.Contains(ph.text("#closed"), "Start a new table") || !strings.Contains(ph.text("#closed"), "Join again") {
		t.Errorf("the dead table offers %q", ph.text("#closed"))
	}
	a.screen(ph, "16-expired")
	// The table is gone: the link says so at once, before asking a name.
	ph.do("reload", chromedp.Reload())
	ph.waitText("h1", "This table is not here any more")
	if n := eval[int](ph, `document.querySelectorAll('#name').length`); n != 0 {
		t.Errorf("a gone table still asks for a name")
	}
	a.screen(ph, "17-gone")
	ph.click("#start-new")
	ph.waitJS("a new table", `document.querySelector('#read-btn')`)
}
