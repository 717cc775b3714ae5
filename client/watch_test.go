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

func snapshotJSON(version int, qty int) string {
	choices := `[]`
	if qty > 0 {
		choices = fmt.Sprintf(`[{"menuId":"a","memberId":"0123456789abcdef","quantity":%d}]`, qty)
	}
	return fmt.Sprintf(`{"room":{"id":%q,"menu":[{"id":"a","name":"A","price":2}],"createdAt":"2026-01-01T00:00:00Z","expiresAt":"2026-01-01T06:00:00Z","version":%d},`+
		`"members":[{"id":"0123456789abcdef","name":"Ana"}],"choices":%s,"summary":{"items":[],"members":[],"quantity":0},"version":%d}`,
		roomID, version, choices, version)
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
			fmt.Fprintf(w, "id: 2\nevent: snapshot\ndata: %s\n\n", snapshotJSON(2, 0))
			fmt.Fprint(w, ": heartbeat\n\n")
			fmt.Fprint(w, "id: 3\nevent: choice\ndata: {\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":2,\"version\":3}\n\n")
			fmt.Fprint(w, "event: sparkles\ndata: {\"from\":\"a newer server\"}\n\n")
			fmt.Fprint(w, "id: 3\nevent: choice\ndata: {\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":2,\"version\":3}\n\n")
			// a gap: 4 and 5 never came
			fmt.Fprint(w, "id: 6\nevent: choice\ndata: {\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":5,\"version\":6}\n\n")
			fmt.Fprint(w, "id: 6\nevent: closed\ndata: {\"reason\":\"expired\",\"version\":6}\n\n")
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
		got = append(got, fmt.Sprintf("%s:%d:%v", ev.Type, ev.State.Version, ev.Resync))
		last = ev
		if ev.Type == "sparkles" && !strings.Contains(string(ev.Data), "newer server") {
			t.Errorf("unknown event lost its data: %s", ev.Data)
		}
	}
	want := "snapshot:2:false choice:3:false sparkles:3:false snapshot:6:true closed:6:false"
	if strings.Join(got, " ") != want {
		t.Fatalf("events:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if q := last.State.Summary().Quantity; q != 5 {
		t.Fatalf("final summary quantity %d", q)
	}
}
