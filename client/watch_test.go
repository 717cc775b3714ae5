package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/menusync/menusync/client"
)

// A scripted server: the pure logic of applying events (unknown events,
// gaps, refresh, closed) is easier to pin down against a fixed stream
// than against real timing.
const roomID = "AAAAAAAAAAAAAAAAAAAAAA"

func snapshotJSON(version int, qty int) string { return snapshotIn("E1", version, qty) }

func snapshotIn(epoch string, version int, qty int) string {
	choices := `[]`
	if qty > 0 {
		choices = fmt.Sprintf(`[{"menuId":"a","memberId":"0123456789abcdef","quantity":%d}]`, qty)
	}
	return fmt.Sprintf(`{"room":{"id":%q,"epoch":%q,"menu":[{"id":"a","name":"A","price":2}],"createdAt":"2026-01-01T00:00:00Z","expiresAt":"2026-01-01T06:00:00Z","version":%d},`+
		`"members":[{"id":"0123456789abcdef","name":"Ana"}],"left":[],"choices":%s,"summary":{"items":[],"members":[],"quantity":0},"version":%d,"epoch":%q}`,
		roomID, epoch, version, choices, version, epoch)
}

func TestWatchAppliesScriptedStream(t *testing.T) {
	var gets atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v1/rooms/"+roomID:
			// the first GET is Watch's check; later ones are refetches
			n := gets.Add(1)
			w.Header().Set("Content-Type", "application/json")
			if n == 1 {
				fmt.Fprint(w, snapshotJSON(2, 0))
			} else {
				fmt.Fprint(w, snapshotJSON(6, 5))
			}
		case strings.HasSuffix(r.URL.Path, "/events"):
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, "retry: 1000\n\n")
			fmt.Fprintf(w, "id: E1.2\nevent: snapshot\ndata: %s\n\n", snapshotJSON(2, 0))
			fmt.Fprint(w, "event: heartbeat\ndata: {}\n\n")
			fmt.Fprint(w, "id: E1.3\nevent: choice\ndata: {\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":2,\"version\":3,\"epoch\":\"E1\"}\n\n")
			fmt.Fprint(w, "event: sparkles\ndata: {\"from\":\"a newer server\"}\n\n")
			fmt.Fprint(w, "id: E1.3\nevent: choice\ndata: {\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":2,\"version\":3,\"epoch\":\"E1\"}\n\n")
			// a gap: 4 and 5 never came
			fmt.Fprint(w, "id: E1.6\nevent: choice\ndata: {\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":5,\"version\":6,\"epoch\":\"E1\"}\n\n")
			fmt.Fprint(w, "id: E1.6\nevent: closed\ndata: {\"reason\":\"expired\",\"version\":6,\"epoch\":\"E1\"}\n\n")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := client.New(srv.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events, err := c.WithToken("t").Watch(ctx, roomID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var last client.Event
	for ev := range events {
		got = append(got, fmt.Sprintf("%s:%d:%v", ev.Type, ev.State.Position.Version, ev.Resync))
		last = ev
		if ev.Type == "sparkles" && !strings.Contains(string(ev.Data), "newer server") {
			t.Errorf("unknown event lost its data: %s", ev.Data)
		}
	}
	want := "snapshot:2:false choice:3:false sparkles:3:false snapshot:6:true closed:6:false"
	if strings.Join(got, " ") != want {
		t.Fatalf("events:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if q := last.State.Summary.Quantity; q != 5 {
		t.Fatalf("final summary quantity %d", q)
	}
}

// TestWatchTakesANewEpoch: after Redis came back older, the stream sends
// a delta of a new epoch at a version lower than what the client holds.
// The client must not skip it as old news: it fetches the room and takes
// Redis' state, lower version and all.
func TestWatchTakesANewEpoch(t *testing.T) {
	var gets atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v1/rooms/"+roomID:
			w.Header().Set("Content-Type", "application/json")
			if gets.Add(1) == 1 {
				fmt.Fprint(w, snapshotIn("E1", 9, 5))
			} else {
				fmt.Fprint(w, snapshotIn("E2", 4, 1))
			}
		case strings.HasSuffix(r.URL.Path, "/events"):
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprintf(w, "id: E1.9\nevent: snapshot\ndata: %s\n\n", snapshotIn("E1", 9, 5))
			fmt.Fprint(w, "id: E2.4\nevent: choice\ndata: {\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":1,\"version\":4,\"epoch\":\"E2\"}\n\n")
			fmt.Fprint(w, "id: E2.5\nevent: choice\ndata: {\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":3,\"version\":5,\"epoch\":\"E2\"}\n\n")
			fmt.Fprint(w, "id: E2.5\nevent: closed\ndata: {\"reason\":\"expired\",\"version\":5,\"epoch\":\"E2\"}\n\n")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := client.New(srv.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events, err := c.WithToken("t").Watch(ctx, roomID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var last client.Event
	for ev := range events {
		got = append(got, fmt.Sprintf("%s:%s:%v", ev.Type, ev.State.Position, ev.Resync))
		last = ev
	}
	want := "snapshot:E1.9:false snapshot:E2.4:true choice:E2.5:false closed:E2.5:false"
	if strings.Join(got, " ") != want {
		t.Fatalf("events:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if q := last.State.Choices[0].Quantity; q != 3 {
		t.Fatalf("final quantity %d, want 3 (Redis' state, then the new epoch's change)", q)
	}
}

// TestWatchReconnectsASilentStream: a stream that sends nothing at all,
// not even a heartbeat, for two heartbeats (a frozen replica behind a
// proxy that keeps the connection open) is dropped and opened again, with
// Last-Event-ID.
func TestWatchReconnectsASilentStream(t *testing.T) {
	var streams atomic.Int32
	resumedFrom := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v1/rooms/"+roomID:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Menusync-Heartbeat", "1")
			fmt.Fprint(w, snapshotIn("E1", 2, 0))
		case strings.HasSuffix(r.URL.Path, "/events"):
			w.Header().Set("Content-Type", "text/event-stream")
			if streams.Add(1) == 1 {
				fmt.Fprintf(w, "id: E1.2\nevent: snapshot\ndata: %s\n\n", snapshotIn("E1", 2, 0))
				w.(http.Flusher).Flush()
				<-r.Context().Done() // then silence, connection open
				return
			}
			resumedFrom <- r.Header.Get("Last-Event-ID")
			fmt.Fprint(w, "id: E1.3\nevent: choice\ndata: {\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":4,\"version\":3,\"epoch\":\"E1\"}\n\n")
			fmt.Fprint(w, "id: E1.3\nevent: closed\ndata: {\"reason\":\"expired\",\"version\":3,\"epoch\":\"E1\"}\n\n")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := client.New(srv.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	w := c.WithToken("t")
	events, err := w.Watch(ctx, roomID)
	if err != nil {
		t.Fatal(err)
	}
	var last client.Event
	for ev := range events {
		last = ev
	}
	if last.Type != "closed" || last.State.Choices[0].Quantity != 4 {
		t.Fatalf("the watch did not come back from the silent stream: last %+v", last)
	}
	if id := <-resumedFrom; id != "E1.2" {
		t.Fatalf("reconnected with Last-Event-ID %q, want E1.2", id)
	}
	if w.Silences.Load() != 1 {
		t.Fatalf("silences counted: %d", w.Silences.Load())
	}
}
