package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/menusync/menusync/client"
	"github.com/menusync/menusync/internal/testproc"
)

// TestRedisComesBackOlder: Redis loses acknowledged writes (a host crash
// with appendfsync everysec loses the AOF's tail; a restart from an older
// RDB loses everything since it was saved) while every kind of client has
// applied them. Afterwards each client shows what Redis has (a new epoch,
// at a lower version), not a mix, and the writes that follow reach them
// all: before epochs, listeners skipped them as "already seen" for good.
func TestRedisComesBackOlder(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		save  func(t *testing.T, rd *testproc.Redis) string // returns a copy of what survives
		crash func(t *testing.T, rd *testproc.Redis, saved string)
	}{
		{
			name: "aof everysec loses its tail",
			args: []string{"--appendonly", "yes", "--appendfsync", "everysec", "--appenddirname", "aof"},
			save: func(t *testing.T, rd *testproc.Redis) string {
				return copyDir(t, filepath.Join(rd.Dir, "aof")) // the disk as it was at the last fsync
			},
			crash: func(t *testing.T, rd *testproc.Redis, saved string) {
				rd.Stop() // SIGKILL
				if err := os.RemoveAll(filepath.Join(rd.Dir, "aof")); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(saved, filepath.Join(rd.Dir, "aof")); err != nil {
					t.Fatal(err)
				}
				rd.Start()
			},
		},
		{
			name: "restart from an older rdb",
			args: []string{"--appendonly", "no", "--dbfilename", "dump.rdb"},
			save: func(t *testing.T, rd *testproc.Redis) string {
				if err := rd.Client().Save(context.Background()).Err(); err != nil {
					t.Fatal(err)
				}
				return copyDir(t, rd.Dir)
			},
			crash: func(t *testing.T, rd *testproc.Redis, saved string) {
				rd.Stop()
				b, err := os.ReadFile(filepath.Join(saved, "dump.rdb"))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(rd.Dir, "dump.rdb"), b, 0o644); err != nil {
					t.Fatal(err)
				}
				rd.Start()
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd := testproc.StartRedisArgs(t, tc.args...)
			reps := replicasOn(t, rd.URL(), 2, "MENUSYNC_RATE_READ_MEMBER=0") // converge polls GET faster than a person would
			ng := testproc.StartNginx(t, reps[0].Addr, reps[1].Addr)
			base := ng.URL()
			r := openRoom(t, base, 3)
			ids := members(t, base, r)
			fs := []follower{
				followRaw(t, base, r, 0, "raw SSE 1"), followRaw(t, base, r, 1, "raw SSE 2"),
				followGo(t, base, r, 1), followPoll(t, base, r, 2), followBrowser(t, base, r, 2, ids[2]),
			}
			choose(t, base, r, 0, "a", 1)
			choose(t, base, r, 1, "b", 1)
			converge(t, base, r, 20*time.Second, fs...)
			saved := tc.save(t, rd)
			for q := 2; q <= 5; q++ {
				choose(t, base, r, 0, "a", q) // acknowledged, then lost
			}
			ahead := converge(t, base, r, 20*time.Second, fs...)

			tc.crash(t, rd, saved)
			for _, rep := range reps {
				testproc.WaitFor(t, 20*time.Second, rep.Name+" ready", func() bool { return status(rep.URL()+"/readyz") == 200 })
			}
			back := converge(t, base, r, 30*time.Second, fs...)
			if back.pos.Epoch == ahead.pos.Epoch || back.choices[ids[0]+"|a"] != 1 {
				t.Fatalf("after the crash: %v (before: %v); want Redis' older state in a new epoch", back, ahead)
			}
			// The change that was invisible before epochs: same value as a
			// lost one, at a version every client had already passed.
			choose(t, base, r, 0, "a", 5)
			choose(t, base, r, 1, "b", 7)
			final := converge(t, base, r, 20*time.Second, fs...)
			if final.choices[ids[0]+"|a"] != 5 || final.choices[ids[1]+"|b"] != 7 {
				t.Fatalf("final state %v", final)
			}
		})
	}
}

// TestFrozenReplica freezes one of two replicas (SIGSTOP) behind the
// repo's nginx while two members change their choices one after the
// other: one through the Go client (an Idempotency-Key on every POST,
// retried by nginx on the other replica), one with plain keyless POSTs
// (never retried by nginx; the member retries after a 504). When the
// replica wakes up it runs the requests it was holding, late; none may
// undo a newer acknowledged change. Clients whose stream sat on the frozen
// replica notice the silence (no heartbeat) and reconnect elsewhere
// before it wakes up.
func TestFrozenReplica(t *testing.T) {
	t.Parallel() // it mostly waits for nginx's timeouts
	rd := testproc.StartRedis(t)
	reps := replicasOn(t, rd.URL(), 2, "MENUSYNC_HEARTBEAT=1s", "MENUSYNC_RATE_READ_MEMBER=0")
	ng := testproc.StartNginx(t, reps[0].Addr, reps[1].Addr)
	base := ng.URL()
	r := openRoom(t, base, 8) // Ana, Bo, and a member for each follower
	ids := members(t, base, r)
	var watchers []follower
	for m := 2; m <= 5; m++ {
		watchers = append(watchers, followGo(t, base, r, m))
	}
	watchers = append(watchers, followBrowser(t, base, r, 6, ids[6]))
	others := []follower{followRaw(t, base, r, 0, "raw SSE 1"), followRaw(t, base, r, 1, "raw SSE 2"), followPoll(t, base, r, 7)}
	all := append(append([]follower{}, watchers...), others...)
	converge(t, base, r, 20*time.Second, all...)
	// Freeze the replica holding more streams: nginx's per-worker round
	// robin, shared with the joins and POSTs, may put most on either one.
	frozen, awake := reps[0], reps[1]
	n0, n1 := scrape(t, reps[0].URL())["menusync_streams_open"], scrape(t, reps[1].URL())["menusync_streams_open"]
	if n1 > n0 {
		frozen, awake = reps[1], reps[0]
	}
	if n := max(n0, n1); n < 2 {
		t.Fatalf("only %v streams on the replica to freeze: the test would prove little", n)
	}

	frozen.Signal(syscall.SIGSTOP)
	woken := false
	wake := func() {
		if !woken {
			woken = true
			frozen.Signal(syscall.SIGCONT)
		}
	}
	defer wake()
	c, _ := client.New(base, nil)
	ana := c.WithToken(r.tokens[0])
	var wg sync.WaitGroup
	var anaErr error
	wg.Go(func() {
		for q := 1; q <= 4; q++ {
			if _, err := ana.Choose(context.Background(), r.ID, "a", q); err != nil {
				anaErr = fmt.Errorf("Ana's choice %d: %w", q, err)
				return
			}
		}
	})
	var boStatuses []int
	wg.Go(func() {
		for q := 1; q <= 4; q++ {
			for {
				st := keyless(t, base, r, 1, q)
				boStatuses = append(boStatuses, st)
				if st == 200 || q < 4 {
					break // a lost change in the middle is the member's to redo; the last one he retries
				}
			}
		}
	})
	wg.Wait()
	if anaErr != nil {
		t.Fatal(anaErr)
	}
	t.Logf("Bo's keyless changes answered %v", boStatuses)
	// While the replica is still frozen: every client that watches for
	// heartbeats has moved away from it and shows the latest state (as
	// the other replica tells it).
	converge(t, awake.URL(), r, 20*time.Second, watchers...)

	// Wake it. It carries out (or refuses) every request it held; then
	// nothing acknowledged may have been undone.
	held := 0
	for _, line := range strings.Split(ng.AccessLog(), "\n") {
		if strings.Contains(line, "/choices") && strings.Contains(line, frozen.Addr) {
			held++
		}
	}
	if held == 0 {
		t.Fatal("no change went to the frozen replica: the test proves nothing")
	}
	wake()
	testproc.WaitFor(t, 20*time.Second, fmt.Sprintf("the woken replica handled the %d changes it held", held), func() bool {
		n := 0.0
		for k, v := range scrape(t, frozen.URL()) {
			if strings.HasPrefix(k, "menusync_http_requests_total{") && strings.Contains(k, `route="/v1/rooms/{roomId}/choices"`) {
				n += v
			}
		}
		return int(n) >= held
	})
	final := converge(t, base, r, 20*time.Second, all...)
	if final.choices[ids[0]+"|a"] != 4 || final.choices[ids[1]+"|b"] != 4 {
		t.Fatalf("after the frozen replica woke up: %v; want a=4 for Ana and b=4 for Bo", final)
	}
}

// keyless sends one choice without an Idempotency-Key, as a curl user
// would, and returns the status (504 when nginx gave up on a replica).
func keyless(t *testing.T, base string, r room, member, q int) int {
	req, _ := http.NewRequest("POST", base+"/v1/rooms/"+r.ID+"/choices", strings.NewReader(fmt.Sprintf(`{"menuId":"b","quantity":%d}`, q)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+r.tokens[member])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return -1
	}
	resp.Body.Close()
	return resp.StatusCode
}

func copyDir(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "copy")
	if err := os.CopyFS(out, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	return out
}
