package kubernetes

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

// A real replica (the binary built from ./cmd/menusync, its embedded
// store) answers what the manifests ask of it: the probe paths, and
// every metric the dashboard reads.
func TestLiveReplica(t *testing.T) {
	o := exampleBuild(t)
	// One stream per member, so that a second one is refused and the
	// refusal counter has a child to show.
	rep := testproc.StartReplica(t, "k8s", "REDIS_URL=", "MENUSYNC_SECRET=", "MENUSYNC_STREAMS_PER_MEMBER=1")

	t.Run("probes", func(t *testing.T) {
		c := container(o)
		for which, pr := range map[string]string{"readiness": c.ReadinessProbe.HTTPGet.Path, "liveness": c.LivenessProbe.HTTPGet.Path} {
			resp, err := http.Get(rep.URL() + pr)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s probe path %s: %s from a healthy replica", which, pr, resp.Status)
			}
		}
	})

	t.Run("dashboard metrics", func(t *testing.T) {
		used := dashboardMetrics(t)
		exercise(t, rep.URL())
		var missing []string
		// Counters by label appear once counted: the stream the exercise
		// closed is counted when the replica notices, a moment later.
		deadline := time.Now().Add(10 * time.Second)
		for {
			exported := scrape(t, rep.URL())
			missing = missing[:0]
			for m := range used {
				if !exported[m] {
					missing = append(missing, m)
				}
			}
			if len(missing) == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		slices.Sort(missing)
		for _, m := range missing {
			t.Errorf("the dashboard reads %s (panel %q), which the replica does not export", m, used[m])
		}
	})
}

// exercise makes the replica use what its metrics count: a room, a
// member, a stream that gets a snapshot and a delta and then closes, and
// a second stream that is refused.
func exercise(t *testing.T, base string) {
	t.Helper()
	var room struct {
		ID   string `json:"id"`
		Menu []struct {
			ID string `json:"id"`
		} `json:"menu"`
	}
	post(t, base+"/v1/rooms", "", `{"menu":[{"name":"x"}]}`, &room)
	var member struct {
		Token string `json:"token"`
	}
	post(t, base+"/v1/rooms/"+room.ID+"/members", "", `{"name":"Ana"}`, &member)

	stream := get(t, base+"/v1/rooms/"+room.ID+"/events", member.Token)
	defer stream.Body.Close()
	events := bufio.NewReader(stream.Body)
	waitEvent(t, events, "snapshot")
	refused := get(t, base+"/v1/rooms/"+room.ID+"/events", member.Token)
	refused.Body.Close()
	if refused.StatusCode == http.StatusOK {
		t.Fatal("a second stream of the same member was not refused")
	}
	post(t, base+"/v1/rooms/"+room.ID+"/choices", member.Token, fmt.Sprintf(`{"menuId":%q,"quantity":1}`, room.Menu[0].ID), nil)
	waitEvent(t, events, "choice")
}

func post(t *testing.T, url, token, body string, into any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST %s: %s %s", url, resp.Status, b)
	}
	if into != nil {
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("POST %s: %v", url, err)
		}
	}
}

func get(t *testing.T, url, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// waitEvent reads the stream up to the next event named name.
func waitEvent(t *testing.T, r *bufio.Reader, name string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended before a %s event: %v", name, err)
		}
		if strings.TrimSpace(line) == "event: "+name {
			return
		}
	}
}

// scrape returns every sample name /metrics offers, and for each family
// its type declares, the names its samples take: a histogram's _bucket,
// _sum and _count.
func scrape(t *testing.T, base string) map[string]bool {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	names := map[string]bool{}
	for _, line := range bytes.Split(b, []byte("\n")) {
		f := strings.Fields(string(line))
		switch {
		case len(f) == 4 && f[0] == "#" && f[1] == "TYPE":
			suffixes := map[string][]string{"histogram": {"_bucket", "_sum", "_count"}, "summary": {"", "_sum", "_count"}}[f[3]]
			if suffixes == nil {
				suffixes = []string{""}
			}
			for _, s := range suffixes {
				names[f[2]+s] = true
			}
		case len(f) >= 2 && f[0] != "#":
			names[strings.SplitN(f[0], "{", 2)[0]] = true
		}
	}
	if !names["menusync_streams_open"] {
		t.Fatalf("/metrics does not look like the server's:\n%s", b)
	}
	return names
}
