//go:build probe

package rooms_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/rooms"
)

func lf(n string) string { b, _ := os.ReadFile("lua/" + n + ".lua"); return string(b) + "\n" }

func TestProbeLua(t *testing.T) {
	r := testproc.StartRedis(t)
	c := r.Client()
	s := rooms.NewStore(c, rooms.PublishClassic, nil)
	ctx := context.Background()
	room, err := createRoom(ctx, s, rooms.CreateInput{Menu: menu(20)})
	if err != nil {
		t.Fatal(err)
	}
	var mids []string
	for i := range 8 {
		m, _, _ := s.Join(ctx, room.ID, fmt.Sprintf("m%d", i), rooms.WriteOpts{})
		mids = append(mids, m.ID)
	}
	ps := c.Subscribe(ctx, rooms.Channel(room.ID))
	go func() {
		for range ps.Channel() {
		}
	}()
	base := lf("epoch") + lf("write") + lf("choice")
	variants := map[string]string{
		"full":        base,
		"noinfo":      strings.Replace(base, "redis.pcall('INFO', 'server')", "'run_id:0123456789012345678901234567890123456789\\n'", 1),
		"return1":     "return {0,1,0,'',0,'e',0}",
	}
	k := "room:{" + room.ID + "}"
	keys := []string{k, k + ":members", k + ":choices", k + ":items", k + ":left", k + ":names", k + ":dishnames", k + ":done"}
	for _, bs := range []int{1, 2, 4, 8, 50} {
	for _, name := range []string{"full", "noinfo"} {
		sc := redis.NewScript(variants[name])
		sc.Load(ctx, c)
		n := 0
		cpu := r.CPUTime()
		start := time.Now()
		for time.Since(start) < 3*time.Second {
			p := c.Pipeline()
			for range bs {
				n++
				now := time.Now()
				q := n%50 + 1
				val := fmt.Sprintf("%d|0|", q)
				sc.EvalSha(ctx, p, keys, "PUBLISH", rooms.Channel(room.ID), now.Unix(), now.UnixMicro(), `{"menuId":"d1","memberId":"`+mids[n%8]+`","quantity":`+fmt.Sprint(q)+`,"version":`, "AAAAAAAAAAA", now.Add(10*time.Second).UnixMilli(), 86400, mids[n%8], fmt.Sprintf("d%d", n%20), q, val, "x")
			}
			if _, err := p.Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		used := r.CPUTime() - cpu
		t.Logf("batch %2d %-8s %6.2f µs redis CPU per call (%d calls)", bs, name, float64(used.Microseconds())/float64(n), n)
	}
	}
}
