package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/menusync/menusync/internal/testproc"
)

// No Docker engine runs here, so the compose file is checked with the
// compose-spec loader (what docker compose itself uses) for what the
// deployment relies on; the same topology runs for real, as processes, in
// TestThroughNginx and TestDrainUnderLoad.
func TestComposeFile(t *testing.T) {
	root := testproc.RepoRoot(t)
	// The env file is the user's to create (README); give the loader one.
	work := t.TempDir()
	for _, f := range []string{"docker-compose.yml", "Dockerfile"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(work, "menusync.env"), []byte("MENUSYNC_SECRET=test-secret-long-enough\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  work,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(work, "docker-compose.yml")}},
		Environment: types.Mapping{},
	})
	if err != nil {
		t.Fatalf("compose file does not load: %v", err)
	}
	svc := func(name string) types.ServiceConfig {
		s, err := p.GetService(name)
		if err != nil {
			t.Fatalf("service %s: %v", name, err)
		}
		return s
	}
	redis, app, ng := svc("redis"), svc("menusync"), svc("nginx")

	if redis.HealthCheck == nil || len(redis.Volumes) == 0 {
		t.Error("redis needs a healthcheck and a volume")
	}
	if cmd := strings.Join(redis.Command, " "); !strings.Contains(cmd, "--maxmemory ") || !strings.Contains(cmd, "--maxmemory-policy noeviction") {
		t.Errorf("redis must have a maxmemory with noeviction (writes refused, never parts of rooms dropped): %q", cmd)
	}
	if len(app.Ports) != 0 {
		t.Errorf("menusync publishes %v: --scale would clash on host ports", app.Ports)
	}
	if app.Build == nil || app.HealthCheck == nil {
		t.Error("menusync needs a build and a healthcheck")
	}
	if u := app.Environment["REDIS_URL"]; u == nil || !strings.Contains(*u, "//redis:") {
		t.Errorf("REDIS_URL %v does not point at the redis service", u)
	}
	if s := app.Environment["MENUSYNC_SECRET"]; s == nil || *s == "" {
		t.Error("MENUSYNC_SECRET does not come from the env file")
	}
	if d, ok := app.DependsOn["redis"]; !ok || d.Condition != types.ServiceConditionHealthy {
		t.Error("menusync must wait for a healthy redis")
	}
	if app.StopGracePeriod == nil || time.Duration(*app.StopGracePeriod) < 25*time.Second {
		t.Error("stop_grace_period must cover the drain window and timeout")
	}
	if len(ng.Ports) != 1 {
		t.Errorf("nginx publishes %d ports, want 1", len(ng.Ports))
	}
	var mountsConfig bool
	for _, v := range ng.Volumes {
		if v.Source == filepath.Join(work, "nginx") && strings.HasPrefix(v.Target, "/etc/nginx/menusync") {
			mountsConfig = true
		}
	}
	if !mountsConfig || !strings.Contains(strings.Join(ng.Command, " "), "/etc/nginx/menusync/nginx.conf") {
		t.Errorf("nginx does not run the repo's nginx/ config: volumes %v command %v", ng.Volumes, ng.Command)
	}
	if ng.HealthCheck == nil {
		t.Error("nginx needs a healthcheck")
	}

	// nginx's upstream names the scaled service on the port it listens on.
	conf, err := os.ReadFile(filepath.Join(root, "nginx", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	addr := *app.Environment["MENUSYNC_ADDR"]
	want := regexp.MustCompile(`server\s+menusync` + regexp.QuoteMeta(addr) + `\s+resolve\s+max_fails=0;`)
	if !want.Match(conf) {
		t.Errorf("nginx.conf has no upstream 'server menusync%s resolve max_fails=0;'", addr)
	}
	for _, directive := range []string{"worker_rlimit_nofile", "worker_connections", "reuseport", "keepalive", "include menusync-server.conf", "resolver"} {
		if !strings.Contains(string(conf), directive) {
			t.Errorf("nginx.conf lacks %s", directive)
		}
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testproc.RepoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	if n := len(regexp.MustCompile(`(?m)^FROM `).FindAllString(df, -1)); n < 2 {
		t.Errorf("%d stages; want a multi-stage build", n)
	}
	for _, want := range []string{"CGO_ENABLED=0", "HEALTHCHECK", `"/menusync", "healthcheck"`, "ENTRYPOINT"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
	for _, user := range regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(df, -1) {
		if user[1] == "root" || strings.HasPrefix(user[1], "0") {
			t.Errorf("Dockerfile must run as a non-root user, has %v", user)
		}
	}
	// Two images of one binary: the default reads photos (Tesseract and
	// every language the scanner offers), "static" is the binary alone.
	stages := regexp.MustCompile(`(?m)^FROM \S+ AS (\w+)`).FindAllStringSubmatch(df, -1)
	if len(stages) != 3 || stages[1][1] != "static" || stages[2][1] != "ocr" {
		t.Errorf("stages %v: want build, static, and ocr last (the default)", stages)
	}
	for _, lang := range []string{"kor", "jpn", "chi-sim", "chi-tra", "tha", "vie"} {
		if !strings.Contains(df, "tesseract-ocr-"+lang) {
			t.Errorf("the ocr image lacks tesseract-ocr-%s", lang)
		}
	}
}
