package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/menusync/menusync/client"
	"github.com/menusync/menusync/internal/testproc"
)

// TestNoTokenInAnyLog runs the web app (its stream authenticates with the
// cookie) and the Go client through the repo's nginx, kills a replica
// under them so nginx logs upstream errors, and then reads every log:
// nginx's access and error logs and the replicas' (at debug level, a line
// per request). No token appears anywhere; room ids appear in no access
// log line and no replica line (nginx's error log carries request lines,
// see the README).
func TestNoTokenInAnyLog(t *testing.T) {
	rd := testproc.StartRedis(t)
	reps := replicasOn(t, rd.URL(), 2, "MENUSYNC_LOG_LEVEL=debug", "MENUSYNC_HEARTBEAT=1s")
	ng := testproc.StartNginx(t, reps[0].Addr, reps[1].Addr)
	base := ng.URL()
	r := openRoom(t, base, 3)
	ids := members(t, base, r)
	fs := []follower{followBrowser(t, base, r, 0, ids[0]), followGo(t, base, r, 1), followGo(t, base, r, 2)}
	choose(t, base, r, 1, "a", 1)
	converge(t, base, r, 20*time.Second, fs...)

	reps[0].Signal(syscall.SIGKILL)
	<-reps[0].Done()
	c, _ := client.New(base, nil)
	for q := 2; q <= 6; q++ { // some of these meet the dead replica first
		if _, err := c.WithToken(r.tokens[2]).Choose(context.Background(), r.ID, "b", q); err != nil {
			t.Fatal(err)
		}
	}
	converge(t, base, r, 30*time.Second, fs...)
	if !strings.Contains(ng.ErrorLog(), "upstream") {
		t.Fatalf("nginx logged no upstream error; the test proves little:\n%s", ng.ErrorLog())
	}
	logs := map[string]string{"nginx access log": ng.AccessLog(), "nginx error log": ng.ErrorLog(),
		"replica-1": reps[0].Logs(), "replica-2": reps[1].Logs()}
	for name, text := range logs {
		for i, tok := range r.tokens {
			if strings.Contains(text, tok) || strings.Contains(text, tok[len(tok)-20:]) {
				t.Errorf("member %d's token in the %s", i, name)
			}
		}
		if name != "nginx error log" && strings.Contains(text, r.ID) {
			t.Errorf("the room id (a capability) in the %s", name)
		}
	}
	if !strings.Contains(ng.AccessLog(), "/v1/rooms/-/choices") || !strings.Contains(reps[1].Logs(), "room~") {
		t.Fatalf("the logs no longer name requests at all:\n%s", ng.AccessLog())
	}
}

// TestForwardedForCannotBeSpoofed: behind the repo's nginx a client that
// sends its own X-Forwarded-For is still counted by the address nginx
// saw: the rooms-per-address limit holds whatever it claims.
func TestForwardedForCannotBeSpoofed(t *testing.T) {
	rd := testproc.StartRedis(t)
	reps := replicasOn(t, rd.URL(), 1, "MENUSYNC_ROOMS_PER_IP_MINUTE=3")
	ng := testproc.StartNginx(t, reps[0].Addr)
	statuses := map[int]int{}
	for i := range 6 {
		req, _ := http.NewRequest("POST", ng.URL()+"/v1/rooms", strings.NewReader(`{"menu":[{"name":"x"}]}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses[resp.StatusCode]++
	}
	if statuses[201] != 3 || statuses[429] != 3 {
		t.Fatalf("6 rooms from one address claiming 6: %v, want 3 created and 3 refused", statuses)
	}
}

// TestNginxAnswersProblems: what nginx answers itself on the API is a
// problem document too, and /metrics is not served to the public.
func TestNginxAnswersProblems(t *testing.T) {
	rd := testproc.StartRedis(t)
	reps := replicasOn(t, rd.URL(), 1)
	ng := testproc.StartNginx(t, reps[0].Addr)
	problem := func(method, path, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, ng.URL()+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var p map[string]any
		if resp.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(b, &p) != nil {
			t.Fatalf("%s %s: %d %q %s", method, path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
		return resp.StatusCode, p
	}
	if st, p := problem("POST", "/v1/rooms", `{"menu":[{"name":"`+strings.Repeat("x", 2<<20)+`"}]}`); st != 413 || p["code"] != "body_too_large" {
		t.Fatalf("2 MiB body: %d %v", st, p)
	}
	if st, p := problem("GET", "/metrics", ""); st != 404 || p["code"] != "not_found" {
		t.Fatalf("/metrics through nginx: %d %v", st, p)
	}
	reps[0].Signal(syscall.SIGKILL)
	<-reps[0].Done()
	if st, p := problem("POST", "/v1/rooms", `{"menu":[{"name":"x"}]}`); st != 502 || p["code"] != "bad_gateway" {
		t.Fatalf("no replica: %d %v", st, p)
	}
}
