//go:build soak

package e2e

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

// TestSoak churns rooms, streams and choices through nginx and two
// replicas for SOAK_DURATION (10m by default; `make soak`), then checks
// that goroutines come back to their baseline, that the heap after the
// load is no larger than its plateau during it (connection pools and
// buffers stay warm, so the cold start is not the yardstick), and that no
// room key outlives its TTL. It prints the figures recorded in SOAK.md.
func TestSoak(t *testing.T) {
	dur := 10 * time.Minute
	if v := os.Getenv("SOAK_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatal(err)
		}
		dur = d
	}
	rd := testproc.StartRedis(t)
	var reps []*testproc.Replica
	var ups []string
	for i := 1; i <= 2; i++ {
		rep := testproc.StartReplica(t, fmt.Sprintf("soak-%d", i), "REDIS_URL="+rd.URL(), "MENUSYNC_SECRET="+secret,
			"MENUSYNC_RATE_MEMBER=0", "MENUSYNC_RATE_IP=0", "MENUSYNC_ROOMS_PER_IP_MINUTE=0", "MENUSYNC_LOG_LEVEL=warn")
		reps = append(reps, rep)
		ups = append(ups, rep.Addr)
	}
	ng := testproc.StartNginx(t, ups...)
	base := ng.URL()

	sample := func() (goroutines, heap, rss, streams float64) {
		for _, r := range reps {
			m := scrape(t, r.URL())
			goroutines += m["go_goroutines"]
			heap += m["go_memstats_heap_inuse_bytes"]
			rss += m["process_resident_memory_bytes"]
			streams += m["menusync_streams_open"]
		}
		return
	}
	g0, h0, r0, _ := sample()
	t.Logf("baseline: goroutines %.0f, heap in use %.1f MiB, RSS %.1f MiB (two replicas)", g0, h0/(1<<20), r0/(1<<20))

	const roomTTL = 20
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var (
		mu      sync.Mutex
		live    []room
		posts   atomic.Int64
		streams atomic.Int64
		errs    atomic.Int64
		wg      sync.WaitGroup
	)
	pick := func() (room, bool) {
		mu.Lock()
		defer mu.Unlock()
		if len(live) == 0 {
			return room{}, false
		}
		return live[rand.IntN(len(live))], true
	}
	// Rooms: a new one every second; each lives roomTTL seconds unless used.
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			status, _, m := post(t, base+"/v1/rooms", "", fmt.Sprintf(`{"menu":[{"id":"a","name":"A"},{"id":"b","name":"B"}],"ttlSeconds":%d}`, roomTTL))
			if status != 201 {
				errs.Add(1)
				continue
			}
			r := room{ID: m["id"].(string)}
			for i := range 4 {
				_, _, j := post(t, base+"/v1/rooms/"+r.ID+"/members", "", fmt.Sprintf(`{"name":"m%d"}`, i))
				if tok, ok := j["token"].(string); ok {
					r.tokens = append(r.tokens, tok)
				}
			}
			mu.Lock()
			live = append(live, r)
			if len(live) > 10 { // older rooms go quiet and expire
				live = live[1:]
			}
			mu.Unlock()
		}
	}()
	// Streams: 40 workers connect, hold 1–8 s, disconnect, repeat.
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				r, ok := pick()
				if !ok || len(r.tokens) == 0 {
					time.Sleep(100 * time.Millisecond)
					continue
				}
				sctx, scancel := context.WithTimeout(ctx, time.Duration(1000+rand.IntN(7000))*time.Millisecond)
				req, _ := http.NewRequestWithContext(sctx, "GET", base+"/v1/rooms/"+r.ID+"/events", nil)
				req.Header.Set("Authorization", "Bearer "+r.tokens[rand.IntN(len(r.tokens))])
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					streams.Add(1)
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				scancel()
			}
		}()
	}
	// Choices: about 50 a second.
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			r, ok := pick()
			if !ok || len(r.tokens) == 0 {
				continue
			}
			req, _ := http.NewRequest("POST", base+"/v1/rooms/"+r.ID+"/choices", strings.NewReader(fmt.Sprintf(`{"menuId":"a","quantity":%d}`, i%9)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+r.tokens[i%len(r.tokens)])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs.Add(1)
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				posts.Add(1)
			} else if resp.StatusCode != 404 { // a room that just expired
				errs.Add(1)
			}
		}
	}()
	// Figures every minute; the heap's plateau under load is the yardstick
	// for leaks (pools and buffers stay warm; growth would be a leak).
	var peakHeap atomic.Uint64
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			g, h, r, s := sample()
			peakHeap.Store(max(peakHeap.Load(), uint64(h)))
			t.Logf("during: goroutines %.0f, heap %.1f MiB, RSS %.1f MiB, streams open %.0f, choices %d, streams opened %d",
				g, h/(1<<20), r/(1<<20), s, posts.Load(), streams.Load())
		}
	}()
	wg.Wait()

	loadEnd := float64(time.Now().Unix())
	testproc.WaitFor(t, 30*time.Second, "every stream closed", func() bool { _, _, _, s := sample(); return s == 0 })
	// Heap in use counts garbage until a collection; an idle Go process
	// collects at least every two minutes, so wait for one on each replica.
	testproc.WaitFor(t, 150*time.Second, "a GC after the load on every replica", func() bool {
		for _, r := range reps {
			if scrape(t, r.URL())["go_memstats_last_gc_time_seconds"] <= loadEnd {
				return false
			}
		}
		return true
	})
	// nginx keeps up to 16 idle keep-alive connections to the replicas,
	// each one a goroutine there; anything beyond is a leak.
	const keepalive = 16
	var g1, h1, r1 float64
	testproc.WaitFor(t, 60*time.Second, "goroutines back to baseline", func() bool {
		g1, h1, r1, _ = sample()
		return g1 <= g0+keepalive
	})
	t.Logf("after %v: %d choices, %d streams opened, %d errors; goroutines %.0f (baseline %.0f), heap %.1f MiB (%.1f), RSS %.1f MiB (%.1f)",
		dur, posts.Load(), streams.Load(), errs.Load(), g1, g0, h1/(1<<20), h0/(1<<20), r1/(1<<20), r0/(1<<20))
	if peak := float64(peakHeap.Load()); h1 > peak*1.25+4<<20 {
		t.Errorf("heap in use after the load %.1f MiB, above its plateau during the load (%.1f MiB): something is kept", h1/(1<<20), peak/(1<<20))
	}
	if errs.Load() > posts.Load()/1000 {
		t.Errorf("%d errors for %d choices", errs.Load(), posts.Load())
	}

	rdb := rd.Client()
	bg := context.Background()
	for _, k := range rdb.Keys(bg, "room:*").Val() {
		if ttl := rdb.TTL(bg, k).Val(); ttl < 0 {
			t.Errorf("room key %s has no TTL", k)
		}
	}
	testproc.WaitFor(t, (roomTTL+10)*time.Second, "every room key expired", func() bool {
		return len(rdb.Keys(bg, "room:*").Val()) == 0
	})
	t.Logf("all room keys expired within %ds of the last activity", roomTTL+10)
}
