package rooms_test

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/rooms"
)

// infoHook calls onInfo after every INFO the client sends.
type infoHook struct{ onInfo func() }

func (h infoHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h infoHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if cmd.Name() == "info" {
			h.onInfo()
		}
		return err
	}
}
func (h infoHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// movable is a client whose new connections go wherever target says, as
// behind a DNS name or a virtual IP that moves in a failover.
func movable(target *atomic.Value) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: "redis.invalid:6379", MaxRetries: -1,
		Dialer: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, target.Load().(string))
		}})
}

// TestPinDuringAFailover: a replica that pins its scripts while the
// endpoint moves from the old Redis (A) to a promoted replica (B) must
// not leave texts pinned to A in B: another replica still pinned to A
// would then run there as A, keep A's epoch, and hand out again a
// version A had acknowledged for another change. The INFO that names the
// process and the loads go over one connection (review of issue 19: with
// INFO on one connection and the loads on another this failed, B writing
// at A's epoch and version).
func TestPinDuringAFailover(t *testing.T) {
	ctx := context.Background()
	a, b := testproc.StartRedis(t), testproc.StartRedis(t)
	adminA := redis.NewClient(&redis.Options{Addr: a.Addr})
	defer adminA.Close()
	adminB := redis.NewClient(&redis.Options{Addr: b.Addr})
	defer adminB.Close()

	var toFirst, toSecond atomic.Value
	toFirst.Store(a.Addr)
	toSecond.Store(a.Addr)
	first := movable(&toFirst)
	defer first.Close()
	s1 := rooms.NewStore(first, rooms.PublishClassic, nil) // pinned to A
	room, m := seated(t, s1, rooms.CreateInput{Menu: menu(2)})
	other, err := createRoom(ctx, s1, rooms.CreateInput{Menu: menu(2)})
	if err != nil {
		t.Fatal(err)
	}
	mustChoose(t, s1, room.ID, m.ID, "d0", 1)

	// B becomes a copy of A, then is promoted; A acknowledges one more
	// write that B never gets.
	_, port, _ := net.SplitHostPort(a.Addr)
	adminA.ConfigSet(ctx, "repl-diskless-sync-delay", "0") // no 5 s wait for more replicas
	adminB.ReplicaOf(ctx, "127.0.0.1", port)
	testproc.WaitFor(t, 10*time.Second, "B in sync with A", func() bool {
		return strings.Contains(adminB.Info(ctx, "replication").Val(), "master_link_status:up") &&
			adminA.Wait(ctx, 1, time.Second).Val() == 1
	})
	adminB.ReplicaOf(ctx, "NO", "ONE")
	lost := mustChoose(t, s1, room.ID, m.ID, "d0", 7)

	// A second replica pins just as the endpoint moves: its INFO reaches
	// A, then A's clients are dropped and new connections reach B.
	var moved atomic.Bool
	second := movable(&toSecond)
	defer second.Close()
	second.AddHook(infoHook{onInfo: func() {
		if moved.CompareAndSwap(false, true) {
			toSecond.Store(b.Addr)
			toFirst.Store(b.Addr)
			adminA.ClientKillByFilter(ctx, "TYPE", "normal")
		}
	}})
	s2 := rooms.NewStore(second, rooms.PublishClassic, nil)
	_, _, _ = s2.Join(ctx, other.ID, "Bo", rooms.WriteOpts{}) // may fail: its connection was cut

	after := mustChoose(t, s1, room.ID, m.ID, "d1", 3)
	if after.Epoch == lost.Epoch {
		t.Fatalf("B wrote at %+v in A's epoch, after A acknowledged %+v", after.Pos(), lost.Pos())
	}
}

// TestScriptLoadRefused: where SCRIPT LOAD is not allowed (an ACL, a
// renamed command) the scripts still run, sent in full when Redis does
// not know them, as before pinning.
func TestScriptLoadRefused(t *testing.T) {
	ctx := context.Background()
	r := testproc.StartRedis(t)
	admin := redis.NewClient(&redis.Options{Addr: r.Addr})
	defer admin.Close()
	if err := admin.Do(ctx, "ACL", "SETUSER", "app", "on", ">pw", "~*", "&*", "+@all", "-script").Err(); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: r.Addr, Username: "app", Password: "pw", MaxRetries: -1})
	defer c.Close()
	s := rooms.NewStore(c, rooms.PublishClassic, nil)
	room, m := seated(t, s, rooms.CreateInput{Menu: menu(2)})
	mustChoose(t, s, room.ID, m.ID, "d0", 2)
	if snap, err := s.Snapshot(ctx, room.ID); err != nil || len(snap.Choices) != 1 {
		t.Fatalf("snapshot: %+v, %v", snap, err)
	}
}
