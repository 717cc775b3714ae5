package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

// TestBufferingProxy puts an nginx that buffers responses (and ignores
// X-Accel-Buffering) in front of two replicas: the event stream shows the
// buffering, and the long-poll endpoint still delivers every update in
// order.
func TestBufferingProxy(t *testing.T) {
	rd := testproc.StartRedis(t)
	var ups []string
	for i := 1; i <= 2; i++ {
		ups = append(ups, testproc.StartReplica(t, fmt.Sprintf("replica-%d", i), "REDIS_URL="+rd.URL(), "MENUSYNC_SECRET="+secret).Addr)
	}
	ng := testproc.StartBufferingNginx(t, ups...)
	r := openRoom(t, ng.URL(), 2)

	// The stream: what it sends stays in the proxy's buffers.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ng.URL()+"/v1/rooms/"+r.ID+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+r.tokens[0])
	var mu sync.Mutex
	var got strings.Builder
	go func() {
		// The proxy may hold even the headers.
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		defer resp.Body.Close()
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			mu.Lock()
			got.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	v := choose(t, ng.URL(), r, 1, "a", 1)
	// Nothing to wait for here but time: the point is that nothing comes.
	time.Sleep(2 * time.Second)
	mu.Lock()
	streamed := got.String()
	mu.Unlock()
	if strings.Contains(streamed, fmt.Sprintf(".%d\n", v)) {
		t.Fatalf("the stream got through the buffering proxy; the test proves nothing:\n%s", streamed)
	}
	t.Logf("through the buffering proxy the stream delivered %d bytes in 2 s", len(streamed))

	// Long-poll through the same proxy: follow the room while 20 choices
	// are made, and check each version arrives in order.
	final := make(chan uint64, 1)
	go func() {
		var last uint64
		for i := range 20 {
			status, _, m := post(t, ng.URL()+"/v1/rooms/"+r.ID+"/choices", r.tokens[i%2], fmt.Sprintf(`{"menuId":"b","quantity":%d}`, i%9+1))
			if status != 200 {
				t.Errorf("choose through the buffering proxy: %d %v", status, m)
				break
			}
			last = uint64(m["version"].(float64))
			time.Sleep(50 * time.Millisecond) // a table's pace, so polls see single changes too
		}
		final <- last
	}()
	var cur position
	want := uint64(0)
	deadline := time.Now().Add(60 * time.Second)
	for polls := 0; want == 0 || cur.v < want; polls++ {
		if time.Now().After(deadline) {
			t.Fatalf("long-poll stuck at %v, want %d", cur, want)
		}
		preq, _ := http.NewRequest("GET", fmt.Sprintf("%s/v1/rooms/%s/changes?after=%s&wait=5", ng.URL(), r.ID, cur), nil)
		preq.Header.Set("Authorization", "Bearer "+r.tokens[0])
		presp, err := http.DefaultClient.Do(preq)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(presp.Body)
		presp.Body.Close()
		var c struct {
			ID     string
			Events []struct {
				ID    string
				Event string
			}
		}
		if presp.StatusCode != 200 || json.Unmarshal(body, &c) != nil {
			t.Fatalf("poll: %d %s", presp.StatusCode, body)
		}
		for _, e := range c.Events {
			p := parsePosition(t, e.ID)
			switch {
			case e.Event == "snapshot" && (p.epoch != cur.epoch || p.v > cur.v):
			case p.epoch == cur.epoch && p.v == cur.v+1:
			default:
				t.Fatalf("poll after %v gave %s %v", cur, e.Event, p)
			}
			cur = p
		}
		if c.ID != cur.String() && len(c.Events) > 0 {
			t.Fatalf("answer at %s but last event %v", c.ID, cur)
		}
		select {
		case want = <-final:
		default:
		}
	}
}
