package kubernetes

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/menusync/menusync/internal/app"
	"github.com/menusync/menusync/internal/testproc"
	corev1 "k8s.io/api/core/v1"
)

// server is what the manifests must agree with, read from the server
// itself: its settings table and parser (internal/app, importable here
// because this module's path lies under the main module's), and the
// Dockerfile that builds the image.
type server struct {
	settings map[string]app.Setting
	// From the Dockerfile.
	uid, gid int64
	exposed  int
	imageEnv map[string]string
	binary   string // the image's only executable
}

// runtimeEnv are variables the Go runtime reads rather than the server:
// fine in a manifest though they are not settings.
var runtimeEnv = map[string]bool{
	"GOMEMLIMIT": true, "GOMAXPROCS": true, "GOGC": true, "GODEBUG": true,
	"SSL_CERT_FILE": true, "SSL_CERT_DIR": true,
}

func readServer(t testing.TB) *server {
	t.Helper()
	s := &server{settings: map[string]app.Setting{}, imageEnv: map[string]string{}}
	for _, st := range app.Settings {
		s.settings[st.Env] = st
	}
	b, err := os.ReadFile(filepath.Join(testproc.RepoRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.readDockerfile(string(b)); err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}
	return s
}

// readDockerfile takes what Kubernetes must repeat: USER (Kubernetes can
// only check runAsNonRoot against a numeric user), EXPOSE, ENV and the
// entrypoint.
func (s *server) readDockerfile(df string) error {
	user := regexp.MustCompile(`(?m)^USER\s+(\d+):(\d+)\s*$`).FindStringSubmatch(df)
	if user == nil {
		return fmt.Errorf("no numeric USER uid:gid")
	}
	s.uid, _ = strconv.ParseInt(user[1], 10, 64)
	s.gid, _ = strconv.ParseInt(user[2], 10, 64)
	expose := regexp.MustCompile(`(?m)^EXPOSE\s+(\d+)\s*$`).FindStringSubmatch(df)
	if expose == nil {
		return fmt.Errorf("no single EXPOSE port")
	}
	s.exposed, _ = strconv.Atoi(expose[1])
	for _, m := range regexp.MustCompile(`(?m)^ENV\s+(.+)$`).FindAllStringSubmatch(df, -1) {
		for _, kv := range strings.Fields(m[1]) {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("ENV %q: want KEY=value pairs", m[1])
			}
			s.imageEnv[k] = v
		}
	}
	entry := regexp.MustCompile(`(?m)^ENTRYPOINT\s+\["([^"]+)"\]`).FindStringSubmatch(df)
	if entry == nil {
		return fmt.Errorf("no exec-form ENTRYPOINT")
	}
	s.binary = entry[1]
	return nil
}

// config parses what the container would see: the image's ENV, then the
// manifest's env, through the server's own parser. A value from a Secret
// is unknown here; it gets a stand-in that passes, so that the checks
// are about the literal values.
func (s *server) config(env []corev1.EnvVar) (app.Config, error) {
	vars := map[string]string{}
	for k, v := range s.imageEnv {
		vars[k] = v
	}
	for _, e := range env {
		switch {
		case e.ValueFrom == nil:
			vars[e.Name] = e.Value
		case e.Name == "REDIS_URL":
			vars[e.Name] = "redis://redis.invalid:6379/0"
		default:
			vars[e.Name] = "a-stand-in-that-is-long-enough"
		}
	}
	return app.Parse(nil, func(k string) string { return vars[k] })
}

// port is the TCP port of a listen address such as ":8080".
func port(addr string) (int, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(p)
}

// nginxSize reads an nginx size ("64k", "8m", "1024") in bytes.
func nginxSize(v string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(strings.ToLower(v), "k"):
		mult, v = 1<<10, v[:len(v)-1]
	case strings.HasSuffix(strings.ToLower(v), "m"):
		mult, v = 1<<20, v[:len(v)-1]
	case strings.HasSuffix(strings.ToLower(v), "g"):
		mult, v = 1<<30, v[:len(v)-1]
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n * mult, err
}

func TestReadDockerfile(t *testing.T) {
	s := readServer(t)
	if s.uid == 0 || s.gid == 0 || s.exposed == 0 || s.binary == "" || s.imageEnv["MENUSYNC_ADDR"] == "" {
		t.Fatalf("read %+v from the Dockerfile: something is missing", s)
	}
	bad := &server{imageEnv: map[string]string{}}
	if err := bad.readDockerfile("FROM scratch\nUSER nonroot\nEXPOSE 8080\n"); err == nil {
		t.Error("a named USER was accepted: Kubernetes cannot check runAsNonRoot against it")
	}
}
