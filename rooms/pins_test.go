package rooms_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/rooms"
)

// infoCalls is how many INFO commands Redis has run, scripts' included.
func infoCalls(t *testing.T, c *redis.Client) int {
	t.Helper()
	stats := c.Info(context.Background(), "commandstats").Val()
	_, rest, ok := strings.Cut(stats, "cmdstat_info:calls=")
	if !ok {
		return 0
	}
	n, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ',')])
	return n
}

// TestScriptsPinnedToTheRunningRedis: on Redis 7 the write scripts know
// which process runs them without an INFO per call; a restarted Redis
// (another process, here with all its data) is met with a new epoch by
// every replica, the one that reaches it second included — its scripts
// were loaded into the old process and are refused, not run with the old
// process' run id; SCRIPT FLUSH only reloads them.
func TestScriptsPinnedToTheRunningRedis(t *testing.T) {
	ctx := context.Background()
	rd := testproc.StartRedisArgs(t, "--appendonly", "yes", "--appendfsync", "always")
	a := redis.NewClient(&redis.Options{Addr: rd.Addr, MaxRetries: -1})
	defer a.Close()
	b := redis.NewClient(&redis.Options{Addr: rd.Addr, MaxRetries: -1})
	defer b.Close()
	sa := rooms.NewStore(a, rooms.PublishClassic, nil)
	sb := rooms.NewStore(b, rooms.PublishClassic, nil)
	room, m := seated(t, sa, rooms.CreateInput{Menu: menu(2)})
	before := infoCalls(t, a)
	var last rooms.ChoiceResult
	for q := 1; q <= 50; q++ {
		last = mustChoose(t, sa, room.ID, m.ID, "d0", q%9+1)
	}
	if _, err := sa.Snapshot(ctx, room.ID); err != nil {
		t.Fatal(err)
	}
	if n := infoCalls(t, a) - before; n > 4 {
		t.Fatalf("50 writes and a read ran %d INFO commands: the scripts are not pinned", n)
	}

	rd.Stop()
	rd.Start()
	first := mustChoose(t, sb, room.ID, m.ID, "d1", 1)
	if first.Epoch == last.Epoch || first.Version != last.Version+1 {
		t.Fatalf("first write after the restart at %+v, last before %+v: want a new epoch", first.Pos(), last.Pos())
	}
	second := mustChoose(t, sa, room.ID, m.ID, "d1", 2)
	if second.Epoch != first.Epoch || second.Version != first.Version+1 {
		t.Fatalf("the replica that was pinned to the old process wrote at %+v after %+v", second.Pos(), first.Pos())
	}
	snap, err := sa.Snapshot(ctx, room.ID)
	if err != nil || snap.Epoch != first.Epoch || snap.Version != second.Version {
		t.Fatalf("read after the restart: %+v, %v", snap.Pos(), err)
	}

	if err := a.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	third := mustChoose(t, sa, room.ID, m.ID, "d1", 3)
	if third.Epoch != first.Epoch || third.Version != second.Version+1 {
		t.Fatalf("after SCRIPT FLUSH: %+v, want %s.%d", third.Pos(), first.Epoch, second.Version+1)
	}
}

// TestWithoutPinning: with pinning off every write asks INFO itself, as
// before pinning, and a restart still moves the room to a new epoch.
func TestWithoutPinning(t *testing.T) {
	rd := testproc.StartRedisArgs(t, "--appendonly", "yes", "--appendfsync", "always")
	c := redis.NewClient(&redis.Options{Addr: rd.Addr, MaxRetries: -1})
	defer c.Close()
	s := rooms.NewStore(c, rooms.PublishClassic, nil, rooms.WithoutPinning(), rooms.WithScriptClient(c))
	room, m := seated(t, s, rooms.CreateInput{Menu: menu(2)})
	before := infoCalls(t, c)
	var last rooms.ChoiceResult
	for q := 1; q <= 20; q++ {
		last = mustChoose(t, s, room.ID, m.ID, "d0", q%9+1)
	}
	if n := infoCalls(t, c) - before; n < 20 {
		t.Fatalf("20 writes ran %d INFO commands: pinned although pinning is off", n)
	}
	rd.Stop()
	rd.Start()
	next := mustChoose(t, s, room.ID, m.ID, "d1", 1)
	if next.Epoch == last.Epoch {
		t.Fatalf("after a restart the room kept its epoch: %+v, then %+v", last.Pos(), next.Pos())
	}
}
