package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/r3labs/sse/v2"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
)

func TestStreamSnapshotThenDeltas(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	s := f.stream(base+"/events", "Authorization", "Bearer "+p.tokenA)
	for k, want := range map[string]string{
		"Content-Type":       "text/event-stream; charset=utf-8",
		"Cache-Control":      "no-cache",
		"X-Accel-Buffering":  "no",
		"X-Menusync-Replica": "test-replica",
	} {
		if got := s.resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	first, _ := s.raw(t)
	if first.Retry == "" {
		t.Fatalf("first block is not a retry hint: %+v", first)
	}
	ev := s.next(t)
	// 3 members' worth of changes, then Ana's own presence (online before
	// her snapshot is read, so it is in it).
	if ev.Event != "snapshot" || ev.ID != p.id(4) {
		t.Fatalf("first event: %+v", ev)
	}
	var snap menusync.Snapshot
	if err := json.Unmarshal([]byte(ev.Data), &snap); err != nil || snap.Version != 4 || len(snap.Members) != 2 || !snap.Members[0].Online || snap.Members[1].Online {
		t.Fatalf("snapshot data: %v %s", err, ev.Data)
	}

	f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tomyum", "quantity": 2})
	ev = s.next(t)
	if ev.Event != "choice" || ev.ID != p.id(5) {
		t.Fatalf("choice event: %+v", ev)
	}
	var c struct {
		menusync.Choice
		Version uint64 `json:"version"`
	}
	if err := json.Unmarshal([]byte(ev.Data), &c); err != nil || c.Version != 5 || c.MemberID != p.b.ID || c.Quantity != 2 || c.MenuID != "tomyum" {
		t.Fatalf("choice data: %s", ev.Data)
	}

	f.do("POST", base+"/members", "", map[string]string{"name": "Ngozi"})
	ev = s.next(t)
	if ev.Event != "member" || ev.ID != p.id(6) || !strings.Contains(ev.Data, `"name":"Ngozi"`) || !strings.Contains(ev.Data, `"version":6,"epoch":"`+p.room.Epoch+`"`) {
		t.Fatalf("member event: %+v", ev)
	}
	f.do("POST", base+"/refresh", p.tokenB, nil)
	ev = s.next(t)
	if ev.Event != "refresh" || ev.ID != p.id(7) || ev.Data != `{"version":7,"epoch":"`+p.room.Epoch+`"}` {
		t.Fatalf("refresh event: %+v", ev)
	}
}

func TestStreamResume(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 1})
	// Ana is online (her presence is a change too) before she resumes.
	f.stream(base+"/events", "Authorization", "Bearer "+p.tokenA).next(t)
	v := f.version(t, p)

	// Current: nothing extra, the next event is the next delta.
	cur := f.stream(base+"/events", "Last-Event-ID", p.id(v), "Authorization", "Bearer "+p.tokenA)
	// Behind: one snapshot at the current version.
	behind := f.stream(base+"/events?lastEventId="+p.id(2), "Authorization", "Bearer "+p.tokenA)
	// The same version in another epoch (Redis came back older since),
	// or a bare version from before epochs: a snapshot too.
	otherEpoch := f.stream(base+"/events", "Last-Event-ID", "Zm9yZ290dGVu."+strconv.FormatUint(v, 10), "Authorization", "Bearer "+p.tokenA)
	bare := f.stream(base+"/events", "Last-Event-ID", strconv.FormatUint(v, 10), "Authorization", "Bearer "+p.tokenA)
	for name, s := range map[string]*sseReader{"behind": behind, "other epoch": otherEpoch, "bare version": bare} {
		ev := s.next(t)
		if ev.Event != "snapshot" || ev.ID != p.id(v) {
			t.Fatalf("resume %s: %+v, want snapshot %s", name, ev, p.id(v))
		}
	}
	f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 2})
	for name, s := range map[string]*sseReader{"current": cur, "behind": behind, "other epoch": otherEpoch} {
		ev := s.next(t)
		if ev.Event != "choice" || ev.ID != p.id(v+1) {
			t.Fatalf("%s: got %+v, want choice %s", name, ev, p.id(v+1))
		}
	}
}

// TestStreamWithR3labsClient consumes the stream with the client library
// our Go client builds on, with the token in the query as EventSource does.
func TestStreamWithR3labsClient(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	c := sse.NewClient(f.url + base + "/events")
	c.Headers["Authorization"] = "Bearer " + p.tokenA
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan *sse.Event, 64)
	go func() { _ = c.SubscribeChanRawWithContext(ctx, events) }()
	defer c.Unsubscribe(events)
	want := []string{"snapshot " + p.id(4)} // Ana's presence is version 4
	for i := 1; i <= 5; i++ {
		want = append(want, "choice "+p.id(uint64(4+i)))
	}
	got := []string{}
	timeout := time.After(10 * time.Second)
	for len(got) < len(want) {
		select {
		case ev := <-events:
			if len(ev.Event) == 0 || string(ev.Event) == "heartbeat" {
				continue
			}
			got = append(got, string(ev.Event)+" "+string(ev.ID))
			if len(got) == 1 {
				for i := 1; i <= 5; i++ {
					f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": i})
				}
			}
		case <-timeout:
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestStreamHeartbeatAndDrain(t *testing.T) {
	f := newFixture(t, handlers.Config{Heartbeat: 50 * time.Millisecond})
	p := f.party()
	s := f.stream("/v1/rooms/"+p.room.ID+"/events", "Authorization", "Bearer "+p.tokenA)
	s.next(t) // snapshot
	for {
		ev, ok := s.raw(t)
		if !ok {
			t.Fatal("stream ended")
		}
		if ev.Event == "heartbeat" {
			if ev.ID != "" || ev.Data != "{}" {
				t.Fatalf("heartbeat %+v: want no id and data {}", ev)
			}
			break
		}
	}
	f.srv.Drain()
	var sawRetry bool
	for {
		ev, ok := s.raw(t)
		if !ok {
			break
		}
		if ev.Retry != "" {
			sawRetry = true
		}
	}
	if !sawRetry {
		t.Fatal("drained stream ended without a retry hint")
	}
	// New streams are refused while draining.
	r := f.stream("/v1/rooms/"+p.room.ID+"/events", "Authorization", "Bearer "+p.tokenA)
	if r.resp.StatusCode != http.StatusServiceUnavailable || r.resp.Header.Get("Retry-After") == "" {
		t.Fatalf("stream while draining: %d", r.resp.StatusCode)
	}
}

func TestStreamClosedWhenRoomExpires(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	roomID, token := f.expiringRoom()
	s := f.stream("/v1/rooms/"+roomID+"/events", "Authorization", "Bearer "+token)
	s.next(t) // snapshot
	ev := s.next(t)
	if ev.Event != "closed" || !strings.HasSuffix(ev.ID, ".3") || !strings.Contains(ev.Data, `"reason":"expired"`) {
		t.Fatalf("got %+v, want closed", ev)
	}
	if _, ok := s.raw(t); ok {
		t.Fatal("stream still open after closed")
	}
	if n := f.rdb.Exists(context.Background(), "room:{"+roomID+"}", "room:{"+roomID+"}:members", "room:{"+roomID+"}:items").Val(); n != 0 {
		t.Fatalf("%d keys of the expired room remain", n)
	}
}
