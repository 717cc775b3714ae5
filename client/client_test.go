package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client"
	"github.com/menusync/menusync/internal/testproc"
)

func ptr[T any](v T) *T { return &v }

var menu = []menusync.MenuItem{
	{ID: "pho", Name: "Phở bò", PriceMinor: ptr(int64(950))},
	{ID: "banhmi", Name: "Bánh mì", PriceMinor: ptr(int64(600))},
	{Name: "Trà đá"},
}

func status(t *testing.T, err error) int {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) {
		t.Fatalf("want an API error, got %v", err)
	}
	if e.Problem.Code == "" || e.Problem.Detail == nil {
		t.Fatalf("problem without code or detail: %+v", e.Problem)
	}
	return e.Status
}

// TestGeneratedClientScenario drives a live server through the client
// generated from openapi.yaml: the happy path and every documented error.
func TestGeneratedClientScenario(t *testing.T) {
	rep := testproc.StartReplica(t, "gen", "REDIS_URL=", "MENUSYNC_DRAIN_WINDOW=3s")
	ctx := context.Background()
	c, err := client.New(rep.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	room, err := c.CreateRoom(ctx, client.NewRoom{Menu: menu, Currency: "USD", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(room.Menu) != 3 || room.Menu[2].ID != "3" || room.Version != 1 {
		t.Fatalf("room: %+v", room)
	}
	ana, err := c.Join(ctx, room.ID, "Ana")
	if err != nil {
		t.Fatal(err)
	}
	bo, _ := c.Join(ctx, room.ID, "Bo")
	a, b := c.WithToken(ana.Token), c.WithToken(bo.Token)
	ch, err := b.Choose(ctx, room.ID, "pho", 2)
	if err != nil || ch.Version != 4 || ch.Epoch != room.Epoch || bo.Member.Name != "Bo" {
		t.Fatalf("choose: %+v %v", ch, err)
	}
	if v, err := a.Refresh(ctx, room.ID); err != nil || v.Version != 5 {
		t.Fatalf("refresh: %v %v", v, err)
	}
	resp, err := a.API.GetRoomWithResponse(ctx, room.ID)
	if err != nil || resp.JSON200 == nil {
		t.Fatalf("get: %v %s", err, resp.Body)
	}
	snap := resp.JSON200
	if snap.Version != 5 || len(snap.Members) != 2 || snap.Summary.TotalMinor == nil || *snap.Summary.TotalMinor != 1900 || snap.Room.Currency == nil || *snap.Room.Currency != "USD" {
		t.Fatalf("snapshot: %s", resp.Body)
	}

	other, _ := c.CreateRoom(ctx, client.NewRoom{Menu: menu})
	stranger, _ := c.Join(ctx, other.ID, "Stranger")
	cases := []struct {
		name string
		want int
		call func() error
	}{
		{"400 malformed", 400, func() error {
			r, err := a.API.SetChoiceWithBodyWithResponse(ctx, room.ID, nil, "application/json", strings.NewReader(`{"menuId":`))
			return asErr(r.HTTPResponse, r.Body, err)
		}},
		{"401 no token", 401, func() error { _, err := c.Choose(ctx, room.ID, "pho", 1); return err }},
		{"403 other room", 403, func() error { _, err := c.WithToken(stranger.Token).Choose(ctx, room.ID, "pho", 1); return err }},
		{"404 unknown room", 404, func() error { _, err := c.Join(ctx, "AAAAAAAAAAAAAAAAAAAAAA", "x"); return err }},
		{"413 body too large", 413, func() error {
			r, err := a.API.SetChoiceWithBodyWithResponse(ctx, room.ID, nil, "application/json", strings.NewReader(`{"menuId":"`+strings.Repeat("x", 70<<10)+`","quantity":1}`))
			return asErr(r.HTTPResponse, r.Body, err)
		}},
		{"422 quantity", 422, func() error { _, err := a.Choose(ctx, room.ID, "pho", 100); return err }},
		{"422 unknown dish", 422, func() error { _, err := a.Choose(ctx, room.ID, "pizza", 1); return err }},
	}
	for _, tc := range cases {
		if got := status(t, tc.call()); got != tc.want {
			t.Errorf("%s: status %d", tc.name, got)
		}
	}

	// 503: a draining replica refuses readiness and new streams. An open
	// stream keeps it in its drain window long enough to look.
	wctx, wcancel := context.WithCancel(ctx)
	defer wcancel()
	if _, err := a.Watch(wctx, room.ID); err != nil {
		t.Fatal(err)
	}
	testproc.WaitFor(t, 5*time.Second, "the stream is open", func() bool {
		r, err := http.Get(rep.URL() + "/metrics")
		if err != nil {
			return false
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return strings.Contains(string(b), "menusync_streams_open 1")
	})
	rep.Signal(syscall.SIGTERM)
	testproc.WaitFor(t, 5*time.Second, "readyz 503", func() bool {
		r, err := c.API.ReadyzWithResponse(ctx)
		return err == nil && r.StatusCode() == 503 && r.ApplicationproblemJSON503 != nil
	})
	sr, err := a.API.StreamRoomWithResponse(ctx, room.ID, nil)
	if err != nil || sr.StatusCode() != 503 || sr.ApplicationproblemJSON503 == nil || sr.ApplicationproblemJSON503.Code != "draining" {
		t.Fatalf("stream while draining: %v %d %s", err, sr.StatusCode(), sr.Body)
	}
}

func asErr(resp *http.Response, body []byte, err error) error {
	if err != nil {
		return err
	}
	return client.ErrorFrom(resp, body)
}

// forwarder is a TCP proxy whose connections a test can cut, to force a
// disconnect in the middle of a stream.
type forwarder struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func forward(t *testing.T, target string) *forwarder {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &forwarder{ln: ln}
	t.Cleanup(func() { ln.Close(); f.cut() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			f.mu.Lock()
			f.conns = append(f.conns, in, out)
			f.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); out.Close() }()
			go func() { _, _ = io.Copy(in, out); in.Close() }()
		}
	}()
	return f
}

func (f *forwarder) url() string { return "http://" + f.ln.Addr().String() }

func (f *forwarder) cut() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conns {
		c.Close()
	}
	f.conns = nil
}

// TestWatchSurvivesDisconnect cuts the watcher's connection in the middle
// of a stream while choices keep coming: it reconnects with Last-Event-ID
// and its local state ends equal to the server's, with versions applied
// in order and none twice.
func TestWatchSurvivesDisconnect(t *testing.T) {
	rep := testproc.StartReplica(t, "watch", "REDIS_URL=")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	direct, _ := client.New(rep.URL(), nil)
	room, _ := direct.CreateRoom(ctx, client.NewRoom{Menu: menu})
	ana, _ := direct.Join(ctx, room.ID, "Ana")
	bo, _ := direct.Join(ctx, room.ID, "Bo")
	b := direct.WithToken(bo.Token)

	fw := forward(t, rep.Addr)
	viaProxy, _ := client.New(fw.url(), nil)
	events, err := viaProxy.WithToken(ana.Token).Watch(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	var last *client.State
	next := func() client.Event {
		t.Helper()
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("watch ended")
			}
			if last != nil && ev.State.Position.Version < last.Position.Version {
				t.Fatalf("state went back from %v to %v", last.Position, ev.State.Position)
			}
			if ev.Type == "choice" && last != nil && !last.Position.Follows(ev.Position) {
				t.Fatalf("choice %v applied after %v", ev.Position, last.Position)
			}
			last = ev.State
			return ev
		case <-ctx.Done():
			t.Fatal("timed out")
		}
		return client.Event{}
	}
	if ev := next(); ev.Type != "snapshot" || ev.Position.Version != 4 || ev.Position.Epoch != room.Epoch { // 4: Ana's own presence
		t.Fatalf("first event %+v", ev)
	}
	var final uint64
	for i := range 30 {
		r, err := b.Choose(ctx, room.ID, []string{"pho", "banhmi", "3"}[i%3], i%4+1) // every call changes something
		if err != nil {
			t.Fatal(err)
		}
		final = r.Version
		if i == 10 || i == 20 {
			fw.cut() // mid-stream
		}
		if i < 10 {
			next()
		}
	}
	for last.Position.Version < final {
		next()
	}
	want, _ := b.Snapshot(ctx, room.ID)
	if last.Position != want.Pos() || len(last.Choices) != len(want.Choices) {
		t.Fatalf("local state %v %v, server %v %v", last.Position, last.Choices, want.Pos(), want.Choices)
	}
	for i := range want.Choices {
		if last.Choices[i] != want.Choices[i] {
			t.Fatalf("choice %d: local %+v, server %+v", i, last.Choices[i], want.Choices[i])
		}
	}
	if got, w := last.Summary.Quantity, want.Summary.Quantity; got != w {
		t.Fatalf("summary quantity %d, server %d", got, w)
	}
}

func TestWatchRefusesBadToken(t *testing.T) {
	rep := testproc.StartReplica(t, "bad", "REDIS_URL=")
	c, _ := client.New(rep.URL(), nil)
	room, _ := c.CreateRoom(context.Background(), client.NewRoom{Menu: menu})
	_, err := c.WithToken("nope").Watch(context.Background(), room.ID)
	if status(t, err) != 401 {
		t.Fatalf("watch with a bad token: %v", err)
	}
}
