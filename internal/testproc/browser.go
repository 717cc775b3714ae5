package testproc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// ArtifactDir is where browser screenshots and reports go:
// $MENUSYNC_ARTIFACTS, or artifacts/ at the repo root (ignored by git).
func ArtifactDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("MENUSYNC_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Chromium finds Debian's chromium.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "chromium", "chromium")
	return ""
}

// NodeModules makes sure dir (a directory of the repo with a
// package.json and package-lock.json) has its node_modules, running
// `npm ci` once; tests of several packages may ask at the same time, so
// it holds a file lock while it does. It returns dir.
func NodeModules(t testing.TB, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		Missing(t, "node", "nodejs")
	}
	if _, err := exec.LookPath("npm"); err != nil {
		Missing(t, "npm", "npm")
	}
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "menusync-npm-"+strings.ReplaceAll(dir, string(filepath.Separator), "_")+".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) }()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil {
		return dir
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "npm_config_update_notifier=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
	return dir
}
