// Package e2e runs menusync as users meet it: the real binary, a real
// redis-server, and the repo's nginx config in front of several replicas,
// all as processes on loopback.
package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
	"github.com/r3labs/sse/v2"
)

const secret = "e2e-shared-secret-for-all-replicas"

type room struct {
	ID     string
	tokens []string
}

// post sends a change as first-party clients do: JSON, with an
// Idempotency-Key of its own.
func post(t *testing.T, url, token, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", newKey())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, resp.Header, m
}

// openRoom creates a room through base and joins n members.
func openRoom(t *testing.T, base string, n int) room {
	t.Helper()
	status, _, m := post(t, base+"/v1/rooms", "", `{"menu":[{"id":"a","name":"Pho","price":9.5},{"id":"b","name":"Bánh mì","price":6}]}`)
	if status != http.StatusCreated {
		t.Fatalf("create room: %d %v", status, m)
	}
	r := room{ID: m["id"].(string)}
	for i := range n {
		status, _, m := post(t, base+"/v1/rooms/"+r.ID+"/members", "", fmt.Sprintf(`{"name":"member %d"}`, i))
		if status != http.StatusCreated {
			t.Fatalf("join: %d %v", status, m)
		}
		r.tokens = append(r.tokens, m["token"].(string))
	}
	return r
}

func choose(t *testing.T, base string, r room, member int, menu string, q int) uint64 {
	t.Helper()
	status, _, m := post(t, base+"/v1/rooms/"+r.ID+"/choices", r.tokens[member], fmt.Sprintf(`{"menuId":%q,"quantity":%d}`, menu, q))
	if status != http.StatusOK {
		t.Fatalf("choose: %d %v", status, m)
	}
	return uint64(m["version"].(float64))
}

// position is an event id, "<epoch>.<version>".
type position struct {
	epoch string
	v     uint64
}

func (p position) String() string {
	if p.epoch == "" {
		return ""
	}
	return p.epoch + "." + strconv.FormatUint(p.v, 10)
}

func parsePosition(t *testing.T, id string) position {
	t.Helper()
	e, v, ok := strings.Cut(id, ".")
	n, err := strconv.ParseUint(v, 10, 64)
	if !ok || err != nil || e == "" {
		t.Fatalf("event id %q is not <epoch>.<version>", id)
	}
	return position{e, n}
}

func newKey() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// listener follows a room's stream with r3labs/sse's client and records
// each event's position; it fails the test on any event out of order:
// within an epoch versions go up by one, and only a snapshot may start a
// new epoch (at any version).
type listener struct {
	replica  string
	connects []string // replica of each (re)connection
	mu       sync.Mutex
	epoch    string
	last     uint64
	types    []string
	bad      string
	update   chan struct{}
}

func listen(t *testing.T, base string, r room, member int) *listener {
	t.Helper()
	l := &listener{update: make(chan struct{}, 1)}
	connected := make(chan string, 1)
	c := sse.NewClient(base + "/v1/rooms/" + r.ID + "/events")
	c.Headers["Authorization"] = "Bearer " + r.tokens[member]
	c.ResponseValidator = func(_ *sse.Client, resp *http.Response) error {
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("stream status %d", resp.StatusCode)
		}
		l.mu.Lock()
		l.connects = append(l.connects, resp.Header.Get("X-Menusync-Replica"))
		l.mu.Unlock()
		select {
		case connected <- resp.Header.Get("X-Menusync-Replica"):
		default:
		}
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	// r3labs/sse retries errors with backoff but returns when the server
	// ends a stream cleanly (a drain, say); reconnect then, as EventSource
	// does. The client keeps the last event id for Last-Event-ID.
	go func() {
		for ctx.Err() == nil {
			_ = c.SubscribeRawWithContext(ctx, l.handle)
			select {
			case <-ctx.Done():
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	select {
	case l.replica = <-connected:
	case <-time.After(10 * time.Second):
		t.Fatal("stream did not connect")
	}
	l.await(t, 1) // the snapshot
	return l
}

func (l *listener) handle(ev *sse.Event) {
	if len(ev.Event) == 0 || string(ev.Event) == "heartbeat" {
		return
	}
	epoch, ver, _ := strings.Cut(string(ev.ID), ".")
	v, err := strconv.ParseUint(ver, 10, 64)
	l.mu.Lock()
	newEpoch := epoch != l.epoch
	switch {
	case err != nil || epoch == "":
		l.bad = fmt.Sprintf("event %s with id %q", ev.Event, ev.ID)
	case string(ev.Event) == "snapshot" && newEpoch:
	case newEpoch:
		l.bad = fmt.Sprintf("%s %s in another epoch than %s", ev.Event, ev.ID, l.epoch)
	case string(ev.Event) == "closed" && v != l.last:
		l.bad = fmt.Sprintf("closed at %d after %d", v, l.last)
	case string(ev.Event) != "snapshot" && string(ev.Event) != "closed" && v != l.last+1:
		l.bad = fmt.Sprintf("%s %d after %d", ev.Event, v, l.last)
	case string(ev.Event) == "snapshot" && v <= l.last:
		l.bad = fmt.Sprintf("snapshot %d after %d", v, l.last)
	}
	l.epoch, l.last = epoch, v
	l.types = append(l.types, string(ev.Event))
	l.mu.Unlock()
	select {
	case l.update <- struct{}{}:
	default:
	}
}

// await waits until the listener reached version want.
func (l *listener) await(t *testing.T, want uint64) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		l.mu.Lock()
		last, bad := l.last, l.bad
		l.mu.Unlock()
		if bad != "" {
			t.Fatalf("listener on %s: %s", l.replica, bad)
		}
		if last >= want {
			return
		}
		select {
		case <-l.update:
		case <-timeout:
			t.Fatalf("listener on %s stuck at version %d, want %d", l.replica, last, want)
		}
	}
}

// TestSingleProcessEmbeddedStore is the README's curl session against the
// binary as a new user starts it: no REDIS_URL, no secret.
func TestSingleProcessEmbeddedStore(t *testing.T) {
	rep := testproc.StartReplica(t, "solo", "REDIS_URL=", "MENUSYNC_SECRET=")
	if !strings.Contains(rep.Logs(), "single-replica") {
		t.Fatalf("no log line about the embedded single-replica mode:\n%s", rep.Logs())
	}
	r := openRoom(t, rep.URL(), 2)
	a := listen(t, rep.URL(), r, 0)
	v := choose(t, rep.URL(), r, 1, "a", 2)
	a.await(t, v)
	status, _, m := post(t, rep.URL()+"/v1/rooms/"+r.ID+"/refresh", r.tokens[1], "")
	if status != http.StatusAccepted {
		t.Fatalf("refresh: %d %v", status, m)
	}
	a.await(t, uint64(m["version"].(float64)))
	a.mu.Lock()
	defer a.mu.Unlock()
	if got := strings.Join(a.types, ","); got != "snapshot,choice,refresh" {
		t.Fatalf("events: %s", got)
	}
}

// replicasOn starts n replicas, replica-1..n, on the given REDIS_URL with
// the shared secret and any extra environment.
func replicasOn(t *testing.T, redisURL string, n int, env ...string) []*testproc.Replica {
	t.Helper()
	var reps []*testproc.Replica
	for i := 1; i <= n; i++ {
		reps = append(reps, testproc.StartReplica(t, fmt.Sprintf("replica-%d", i),
			append([]string{"REDIS_URL=" + redisURL, "MENUSYNC_SECRET=" + secret}, env...)...))
	}
	return reps
}

func startCluster(t *testing.T, n int) (*testproc.Redis, []*testproc.Replica) {
	t.Helper()
	rd := testproc.StartRedis(t)
	return rd, replicasOn(t, rd.URL(), n)
}

// TestAcrossReplicas: a choice POSTed to replica 3 reaches a listener on
// replica 1, and a token from one replica works on every other.
func TestAcrossReplicas(t *testing.T) {
	_, reps := startCluster(t, 3)
	r := openRoom(t, reps[0].URL(), 2)
	l1 := listen(t, reps[0].URL(), r, 0)
	l2 := listen(t, reps[1].URL(), r, 1)
	var v uint64
	for i := range 10 {
		v = choose(t, reps[2].URL(), r, i%2, "b", i+1)
	}
	l1.await(t, v)
	l2.await(t, v)
	if l1.replica != "replica-1" || l2.replica != "replica-2" {
		t.Fatalf("listeners on %s and %s", l1.replica, l2.replica)
	}
}

// TestThroughNginx puts the repo's nginx config in front of three
// replicas: listeners land on different replicas, and every one of them
// receives every update in version order while POSTs are spread too.
func TestThroughNginx(t *testing.T) {
	_, reps := startCluster(t, 3)
	var ups []string
	for _, r := range reps {
		ups = append(ups, r.Addr)
	}
	ng := testproc.StartNginx(t, ups...)
	r := openRoom(t, ng.URL(), 4)
	var ls []*listener
	seen := map[string]int{}
	for i := range 6 {
		l := listen(t, ng.URL(), r, i%4)
		seen[l.replica]++
		ls = append(ls, l)
	}
	if len(seen) != 3 {
		t.Fatalf("streams landed on %v; want all three replicas", seen)
	}
	posted := map[string]int{}
	var v uint64
	for i := range 60 {
		status, hdr, m := post(t, ng.URL()+"/v1/rooms/"+r.ID+"/choices", r.tokens[i%4],
			fmt.Sprintf(`{"menuId":"a","quantity":%d}`, i%7+1))
		if status != http.StatusOK {
			t.Fatalf("choose through nginx: %d %v", status, m)
		}
		posted[hdr.Get("X-Menusync-Replica")]++
		v = max(v, uint64(m["version"].(float64)))
	}
	if len(posted) < 2 {
		t.Fatalf("POSTs all went to %v", posted)
	}
	for _, l := range ls {
		l.await(t, v)
	}
	// The snapshot through nginx matches what the streams saw.
	req, _ := http.NewRequest("GET", ng.URL()+"/v1/rooms/"+r.ID, nil)
	req.Header.Set("Authorization", "Bearer "+r.tokens[0])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var snap struct{ Version uint64 }
	b, _ := io.ReadAll(resp.Body)
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&snap); err != nil || snap.Version != v {
		t.Fatalf("snapshot version %d (err %v), streams at %d", snap.Version, err, v)
	}
	t.Logf("streams per replica %v, POSTs per replica %v, final version %d", seen, posted, v)
}
