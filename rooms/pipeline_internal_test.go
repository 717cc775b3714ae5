package rooms

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/testproc"
)

// TestPipelinerOnACluster: on a cluster every script call goes on its
// own (a batch spanning masters waits for the slowest); on one Redis they
// share pipelines. e2e's cluster tests run the direct path for real.
func TestPipelinerOnACluster(t *testing.T) {
	cluster := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}})
	defer cluster.Close()
	single := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer single.Close()
	if p := newPipeliner(cluster, writesInFlight, maxBatch, nil); !p.direct {
		t.Error("a cluster's script calls are pipelined across masters")
	}
	if p := newPipeliner(single, readsInFlight, maxReadBatch, nil); p.direct || p.maxBatch != maxReadBatch {
		t.Errorf("one Redis: direct %v, batch %d; want pipelined batches of %d", p.direct, p.maxBatch, maxReadBatch)
	}
}

// TestPipelineNeverRunsAScriptTwice: on the scripts' client (no go-redis
// resends, as the app opens it) a batch whose first reply is a retryable
// error (NOREPLICAS, as with min-replicas-to-write) is not sent again:
// the script after it ran once and its caller has that run's answer.
// With go-redis' MaxRetries 1 the batch went again and INCR answered 2.
func TestPipelineNeverRunsAScriptTwice(t *testing.T) {
	r := testproc.StartRedis(t)
	o := r.Client().Options()
	o.MaxRetries = -1
	rdb := redis.NewClient(o)
	defer rdb.Close()
	ctx := context.Background()
	refused := newScript(`return redis.error_reply('NOREPLICAS Not enough good replicas to write.')`, false)
	incr := newScript(`return {redis.call('INCR', KEYS[1])}`, false)
	for _, sc := range []*script{refused, incr} {
		if err := sc.plain.Load(ctx, rdb).Err(); err != nil {
			t.Fatal(err)
		}
	}
	p := newPipeliner(rdb, 1, maxBatch, nil)
	a := &scriptCall{ctx: ctx, sc: refused, done: make(chan struct{})}
	b := &scriptCall{ctx: ctx, sc: incr, keys: []string{"n"}, done: make(chan struct{})}
	p.exec([]*scriptCall{a, b})
	if n, _ := rdb.Get(ctx, "n").Int(); n != 1 || len(b.res) != 1 || b.res[0] != int64(1) {
		t.Errorf("INCR ran %d times; its caller was answered %v, %v", n, b.res, b.err)
	}
	if a.err == nil {
		t.Error("the refused script's caller got no error")
	}
}

// TestPresenceMarksPipelinedApart: a connect storm's presence marks go
// through pipelines of their own, so the thousands of them a storm
// queues (6,744 waiting at once in a 10,000-stream storm) never stand
// ahead of a choice, and snapshots have theirs; all three share the
// client's pins.
func TestPresenceMarksPipelinedApart(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer c.Close()
	for _, s := range []*Store{NewStore(c, PublishClassic, nil), NewStore(c, PublishClassic, nil, WithScriptClient(c))} {
		if s.marks == s.scripts || s.marks == s.reads || s.scripts == s.reads {
			t.Fatal("presence marks, writes and snapshots share a pipeliner")
		}
		// but one client's pins: one load per Redis process
		if s.marks.pin != s.scripts.pin || s.reads.pin != s.scripts.pin {
			t.Fatal("the pipelines of one client keep pins of their own")
		}
	}
}

// TestPresenceMarksOfARoomMerge: the marks of one room that meet in a
// batch (a table's members reconnecting together after a restart) run as
// one script call, and each mark is recorded and announced as on its own;
// a mark for another room in the same batch keeps its own call.
func TestPresenceMarksOfARoomMerge(t *testing.T) {
	r := testproc.StartRedis(t)
	rdb := r.Client()
	ctx := context.Background()
	s := NewStore(rdb, PublishClassic, nil)
	menu := []menusync.MenuItem{{ID: "d", Name: "Dish"}}
	table, err := s.Create(ctx, CreateInput{Menu: menu, CreatorName: "Host"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.Create(ctx, CreateInput{Menu: menu, CreatorName: "Solo"})
	if err != nil {
		t.Fatal(err)
	}
	conns := []Conn{{MemberID: table.Creator.ID, ConnID: "c0"}}
	for i := 1; i < 6; i++ {
		m, _, err := s.Join(ctx, table.Room.ID, fmt.Sprintf("Guest %d", i), WriteOpts{})
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, Conn{MemberID: m.ID, ConnID: fmt.Sprintf("c%d", i)})
	}
	// Hold the pipeliner busy so every mark queues into one batch.
	p := s.marks
	p.mu.Lock()
	p.inFlight = p.maxInFlight
	p.mu.Unlock()
	until := time.Now().Add(time.Minute)
	errs := make(chan error, len(conns)+1)
	for _, c := range conns {
		go func() { errs <- s.MarkPresent(ctx, table.Room.ID, c, until) }()
	}
	go func() {
		errs <- s.MarkPresent(ctx, other.Room.ID, Conn{MemberID: other.Creator.ID, ConnID: "x"}, until)
	}()
	for i := 0; ; i++ {
		p.mu.Lock()
		n := len(p.queue)
		p.mu.Unlock()
		if n == len(conns)+1 {
			break
		}
		if i == 500 {
			t.Fatalf("%d marks queued of %d", n, len(conns)+1)
		}
		time.Sleep(10 * time.Millisecond)
	}
	before := evalshaCalls(t, rdb)
	p.mu.Lock()
	batch := p.takeLocked()
	p.inFlight = 0
	p.mu.Unlock()
	p.exec(batch)
	for range len(conns) + 1 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := evalshaCalls(t, rdb) - before; n != 2 {
		t.Errorf("%d script calls for the marks of two rooms, want 2", n)
	}
	for _, room := range []Created{table, other} {
		snap, err := s.Snapshot(ctx, room.Room.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range snap.Members {
			if !m.Online {
				t.Errorf("%s is not online", m.Name)
			}
		}
	}
	if n, _ := rdb.ZCard(ctx, keysOf(table.Room.ID).conns).Result(); n != int64(len(conns)) {
		t.Errorf("%d connections recorded, want %d", n, len(conns))
	}
}

func evalshaCalls(t *testing.T, rdb *redis.Client) int {
	t.Helper()
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(info, "cmdstat_evalsha:calls=")
	if !ok {
		return 0
	}
	n, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ',')])
	return n
}
