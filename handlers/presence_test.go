package handlers_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/menusync/menusync/handlers"
)

type presenceEvent struct {
	MemberID string `json:"memberId"`
	Online   bool   `json:"online"`
	Version  uint64 `json:"version"`
}

// nextPresence skips to the next presence event.
func nextPresence(t *testing.T, s *sseReader) presenceEvent {
	t.Helper()
	for {
		ev := s.next(t)
		if ev.Event != "presence" {
			continue
		}
		var p presenceEvent
		if err := json.Unmarshal([]byte(ev.Data), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

func TestPresence(t *testing.T) {
	f := newFixture(t, handlers.Config{PresenceGrace: 300 * time.Millisecond, Heartbeat: 100 * time.Millisecond})
	p := f.party()
	path := "/v1/rooms/" + p.room.ID + "/events"
	bo := f.stream(path, "Authorization", "Bearer "+p.tokenB)
	bo.next(t) // snapshot

	ana := f.stream(path, "Authorization", "Bearer "+p.tokenA)
	if pe := nextPresence(t, bo); pe.MemberID != p.a.ID || !pe.Online {
		t.Fatalf("Ana's arrival: %+v", pe)
	}
	// A reload inside the grace period: no flap.
	ana.close()
	ana = f.stream(path, "Authorization", "Bearer "+p.tokenA)
	ana.next(t)
	time.Sleep(time.Second) // nothing to await: the point is that nothing comes
	f.do("POST", "/v1/rooms/"+p.room.ID+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 1})
	for {
		ev := bo.next(t)
		if ev.Event == "presence" {
			t.Fatalf("a reload within the grace period flapped: %+v", ev)
		}
		if ev.Event == "choice" {
			break
		}
	}
	// Leaving for good: offline after the grace period.
	ana.close()
	start := time.Now()
	if pe := nextPresence(t, bo); pe.MemberID != p.a.ID || pe.Online {
		t.Fatalf("Ana's departure: %+v", pe)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Fatalf("offline after %v, before the grace period", took)
	}
	var snap struct {
		Members []struct {
			ID     string
			Online bool
		}
	}
	f.do("GET", "/v1/rooms/"+p.room.ID, p.tokenB, nil).json(t, &snap)
	if snap.Members[0].Online || !snap.Members[1].Online {
		t.Fatalf("snapshot presence: %+v", snap.Members)
	}
}
