package webapp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/menusync/menusync/internal/testproc"
)

// A phone is one person's browser: its own context (cookies, storage),
// a 390×844 screen, and its own languages.
type phone struct {
	t    *testing.T
	name string
	ctx  context.Context

	mu       sync.Mutex
	problems []string // the page's uncaught exceptions and console errors
}

// browser starts chromium headless for the whole test.
func browser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(testproc.Chromium(t)),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844),
	)...)
	t.Cleanup(cancelAlloc)
	b, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(b); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

// newPhone opens a new browser context whose navigator.languages is
// langs (the Accept-Language a phone set to that language sends).
func newPhone(t *testing.T, b context.Context, name, langs string) *phone {
	t.Helper()
	p := &phone{t: t, name: name}
	ctx, cancel := chromedp.NewContext(b, chromedp.WithNewBrowserContext(), chromedp.WithListener(p.listen))
	t.Cleanup(cancel)
	p.ctx = ctx
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, pr := range p.problems {
			t.Errorf("%s: the page had %s", name, pr)
		}
	})
	p.do("set up the screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1)))
	ua := eval[string](p, `navigator.userAgent`)
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: langs}); err != nil {
		t.Fatal(err)
	}
	return p
}

// listen keeps the page's uncaught exceptions and console errors: each
// fails the test.
func (p *phone) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		problem = "exception: " + ev.ExceptionDetails.Text
		if ex := ev.ExceptionDetails.Exception; ex != nil {
			problem += " " + ex.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var args []string
		for _, a := range ev.Args {
			if a.Description != "" {
				args = append(args, a.Description)
			} else {
				args = append(args, string(a.Value))
			}
		}
		problem = "console.error: " + strings.Join(args, " ")
	default:
		return
	}
	p.mu.Lock()
	p.problems = append(p.problems, problem)
	p.mu.Unlock()
}

func (p *phone) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatalf("%s: %s: %v", p.name, what, err)
	}
}

func eval[T any](p *phone, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("%s: %s: %v", p.name, js, err)
	}
	return v
}

// waitJS waits until the expression is true on the page.
// On a timeout it says what the phone showed instead.
func (p *phone) waitJS(what, js string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for delay := time.Millisecond; ; delay = min(delay*2, 50*time.Millisecond) {
		tc, cancel := context.WithTimeout(p.ctx, 3*time.Second)
		ok, err := chromedp.Run(tc, chromedp.Evaluate[bool]("!!("+js+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tc, cancel := context.WithTimeout(p.ctx, 3*time.Second)
			shown, _ := chromedp.Run(tc, chromedp.Evaluate[string](`(document.querySelector('#toast:not([hidden])')?.textContent ?? '') + ' | ' + document.body.innerText.replace(/\s+/g, ' ').slice(0, 600)`))
			cancel()
			p.t.Fatalf("%s: timed out after 30s waiting for: %s\nthe phone shows: %s", p.name, what, shown)
		}
		time.Sleep(delay)
	}
}

// waitText waits until the element's text contains want.
func (p *phone) waitText(sel, want string) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf("%q in %s", want, sel), fmt.Sprintf(`(document.querySelector(%q)?.textContent ?? '').includes(%q)`, sel, want))
}

func (p *phone) text(sel string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`document.querySelector(%q)?.textContent ?? ''`, sel))
}

func (p *phone) click(sel string) {
	p.t.Helper()
	p.do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

func (p *phone) state(want string) {
	p.t.Helper()
	p.waitJS("#status is "+want, fmt.Sprintf(`document.querySelector('#status')?.dataset.state === %q`, want))
}

// settle waits for the page's transitions to end and two frames to be
// drawn, so a screenshot or a contrast check sees the final colours.
func (p *phone) settle() {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`Promise.all(document.getAnimations().filter(a => isFinite(a.effect?.getTiming().iterations ?? 1)).map(a => a.finished.catch(() => 0)))
		.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`, chromedp.EvalAwaitPromise)); err != nil {
		p.t.Fatalf("%s: settle: %v", p.name, err)
	}
}

func (p *phone) scheme(dark bool) {
	p.t.Helper()
	v := "light"
	if dark {
		v = "dark"
	}
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}},
	}); err != nil {
		p.t.Fatal(err)
	}
}

// An audit collects what axe found on every screen, in both schemes.
type audit struct {
	t     *testing.T
	dir   string
	axe   string
	mu    sync.Mutex
	lines []string
	shots []string
}

func newAudit(t *testing.T) *audit {
	web := testproc.NodeModules(t, filepath.Join(testproc.RepoRoot(t), "web"))
	src, err := os.ReadFile(filepath.Join(web, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(testproc.ArtifactDir(t), "webapp")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return &audit{t: t, dir: dir, axe: string(src)}
}

type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// screen saves a 390×844 screenshot of what p shows, in light and in
// dark, and runs axe-core on it in both: a serious or critical
// violation fails the test.
func (a *audit) screen(p *phone, name string) {
	a.t.Helper()
	if msg := eval[string](p, `(() => { const t = document.querySelector('#toast'); return t && !t.hidden ? t.textContent : ''; })()`); msg != "" {
		a.t.Errorf("%s: %s shows an error: %q", p.name, name, msg)
	}
	for _, dark := range []bool{false, true} {
		mode := "light"
		if dark {
			mode = "dark"
		}
		p.scheme(dark)
		p.settle()
		png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			a.t.Fatal(err)
		}
		file := filepath.Join(a.dir, name+"-"+mode+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			a.t.Fatal(err)
		}
		vs := a.run(p)
		a.mu.Lock()
		a.shots = append(a.shots, file)
		a.lines = append(a.lines, fmt.Sprintf("%-16s %-5s %s", name, mode, summarize(vs)))
		a.mu.Unlock()
		for _, v := range vs {
			if v.Impact == "serious" || v.Impact == "critical" {
				a.t.Errorf("axe on %s (%s, %s): %s %s: %s\n  %s", name, mode, p.name, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n  "))
			}
		}
	}
	p.scheme(false)
}

func (a *audit) run(p *phone) []violation {
	a.t.Helper()
	if !eval[bool](p, `typeof axe !== 'undefined'`) {
		if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[chromedp.Void](a.axe)); err != nil {
			a.t.Fatalf("inject axe: %v", err)
		}
	}
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`axe.run(document, { resultTypes: ['violations'] }).then((r) => JSON.stringify(r.violations.map((v) => ({
		id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' ')),
	}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		a.t.Fatalf("axe: %v", err)
	}
	var vs []violation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		a.t.Fatal(err)
	}
	return vs
}

func summarize(vs []violation) string {
	if len(vs) == 0 {
		return "no violations"
	}
	var parts []string
	for _, v := range vs {
		parts = append(parts, v.Impact+" "+v.ID)
	}
	return strings.Join(parts, ", ")
}

// write keeps axe's findings next to the screenshots.
func (a *audit) write() {
	a.mu.Lock()
	defer a.mu.Unlock()
	report := "axe-core on every screen (serious and critical fail the test)\n" + strings.Join(a.lines, "\n") + "\n"
	_ = os.WriteFile(filepath.Join(a.dir, "axe-"+a.t.Name()+".txt"), []byte(report), 0o644)
	a.t.Logf("%s%d screenshots in %s", report, len(a.shots), a.dir)
}
