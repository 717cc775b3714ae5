package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/menuimage"
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
	menuPath := filepath.Join(dir, "menu.txt")
	_ = os.WriteFile(menuPath, []byte("비빔밥 ........ 12,000원\n김치찌개 9,000원\n해물파전 15,000원\n"), 0o644)

	// The draft first: prices in won, how to say each dish.
	out := runCLI(t, url, "", "parse", menuPath)
	for _, want := range []string{"3 dishes (KRW, read as lines)", "비빔밥", "12,000", "bibimbap", "kimchi-jjigae"} {
		if !strings.Contains(out, want) {
			t.Fatalf("parse printed no %q:\n%s", want, out)
		}
	}
	out = runCLI(t, url, "", "create", "-as", "Hana", "-name", "Dinner at Gwangjang", menuPath)
	m := regexp.MustCompile(`(?m)^room (\S+)$`).FindStringSubmatch(out)
	tokenRe := regexp.MustCompile(`export MENUSYNC_TOKEN=(\S+)`)
	if m == nil || !strings.Contains(out, "you are the host, Hana") {
		t.Fatalf("create printed:\n%s", out)
	}
	room, hana := m[1], tokenRe.FindStringSubmatch(out)[1]
	ana := tokenRe.FindStringSubmatch(runCLI(t, url, "", "join", room, "Ana"))[1]
	bo := tokenRe.FindStringSubmatch(runCLI(t, url, "", "join", room, "Bo"))[1]

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watchOut := &testproc.Buffer{}
	watchDone := make(chan error, 1)
	go func() {
		watchDone <- run(ctx, []string{"watch", room}, envOf("MENUSYNC_URL", url, "MENUSYNC_TOKEN", ana), watchOut)
	}()
	testproc.WaitFor(t, 10*time.Second, "watch prints the room", func() bool { return strings.Contains(watchOut.String(), "version 5") }) // 5: Ana online

	if out := runCLI(t, url, bo, "choose", "-note", "no egg", room, "1", "2"); !strings.Contains(out, "version 6: 2 × 비빔밥: no egg") {
		t.Fatalf("choose printed %q", out)
	}
	runCLI(t, url, hana, "choose", room, "2", "1")
	if out := runCLI(t, url, hana, "choose", room, "2", "0"); !strings.Contains(out, "version 8: 김치찌개 removed") {
		t.Fatalf("a removal printed %q", out)
	}
	runCLI(t, url, ana, "choose", "-shared", room, "3", "1")
	runCLI(t, url, ana, "done", room)
	testproc.WaitFor(t, 10*time.Second, "watch prints the split", func() bool {
		s := watchOut.String()
		// 해물파전 for the table: 15,000 split three ways.
		return strings.Contains(s, "version 10: 3 dishes  39,000 KRW") && strings.Contains(s, "Bo: 2 × 비빔밥, 1/3 of 1 × 해물파전  29,000 KRW")
	})
	if e := runErr(url, ana, "lock", room); e == nil || !strings.Contains(e.Error(), "host") {
		t.Fatalf("a guest locking the order: %v", e)
	}
	runCLI(t, url, hana, "lock", room)
	if e := runErr(url, bo, "choose", room, "2", "1"); e == nil || !strings.Contains(e.Error(), "locked") {
		t.Fatalf("choice while locked: %v", e)
	}
	order := runCLI(t, url, bo, "order", room)
	if want := "Dinner at Gwangjang · 3 dishes · order locked\n2 × 비빔밥\n    2: no egg (Bo)\n1 × 해물파전 (for the table)\n"; order != want {
		t.Fatalf("order:\n%s\nwant:\n%s", order, want)
	}
	if out := runCLI(t, url, hana, "remove", "-keep", room, "Bo"); !strings.Contains(out, "Bo is out; their choices stay") {
		t.Fatalf("remove printed %q", out)
	}
	runCLI(t, url, hana, "close", room, "Thanks", "all!")
	if e := <-watchDone; e != nil {
		t.Fatalf("watch: %v", e)
	}
	if !strings.Contains(watchOut.String(), "the table is closed") {
		t.Fatalf("watch did not see the close:\n%s", watchOut.String())
	}
	e := runErr(url, ana, "choose", room, "2", "1")
	if e == nil || !strings.Contains(e.Error(), "closed") || strings.HasPrefix(e.Error(), "menusync:") {
		t.Fatalf("choose after close: %v (main adds the program's name, once)", e)
	}
	if e := runErr(url, "", "join", room); e == nil {
		t.Fatal("join without a name accepted")
	}
}

// TestCLICreateStopsOnWarnings: a line the server was unsure of stops
// create until the menu is fixed or -yes says to go on.
func TestCLICreateStopsOnWarnings(t *testing.T) {
	url := startInProcess(t)
	path := filepath.Join(t.TempDir(), "menu.txt")
	_ = os.WriteFile(path, []byte("Soup 4.50\nSalad 1,2,3\n"), 0o644)
	e := runErr(url, "", "create", "-currency", "EUR", path)
	if e == nil || !strings.Contains(e.Error(), "unsure") {
		t.Fatalf("create with a warning: %v", e)
	}
	if out := runCLI(t, url, "", "create", "-currency", "EUR", "-yes", path); !strings.Contains(out, "room ") {
		t.Fatalf("create -yes printed %q", out)
	}
}

func runErr(url, token string, args ...string) error {
	return run(context.Background(), args, envOf("MENUSYNC_URL", url, "MENUSYNC_TOKEN", token), &testproc.Buffer{})
}

// TestCLICreateFromAPhoto: a phone's photo of a printed Korean menu
// (turned on its side, EXIF orientation 6) opens a table whose dishes
// and prices match.
func TestCLICreateFromAPhoto(t *testing.T) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		testproc.Missing(t, "tesseract", "tesseract-ocr tesseract-ocr-kor")
	}
	if err := menuimage.FontsInstalled(); err != nil {
		testproc.Missing(t, "Noto fonts", "fonts-noto-cjk fonts-noto-core")
	}
	url := startInProcess(t)
	img, err := menuimage.Menu{Script: menuimage.KR, Title: "한식당 메뉴", Dishes: []menuimage.Dish{
		{Name: "비빔밥", Price: "12,000원"}, {Name: "김치찌개", Price: "9,000원"}, {Name: "해물파전", Price: "15,000원"},
	}}.Render()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "menu.jpg")
	photo := menuimage.WithEXIF(menuimage.JPEG(menuimage.ToRGBA(menuimage.Stored(img, 6)), 90), 6, "MM")
	if err := os.WriteFile(path, photo, 0o644); err != nil {
		t.Fatal(err)
	}
	out := runCLI(t, url, "", "create", "-lang", "ko", "-yes", path)
	for _, want := range []string{"3 dishes (KRW, read as photo)", "비빔밥   12,000", "김치찌개  9,000", "해물파전  15,000", "room "} {
		if !strings.Contains(out, want) {
			t.Fatalf("create from a photo printed no %q:\n%s", want, out)
		}
	}
}
