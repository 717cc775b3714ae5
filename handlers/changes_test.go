package handlers_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/testproc"
)

type changes struct {
	ID      string            `json:"id"`
	Epoch   string            `json:"epoch"`
	Version uint64            `json:"version"`
	Events  []handlers.Change `json:"events"`
}

func (f *fixture) poll(t *testing.T, p party, query string) changes {
	t.Helper()
	r := f.do("GET", "/v1/rooms/"+p.room.ID+"/changes?"+query, p.tokenA, nil)
	if r.status != 200 {
		t.Fatalf("poll %s: %d %s", query, r.status, r.body)
	}
	var c changes
	r.json(t, &c)
	return c
}

func TestLongPoll(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID

	// Behind: a snapshot at once (version 4: Ana's poll made her online).
	c := f.poll(t, p, "")
	if c.Version != 4 || c.ID != p.id(4) || c.Epoch != p.room.Epoch || len(c.Events) != 1 || c.Events[0].Event != "snapshot" || c.Events[0].ID != p.id(4) {
		t.Fatalf("poll from 0: %+v", c)
	}
	var snap menusync.Snapshot
	if err := json.Unmarshal(c.Events[0].Data, &snap); err != nil || snap.Version != 4 || !snap.Members[0].Online {
		t.Fatalf("snapshot data: %v %s", err, c.Events[0].Data)
	}

	// Current: waits for the next change and returns it.
	got := make(chan changes, 1)
	reads := f.hub.Stats.SnapshotReads.Load()
	go func() { got <- f.poll(t, p, "after="+p.id(4)+"&wait=20s") }()
	// Listening and past its snapshot read: a choice now is news to it.
	testproc.WaitFor(t, 5*time.Second, "the poll is listening", func() bool {
		_, n := f.hub.RoomCount()
		return n == 1 && f.hub.Stats.SnapshotReads.Load() > reads
	})
	f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 1})
	f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 2})
	answer := <-got
	if len(answer.Events) == 0 || answer.Events[0].Event != "choice" || answer.Events[0].ID != p.id(5) || answer.ID != answer.Events[len(answer.Events)-1].ID {
		t.Fatalf("poll from 4: %+v", answer)
	}
	for i, e := range answer.Events {
		if e.ID != p.id(5+uint64(i)) {
			t.Fatalf("events out of order: %+v", answer.Events)
		}
	}
	// A position in another epoch (or a bare version): a snapshot at once.
	for _, after := range []string{"Zm9yZ290dGVu.4", "4"} {
		c := f.poll(t, p, "after="+after+"&wait=20s")
		if len(c.Events) != 1 || c.Events[0].Event != "snapshot" || c.ID != c.Events[0].ID {
			t.Fatalf("poll after %s: %+v", after, c)
		}
	}

	// Nothing happens: an empty answer with the current version.
	var now menusync.Snapshot
	f.do("GET", base, p.tokenA, nil).json(t, &now)
	v := p.id(now.Version)
	c = f.poll(t, p, "after="+v+"&wait=0")
	if len(c.Events) != 0 || c.ID != v {
		t.Fatalf("idle poll: %+v", c)
	}
	for _, bad := range []string{"after=x", "after=-1", "after=a.b.1", "after=.1", "wait=31s", "wait=soon"} {
		if r := f.do("GET", base+"/changes?"+bad, p.tokenA, nil); r.status != 400 {
			t.Errorf("%s: %d", bad, r.status)
		}
	}
	if r := f.do("GET", base+"/changes", "", nil); r.status != 401 {
		t.Errorf("poll without token: %d", r.status)
	}
}

func TestLongPollSeesExpiry(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	roomID, token := f.expiringRoom()
	var c changes
	f.do("GET", "/v1/rooms/"+roomID+"/changes?wait=0", token, nil).json(t, &c) // online: version 3
	f.do("GET", "/v1/rooms/"+roomID+"/changes?after="+c.ID+"&wait=20", token, nil).json(t, &c)
	if len(c.Events) != 1 || c.Events[0].Event != "closed" {
		t.Fatalf("poll over an expiring room: %+v", c)
	}
}
