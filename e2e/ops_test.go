package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

// scrape returns the samples of a /metrics page by "name{labels}".
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err == nil {
			out[line[:i]] = v
		}
	}
	return out
}

func TestMetricsScrape(t *testing.T) {
	_, reps := startCluster(t, 2)
	base := reps[0].URL()
	r := openRoom(t, base, 2)
	l := listen(t, base, r, 0)
	var v uint64
	for i := range 3 {
		v = choose(t, reps[1].URL(), r, 1, "a", i+1)
	}
	l.await(t, v)
	m := scrape(t, base)
	want := map[string]float64{
		"menusync_streams_open":                      1,
		"menusync_rooms_with_listeners":              1,
		"menusync_events_delivered_total":            3,
		"menusync_publish_to_delivery_seconds_count": 3,
		`menusync_http_requests_total{method="POST",route="/v1/rooms/{roomId}/members",status="201"}`: 2,
	}
	for k, w := range want {
		if m[k] != w {
			t.Errorf("%s = %v, want %v", k, m[k], w)
		}
	}
	if m[`menusync_redis_command_seconds_count{command="evalsha"}`] < 1 || m[`menusync_redis_command_seconds_count{command="pipeline"}`] < 1 {
		t.Errorf("no Redis command latency recorded: %v", m)
	}
	if m[`menusync_http_requests_total{method="POST",route="/v1/rooms/{roomId}/choices",status="200"}`] != 0 {
		t.Error("choices POSTed to replica 2 counted on replica 1")
	}
	if _, ok := m[`menusync_listeners_resynced_total{reason="gap"}`]; !ok {
		t.Error("resync counter missing")
	}
	if m["process_resident_memory_bytes"] == 0 {
		t.Error("process metrics missing")
	}
}

// TestDrainUnderLoad sends SIGTERM to one of three replicas behind nginx
// while listeners follow a room and choices keep coming: every listener
// ends on the final version with nothing missed or duplicated (the
// listener checks order on every event), and the POST load sees no 5xx.
func TestDrainUnderLoad(t *testing.T) {
	rd := testproc.StartRedis(t)
	var reps []*testproc.Replica
	var ups []string
	for i := 1; i <= 3; i++ {
		rep := testproc.StartReplica(t, fmt.Sprintf("replica-%d", i), "REDIS_URL="+rd.URL(),
			"MENUSYNC_SECRET="+secret, "MENUSYNC_DRAIN_WINDOW=1s", "MENUSYNC_RATE_MEMBER=0")
		reps = append(reps, rep)
		ups = append(ups, rep.Addr)
	}
	ng := testproc.StartNginx(t, ups...)
	r := openRoom(t, ng.URL(), 4)
	var ls []*listener
	onVictim := 0
	for i := range 9 {
		l := listen(t, ng.URL(), r, i%4)
		if l.replica == "replica-2" {
			onVictim++
		}
		ls = append(ls, l)
	}
	if onVictim == 0 {
		t.Fatal("no listener on the replica to be drained: the test proves nothing")
	}

	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		final    uint64
		stop     = make(chan struct{})
		done     = make(chan struct{})
	)
	go func() {
		defer close(done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for i := 0; i < 2000; i++ { // bounded: about 20 s at most
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			req, _ := http.NewRequest("POST", ng.URL()+"/v1/rooms/"+r.ID+"/choices",
				strings.NewReader(fmt.Sprintf(`{"menuId":"b","quantity":%d}`, i%9+1)))
			req.Header.Set("Authorization", "Bearer "+r.tokens[i%4])
			req.Header.Set("Content-Type", "application/json")
			// as first-party clients do; nginx retries only such changes
			// on another replica when a draining one closes a connection
			req.Header.Set("Idempotency-Key", newKey())
			resp, err := http.DefaultClient.Do(req)
			mu.Lock()
			if err != nil {
				statuses[-1]++
			} else {
				statuses[resp.StatusCode]++
				var body struct {
					Version uint64 `json:"version"`
				}
				_ = json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				if resp.StatusCode == 200 && body.Version > final {
					final = body.Version
				}
			}
			mu.Unlock()
		}
	}()

	// Let some load through, then drain replica 2.
	testproc.WaitFor(t, 10*time.Second, "POSTs flowing", func() bool { mu.Lock(); defer mu.Unlock(); return statuses[200] >= 30 })
	reps[1].Signal(syscall.SIGTERM)
	select {
	case <-reps[1].Done():
	case <-time.After(30 * time.Second):
		t.Fatal("replica 2 did not exit after SIGTERM")
	}
	if !strings.Contains(reps[1].Logs(), "stopped") {
		t.Fatalf("replica 2 did not stop cleanly:\n%s", reps[1].Logs())
	}
	mark := func() int { mu.Lock(); defer mu.Unlock(); return statuses[200] }
	after := mark()
	testproc.WaitFor(t, 10*time.Second, "POSTs flowing after the drain", func() bool { return mark() >= after+30 })
	close(stop)
	<-done

	mu.Lock()
	defer mu.Unlock()
	for code, n := range statuses {
		if code != 200 {
			t.Errorf("POST load saw %d × status %d", n, code)
		}
	}
	for _, l := range ls {
		l.await(t, final)
	}
	moved := 0
	for _, l := range ls {
		l.mu.Lock()
		if l.replica == "replica-2" {
			if len(l.connects) < 2 || l.connects[len(l.connects)-1] == "replica-2" {
				t.Errorf("listener of replica 2 did not move: connections %v", l.connects)
			}
			moved++
		}
		l.mu.Unlock()
	}
	t.Logf("POST statuses %v, final version %d, %d listeners moved off the drained replica", statuses, final, moved)
}
