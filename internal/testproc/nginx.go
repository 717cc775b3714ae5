package testproc

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Nginx is an nginx process that routes to test replicas with the repo's
// own nginx/menusync-http.conf and nginx/menusync-server.conf. Only what
// differs in a test (listen address, upstream servers, file paths) is
// written here; every routing directive comes from the repo.
type Nginx struct {
	Addr string
	dir  string
}

// URL is the proxy's base URL.
func (n *Nginx) URL() string { return "http://" + n.Addr }

// AccessLog returns nginx's access log so far (the repo's menusync
// format: path without query, status, upstream addresses tried).
func (n *Nginx) AccessLog() string {
	b, _ := os.ReadFile(filepath.Join(n.dir, "access.log"))
	return string(b)
}

// ErrorLog returns nginx's error log so far.
func (n *Nginx) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(n.dir, "error.log"))
	return string(b)
}

// StartNginx starts nginx in front of the given upstream addresses.
func StartNginx(t testing.TB, upstreams ...string) *Nginx {
	t.Helper()
	return startNginx(t, "include "+filepath.Join(RepoRoot(t), "nginx", "menusync-server.conf")+";", upstreams)
}

// StartBufferingNginx starts an nginx that buffers every response and
// ignores X-Accel-Buffering, like the antivirus and corporate proxies
// that hold a stream until it ends.
func StartBufferingNginx(t testing.TB, upstreams ...string) *Nginx {
	t.Helper()
	return startNginx(t, `
        location / {
            proxy_pass http://menusync;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_buffering on;
            proxy_ignore_headers X-Accel-Buffering;
            proxy_buffers 8 64k;
            proxy_buffer_size 64k;
            proxy_busy_buffers_size 128k;
            proxy_read_timeout 1h;
            # nginx alone still passes each chunk on; compressing the
            # stream is what makes such proxies hold it.
            gzip on;
            gzip_types text/event-stream application/json;
            gzip_min_length 0;
        }`, upstreams)
}

func startNginx(t testing.TB, serverConf string, upstreams []string) *Nginx {
	t.Helper()
	bin := lookPath(t, "nginx", "nginx")
	repo := filepath.Join(RepoRoot(t), "nginx")
	dir, err := os.MkdirTemp("", "menusync-nginx-")
	if err != nil {
		t.Fatal(err)
	}
	// nginx workers drop to an unprivileged user when started as root.
	_ = os.Chmod(dir, 0o777)
	n := &Nginx{Addr: "127.0.0.1:" + strconv.Itoa(FreePort(t)), dir: dir}
	var servers strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&servers, "        server %s max_fails=0;\n", u) // as nginx/nginx.conf
	}
	conf := nginxConf(dir, repo, servers.String(), n.Addr, serverConf)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", confPath, "-e", filepath.Join(dir, "error.log"))
	out := &Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	// Own process group: killing only the master would orphan the
	// workers, which keep the output pipe (and so cmd.Wait) open.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		if t.Failed() {
			t.Logf("--- nginx error log ---\n%s%s", out.String(), n.ErrorLog())
		}
		_ = os.RemoveAll(dir)
	})
	WaitFor(t, 10*time.Second, "nginx proxies /healthz", func() bool {
		select {
		case <-done:
			t.Fatalf("nginx exited:\n%s%s", out.String(), n.ErrorLog())
		default:
		}
		return httpOK(n.URL() + "/healthz")
	})
	return n
}

func httpOK(url string) bool {
	c := &http.Client{Timeout: time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// nginxConf is a test nginx's whole config: what the test needs to say
// (paths, listen address, upstreams), around the repo's own includes.
func nginxConf(dir, repo, servers, addr, serverConf string) string {
	return fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    include %[2]s/menusync-http.conf;
    access_log %[1]s/access.log menusync;
    upstream menusync {
%[3]s        keepalive 16;
    }
    server {
        listen %[4]s;
        %[5]s
    }
}
`, dir, repo, servers, addr, serverConf)
}
