package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/rooms"
	"github.com/redis/go-redis/v9"
)

// cluster3 is the fault-test topology: redis, three replicas, nginx.
type cluster3 struct {
	redis *testproc.Redis
	reps  []*testproc.Replica
	nginx *testproc.Nginx
}

func startCluster3(t *testing.T, rd *testproc.Redis, env ...string) cluster3 {
	t.Helper()
	c := cluster3{redis: rd, reps: replicasOn(t, rd.URL(), 3, env...)}
	var ups []string
	for _, rep := range c.reps {
		ups = append(ups, rep.Addr)
	}
	c.nginx = testproc.StartNginx(t, ups...)
	return c
}

func status(url string) int {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return -1
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestRedisRestart kills redis-server mid-stream and starts it again on
// the same port: POSTs during the outage get a quick 503 problem with
// Retry-After, /readyz says so, and afterwards every listener converges on
// the final state through the replicas' resubscribe and resync.
func TestRedisRestart(t *testing.T) {
	rd := testproc.StartPersistentRedis(t)
	c := startCluster3(t, rd)
	r := openRoom(t, c.nginx.URL(), 3)
	var ls []*listener
	for i := range 6 {
		ls = append(ls, listen(t, c.nginx.URL(), r, i%3))
	}
	v := choose(t, c.nginx.URL(), r, 0, "a", 1)
	for _, l := range ls {
		l.await(t, v)
	}

	rd.Stop()
	for _, rep := range c.reps {
		start := time.Now()
		req, _ := http.NewRequest("POST", rep.URL()+"/v1/rooms/"+r.ID+"/choices", strings.NewReader(`{"menuId":"b","quantity":3}`))
		req.Header.Set("Authorization", "Bearer "+r.tokens[1])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
			resp.Header.Get("Content-Type") != "application/problem+json" || strings.Contains(string(body), "dial tcp") {
			t.Fatalf("POST during the outage: %d %v %s", resp.StatusCode, resp.Header, body)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Fatalf("POST during the outage took %v", took)
		}
		testproc.WaitFor(t, 10*time.Second, rep.Name+" /readyz 503", func() bool { return status(rep.URL()+"/readyz") == 503 })
	}

	rd.Start()
	for _, rep := range c.reps {
		testproc.WaitFor(t, 20*time.Second, rep.Name+" /readyz 200", func() bool { return status(rep.URL()+"/readyz") == 200 })
	}
	var final uint64
	for i := range 10 {
		final = choose(t, c.nginx.URL(), r, i%3, "b", i+1)
	}
	for _, l := range ls {
		l.await(t, final)
	}
}

// TestReplicaKilled: SIGKILL one of three replicas while listeners follow
// a room and choices keep coming. Its listeners reconnect through nginx
// with Last-Event-ID and converge; none sees a gap or a duplicate.
func TestReplicaKilled(t *testing.T) {
	c := startCluster3(t, testproc.StartRedis(t), "MENUSYNC_RATE_MEMBER=0") // a fast loop of POSTs, not abuse
	r := openRoom(t, c.nginx.URL(), 3)
	var ls []*listener
	for i := range 9 {
		ls = append(ls, listen(t, c.nginx.URL(), r, i%3))
	}
	var final uint64
	var bad []int
	post := func(i int) {
		req, _ := http.NewRequest("POST", c.nginx.URL()+"/v1/rooms/"+r.ID+"/choices", strings.NewReader(fmt.Sprintf(`{"menuId":"a","quantity":%d}`, i%9+1)))
		req.Header.Set("Authorization", "Bearer "+r.tokens[i%3])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Version uint64 `json:"version"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			bad = append(bad, resp.StatusCode)
		}
		final = max(final, body.Version)
	}
	for i := range 30 {
		post(i)
	}
	c.reps[1].Signal(syscall.SIGKILL)
	<-c.reps[1].Done()
	for i := 30; i < 90; i++ {
		post(i)
	}
	if len(bad) > 0 {
		t.Errorf("POSTs through nginx failed with %v", bad)
	}
	for _, l := range ls {
		l.await(t, final)
	}
}

// stalledStream opens a stream with a tiny receive buffer and never reads
// past the response headers.
func stalledStream(t *testing.T, url, path, token string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var err error
		_ = rc.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		return err
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer %s\r\n\r\n", path, token)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("stalled stream: %v %v", err, resp)
	}
	return conn
}

// TestStalledListener: one listener stops reading. Everyone else keeps
// getting every update without waiting for it, the replica drops it after
// the write deadline, and its memory stays under a ceiling.
func TestStalledListener(t *testing.T) {
	rd := testproc.StartRedis(t)
	rep := testproc.StartReplica(t, "stall", "REDIS_URL="+rd.URL(), "MENUSYNC_SECRET="+secret,
		"MENUSYNC_WRITE_TIMEOUT=10s", "MENUSYNC_RATE_MEMBER=0")
	r := openRoom(t, rep.URL(), 2)
	healthy := listen(t, rep.URL(), r, 0)
	stalledStream(t, rep.URL(), "/v1/rooms/"+r.ID+"/events", r.tokens[1])

	// Write fast, straight through the same Lua script the replicas use.
	rdb := redis.NewClient(&redis.Options{Addr: rd.Addr})
	defer rdb.Close()
	store := rooms.NewStore(rdb, rooms.PublishClassic, nil)
	ctx := context.Background()
	snap, err := store.Snapshot(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	member := snap.Members[0].ID
	// Write until the stalled stream's socket buffers (a few MiB on
	// loopback) and then its queue are full, then some more.
	var final uint64
	filled := -1
	for i := 0; i < 300_000 && (filled < 0 || i < filled+500); i++ {
		res, err := store.SetChoice(ctx, r.ID, member, rooms.ChoiceInput{MenuID: []string{"a", "b"}[i%2], Quantity: i%50 + 1}, rooms.WriteOpts{})
		if err != nil {
			t.Fatal(err)
		}
		final = res.Version
		// Once the stalled stream is stuck every delta is dropped for it;
		// a busy healthy listener may drop a few too, so wait for many.
		if filled < 0 && i%1000 == 999 && scrape(t, rep.URL())["menusync_fanout_dropped_total"] > 2000 {
			filled = i
		}
	}
	if filled < 0 {
		t.Fatal("the stalled listener's buffer never filled")
	}
	healthy.await(t, final)
	m := scrape(t, rep.URL())
	if n := m[`menusync_streams_ended_total{reason="write_failed"}`]; n != 0 {
		t.Fatalf("the stalled stream was already dropped (%v) when the healthy one caught up: the test cannot tell waiting from not waiting", n)
	}
	testproc.WaitFor(t, 30*time.Second, "the stalled stream is dropped after its write deadline", func() bool {
		return scrape(t, rep.URL())[`menusync_streams_ended_total{reason="write_failed"}`] == 1
	})
	m = scrape(t, rep.URL())
	const ceiling = 256 << 20
	if rss := m["process_resident_memory_bytes"]; rss == 0 || rss > ceiling {
		t.Fatalf("replica RSS %.0f MiB, ceiling %d MiB", rss/(1<<20), ceiling>>20)
	}
	if m["menusync_streams_open"] != 1 {
		t.Fatalf("%v streams open, want the healthy one", m["menusync_streams_open"])
	}
	t.Logf("stalled stream full after %d changes; %d changes in all: healthy listener current, stalled one dropped; RSS %.0f MiB, deltas dropped for the stalled listener %.0f",
		filled, final, m["process_resident_memory_bytes"]/(1<<20), m["menusync_fanout_dropped_total"])
}

// TestRoomExpiryEndToEnd: listeners on all three replicas get closed when
// the room expires, their streams end, and Redis keeps no key of it.
func TestRoomExpiryEndToEnd(t *testing.T) {
	c := startCluster3(t, testproc.StartRedis(t))
	status, _, m := post(t, c.nginx.URL()+"/v1/rooms", "", `{"menu":[{"id":"a","name":"x"}],"ttlSeconds":2}`)
	if status != 201 {
		t.Fatalf("create: %d", status)
	}
	r := room{ID: m["id"].(string)}
	_, _, j := post(t, c.nginx.URL()+"/v1/rooms/"+r.ID+"/members", "", `{"name":"a"}`)
	r.tokens = []string{j["token"].(string)}
	var ls []*listener
	seen := map[string]bool{}
	for range 3 {
		l := listen(t, c.nginx.URL(), r, 0)
		seen[l.replica] = true
		ls = append(ls, l)
	}
	if len(seen) < 2 {
		t.Fatalf("listeners on %v only", seen)
	}
	for _, l := range ls {
		testproc.WaitFor(t, 20*time.Second, "closed on "+l.replica, func() bool {
			l.mu.Lock()
			defer l.mu.Unlock()
			return len(l.types) > 0 && l.types[len(l.types)-1] == "closed"
		})
	}
	keys := c.redis.Client().Keys(context.Background(), "*"+r.ID+"*").Val()
	if len(keys) != 0 {
		t.Fatalf("keys of the expired room remain: %v", keys)
	}
}

// TestSlowlorisAndHugeHeaders: a client that never finishes its headers
// is cut after the header timeout, and oversized headers are refused.
func TestSlowlorisAndHugeHeaders(t *testing.T) {
	rep := testproc.StartReplica(t, "slow", "REDIS_URL=", "MENUSYNC_READ_HEADER_TIMEOUT=500ms")
	conn, err := net.Dial("tcp", rep.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_, _ = conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "))
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = io.ReadAll(conn) // returns when the server closes
	if err != nil {
		t.Fatalf("server did not close a slow-header connection: %v", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("slow-header connection lived %v", took)
	}

	req, _ := http.NewRequest("GET", rep.URL()+"/healthz", nil)
	req.Header.Set("X-Huge", strings.Repeat("x", 64<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("64 KiB header: %d", resp.StatusCode)
	}
}

// TestPresenceAcrossReplicas: a member streaming from replica 2 is online
// for a listener on replica 1; when replica 2 is SIGKILLed, nobody says
// goodbye, yet the member goes offline within the grace period plus the
// connection's expiry (three heartbeats) and a sweep.
func TestPresenceAcrossReplicas(t *testing.T) {
	rd := testproc.StartRedis(t)
	env := []string{"REDIS_URL=" + rd.URL(), "MENUSYNC_SECRET=" + secret, "MENUSYNC_HEARTBEAT=1s", "MENUSYNC_PRESENCE_GRACE=1s",
		"MENUSYNC_RATE_READ_MEMBER=0"} // the test polls GET faster than a person would
	r1 := testproc.StartReplica(t, "replica-1", env...)
	r2 := testproc.StartReplica(t, "replica-2", env...)
	r := openRoom(t, r1.URL(), 2)
	observer := listen(t, r1.URL(), r, 0)
	online := func(member int) bool {
		req, _ := http.NewRequest("GET", r1.URL()+"/v1/rooms/"+r.ID, nil)
		req.Header.Set("Authorization", "Bearer "+r.tokens[0])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var s struct{ Members []struct{ Online bool } }
		_ = json.NewDecoder(resp.Body).Decode(&s)
		return len(s.Members) > member && s.Members[member].Online
	}
	listen(t, r2.URL(), r, 1) // member 1 streams from replica 2
	testproc.WaitFor(t, 10*time.Second, "member 1 online", func() bool { return online(1) })
	observer.mu.Lock()
	before := len(observer.types)
	observer.mu.Unlock()

	r2.Signal(syscall.SIGKILL)
	<-r2.Done()
	start := time.Now()
	testproc.WaitFor(t, 30*time.Second, "member 1 offline", func() bool { return !online(1) })
	took := time.Since(start)
	observer.mu.Lock()
	sawPresence := slices.Contains(observer.types[before:], "presence")
	observer.mu.Unlock()
	if !sawPresence {
		t.Fatal("the listener on replica 1 got no presence event")
	}
	if !online(0) {
		t.Fatal("the observer itself went offline")
	}
	t.Logf("member of the killed replica offline %v after the kill (heartbeat 1s, grace 1s, sweep every 5s)", took.Round(100*time.Millisecond))
}
