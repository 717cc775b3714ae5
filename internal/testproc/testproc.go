package testproc

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func lookPath(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/sbin"} {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	Missing(t, name, pkg)
	return ""
}

// Missing stops a test that needs a program that is not installed. Under
// make test (MENUSYNC_TEST_STRICT=1, which installs everything first) that
// is a failure; a plain go test on a bare machine skips, saying what to
// install.
func Missing(t testing.TB, name, pkg string) {
	t.Helper()
	msg := fmt.Sprintf("%s not found: install Debian's %s (make test does it) and run again", name, pkg)
	if os.Getenv("MENUSYNC_TEST_STRICT") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// Redis is a redis-server process owned by a test.
type Redis struct {
	Addr string
	// Dir is the server's working directory: its RDB and AOF files.
	Dir  string
	cmd  *exec.Cmd
	args []string
	t    testing.TB
}

// StartRedis starts a fresh, non-persistent redis-server on loopback.
func StartRedis(t testing.TB) *Redis {
	return StartRedisArgs(t, "--appendonly", "no")
}

// StartPersistentRedis keeps every acknowledged write across a kill
// (append-only file, fsync always), for restart tests.
func StartPersistentRedis(t testing.TB) *Redis {
	return StartRedisArgs(t, "--appendonly", "yes", "--appendfsync", "always")
}

// StartRedisArgs starts redis-server on loopback with extra arguments.
func StartRedisArgs(t testing.TB, extra ...string) *Redis {
	t.Helper()
	r := &Redis{t: t, Dir: t.TempDir()}
	bin := lookPath(t, "redis-server", "redis-server")
	port := FreePort(t)
	r.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	r.args = append([]string{bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--dir", r.Dir}, extra...)
	r.Start()
	t.Cleanup(r.Stop)
	return r
}

// Start (re)starts the server on the same port and waits until it answers.
func (r *Redis) Start() {
	r.t.Helper()
	r.cmd = exec.Command(r.args[0], r.args[1:]...)
	r.cmd.Stdout, r.cmd.Stderr = nil, nil
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	c := redis.NewClient(&redis.Options{Addr: r.Addr, MaxRetries: -1})
	defer c.Close()
	WaitFor(r.t, 10*time.Second, "redis-server answers PING", func() bool {
		return c.Ping(context.Background()).Err() == nil
	})
}

// Stop kills the server (SIGKILL: tests use it to simulate a crash too).
func (r *Redis) Stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// CPUTime is the CPU the server process has used so far (user and
// system), for benchmarks that report Redis' cost per operation; 0 where
// /proc is not there.
func (r *Redis) CPUTime() time.Duration {
	if r.cmd == nil || r.cmd.Process == nil {
		return 0
	}
	return ProcessCPU(r.cmd.Process.Pid)
}

// ProcessCPU reads a process's CPU time so far from /proc/<pid>/stat.
func ProcessCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 > len(b) {
		return 0
	}
	f := strings.Fields(string(b[i+2:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

// URL is the redis:// URL of the server.
func (r *Redis) URL() string { return "redis://" + r.Addr + "/0" }

// Client returns a go-redis client closed at the end of the test.
func (r *Redis) Client() *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: r.Addr})
	r.t.Cleanup(func() { _ = c.Close() })
	return c
}

// WaitFor polls cond until it holds or the timeout passes. It is for
// conditions in other processes that offer nothing to block on.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for delay := time.Millisecond; ; delay = min(delay*2, 50*time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for: %s", timeout, what)
		}
		time.Sleep(delay)
	}
}

// RepoRoot finds the module root from the calling package's directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// Binary builds cmd/menusync once per test process (with -race when the
// test runs with it) and returns the path of the executable.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "menusync-bin-")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "menusync")
		args := []string{"build", "-o", buildPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		args = append(args, "./cmd/menusync")
		cmd := exec.Command("go", args...)
		cmd.Dir = RepoRoot(t)
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

// Replica is one running menusync process.
type Replica struct {
	Name string
	Addr string
	cmd  *exec.Cmd
	env  []string
	logs *Buffer
	done chan struct{}
}

// URL is the replica's base URL.
func (r *Replica) URL() string { return "http://" + r.Addr }

// Logs returns what the process has logged so far.
func (r *Replica) Logs() string { return r.logs.String() }

// Signal sends sig to the process.
func (r *Replica) Signal(sig os.Signal) { _ = r.cmd.Process.Signal(sig) }

// Done is closed when the process has exited.
func (r *Replica) Done() <-chan struct{} { return r.done }

// StartReplica starts the server binary with env added to the test's
// environment and waits for /readyz.
func StartReplica(t testing.TB, name string, env ...string) *Replica {
	t.Helper()
	r := &Replica{Name: name, Addr: "127.0.0.1:" + strconv.Itoa(FreePort(t)), logs: &Buffer{}}
	r.env = append(os.Environ(), "MENUSYNC_ADDR="+r.Addr, "MENUSYNC_REPLICA="+name)
	r.env = append(r.env, env...)
	r.start(t)
	t.Cleanup(func() {
		_ = r.cmd.Process.Kill()
		<-r.done
		if t.Failed() {
			t.Logf("--- logs of %s ---\n%s", name, r.Logs())
		}
	})
	r.waitReady(t)
	return r
}

func (r *Replica) start(t testing.TB) {
	t.Helper()
	r.cmd = exec.Command(Binary(t))
	r.cmd.Env = r.env
	r.cmd.Stdout, r.cmd.Stderr = r.logs, r.logs
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", r.Name, err)
	}
	done := make(chan struct{})
	r.done = done
	cmd := r.cmd
	go func() { _ = cmd.Wait(); close(done) }()
}

func (r *Replica) waitReady(t testing.TB) {
	t.Helper()
	WaitFor(t, 30*time.Second, r.Name+" /readyz", func() bool {
		select {
		case <-r.done:
			t.Fatalf("%s exited early:\n%s", r.Name, r.Logs())
		default:
		}
		return httpOK(r.URL() + "/readyz")
	})
}

// Kill stops the process the way a crash or an OOM kill does (SIGKILL)
// and waits for it to exit.
func (r *Replica) Kill() {
	_ = r.cmd.Process.Kill()
	<-r.done
}

// Restart starts a killed replica again on the same address with the
// same settings (a server restart), and waits for /readyz.
func (r *Replica) Restart(t testing.TB) {
	t.Helper()
	select {
	case <-r.done:
	default:
		r.Kill()
	}
	r.start(t)
	r.waitReady(t)
}

// Buffer is an io.Writer safe for concurrent use, for process output.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines returns the lines logged so far.
func (b *Buffer) Lines() []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// Race reports whether the tests run under the race detector, which
// makes some allocation counts meaningless (sync.Pool drops items).
const Race = raceEnabled
