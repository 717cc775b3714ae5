package e2e

import (
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/menusync/menusync/internal/testproc"
)

// TestNginxNeverResendsAKeylessChange puts the repo's nginx config in
// front of two upstreams that answer every request 503 and count them:
// a change without an Idempotency-Key (POST, PUT, PATCH, DELETE) reaches
// exactly one of them (a late copy could undo a newer change), a keyed
// one is tried on the second (its key makes the retry count once), and a
// read is tried on the second too.
func TestNginxNeverResendsAKeylessChange(t *testing.T) {
	var hits atomic.Int64
	var ups []string
	for range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/healthz" { // what StartNginx waits for
				return
			}
			hits.Add(1)
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"type":"about:blank","title":"Service Unavailable","status":503,"code":"draining"}`))
		})}
		go func() { _ = srv.Serve(ln) }()
		t.Cleanup(func() { _ = srv.Close() })
		ups = append(ups, ln.Addr().String())
	}
	ng := testproc.StartNginx(t, ups...)
	room := "/v1/rooms/AAAAAAAAAAAAAAAAAAAAAA"
	for _, c := range []struct {
		method, path, key string
		want              int64
	}{
		{"POST", room + "/choices", "", 1},
		{"PUT", room + "/menu", "", 1},
		{"PATCH", room, "", 1},
		{"DELETE", room + "/members/0123456789abcdef", "", 1},
		{"PUT", room + "/menu/1/names/en", "", 1},
		{"POST", "/v1/menus/parse", "", 1},
		{"POST", room + "/choices", "k1", 2},
		{"DELETE", room + "/members/0123456789abcdef", "k2", 2},
		{"GET", room, "", 2},
	} {
		hits.Store(0)
		req, _ := http.NewRequest(c.method, ng.URL()+c.path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		if c.key != "" {
			req.Header.Set("Idempotency-Key", c.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := hits.Load(); got != c.want {
			t.Errorf("%s %s (key %q): reached %d upstreams, want %d", c.method, c.path, c.key, got, c.want)
		}
	}
}

// TestNginxSendsAKeylessChangePastADeadReplica: a replica that is gone
// (killed, restarting) refuses the connection, so no copy of the change
// ran there; nginx must take a keyless POST or PATCH to the other one
// instead of answering 502 (TestReplicaKilled does the same with real
// replicas and SIGKILL).
func TestNginxSendsAKeylessChangePastADeadReplica(t *testing.T) {
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	dead.Close() // nothing listens there any more: connection refused
	var hits atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			hits.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	ng := testproc.StartNginx(t, deadAddr, ln.Addr().String())
	room := "/v1/rooms/AAAAAAAAAAAAAAAAAAAAAA"
	const n = 6 // round robin puts half of them on the dead one first
	hits.Store(0)
	for i := range n {
		method, path := "POST", room+"/choices"
		if i%2 == 1 {
			method, path = "PATCH", room
		}
		req, _ := http.NewRequest(method, ng.URL()+path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("keyless %s %s past a dead replica: %d, want 200 from the live one", method, path, resp.StatusCode)
		}
	}
	if got := hits.Load(); got != n {
		t.Errorf("the live upstream got %d changes, want each of %d once", got, n)
	}
}
