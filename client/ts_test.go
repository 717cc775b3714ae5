package client_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/menusync/menusync/internal/testproc"
)

// TestTypeScriptClient builds client/ts (openapi-typescript types, openapi-fetch
// calls) and runs its scenario under Node against a live server. It also
// fails when client/ts/schema.d.ts no longer matches openapi.yaml.
func TestTypeScriptClient(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		testproc.Missing(t, "node", "nodejs")
	}
	dir := filepath.Join(testproc.RepoRoot(t), "client", "ts")
	sh := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "NO_COLOR=1", "npm_config_update_notifier=false")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err != nil {
		sh("npm", "ci", "--no-audit", "--no-fund")
	}
	fresh := filepath.Join(t.TempDir(), "schema.d.ts")
	sh("npx", "--no-install", "openapi-typescript", "../../openapi.yaml", "-o", fresh)
	want, _ := os.ReadFile(fresh)
	have, _ := os.ReadFile(filepath.Join(dir, "schema.d.ts"))
	if !bytes.Equal(want, have) {
		t.Fatal("client/ts/schema.d.ts is stale: run `npm run generate` in client/ts")
	}
	sh("npx", "--no-install", "tsc", "-p", ".")
	rep := testproc.StartReplica(t, "ts", "REDIS_URL=")
	out := sh("node", "dist/scenario.js", rep.URL())
	if !strings.Contains(out, "scenario passed") {
		t.Fatalf("scenario output:\n%s", out)
	}
	t.Logf("%s", out)
}
