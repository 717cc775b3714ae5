package handlers_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/app"
	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/pubsub"
)

type fixture struct {
	t      *testing.T
	url    string
	srv    *handlers.Server
	rdb    *redis.Client
	tokens *handlers.Tokens
	hub    *pubsub.Hub
}

func newFixture(t *testing.T, cfg handlers.Config) *fixture {
	return newFixtureLog(t, cfg, io.Discard)
}

func newFixtureLog(t *testing.T, cfg handlers.Config, logTo io.Writer) *fixture {
	t.Helper()
	return newFixtureWith(t, testproc.StartRedis(t), cfg, logTo)
}

// newFixtureOn runs the handlers on a Redis of the test's own making;
// more may change the rest of the configuration.
func newFixtureOn(t *testing.T, r *testproc.Redis, cfg handlers.Config, more ...func(*app.Config)) *fixture {
	t.Helper()
	return newFixtureWith(t, r, cfg, io.Discard, more...)
}

// newFixtureWith wires a replica as production does (app.New, from the
// settings' defaults) on a real redis-server, with the HTTP settings the
// test gives: its non-zero fields replace the defaults. Limits are the
// test's own, all of them: zero turns a limit off, so a test meets only
// the limits it sets.
func newFixtureWith(t *testing.T, r *testproc.Redis, cfg handlers.Config, logTo io.Writer, more ...func(*app.Config)) *fixture {
	t.Helper()
	c := app.Defaults()
	c.RedisURL, c.Secret, c.TokenTTL = r.URL(), strings.Repeat("k", 32), time.Hour
	c.ExpiryInterval = 50 * time.Millisecond
	c.HTTP.Replica = "test-replica"
	overlay(&c.HTTP, cfg)
	c.HTTP.Limits = cfg.Limits
	for _, f := range more {
		f(&c)
	}
	log := slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.New(c, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	ts := httptest.NewServer(a.Server.Routes())
	t.Cleanup(ts.Close)
	return &fixture{t: t, url: ts.URL, srv: a.Server, rdb: r.Client(), tokens: a.Tokens, hub: a.Hub}
}

// overlay copies the fields of from that are set onto to.
func overlay(to *handlers.Config, from handlers.Config) {
	dst, src := reflect.ValueOf(to).Elem(), reflect.ValueOf(from)
	for i := range src.NumField() {
		if f := src.Field(i); !f.IsZero() {
			dst.Field(i).Set(f)
		}
	}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request; body may be a string (sent as is) or a value (JSON).
func (f *fixture) do(method, path, token string, body any, hdr ...string) response {
	f.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		raw, _ = json.Marshal(b)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.url+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil || method == "POST" {
		req.Header.Set("Content-Type", "application/json") // every change is JSON
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := checkRequest(f.t, req, raw)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkResponse(f.t, c, resp.StatusCode, resp.Header, b, false)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

type party struct {
	room   menusync.Room
	tokenA string
	tokenB string
	a, b   menusync.Member
}

// id is the event id of version v in the party's room (its epoch never
// changes in these tests).
func (p party) id(v uint64) string { return p.room.Epoch + "." + strconv.FormatUint(v, 10) }

func (f *fixture) party() party {
	f.t.Helper()
	var p party
	r := f.do("POST", "/v1/rooms", "", map[string]any{"menu": []map[string]any{
		{"id": "bibimbap", "name": "비빔밥", "price": 12.5},
		{"id": "tomyum", "name": "ต้มยำกุ้ง", "price": 9},
		{"id": "tea", "name": "شاي"},
	}})
	if r.status != http.StatusCreated {
		f.t.Fatalf("create: %d %s", r.status, r.body)
	}
	r.json(f.t, &p.room)
	var j struct {
		Member menusync.Member `json:"member"`
		Token  string          `json:"token"`
	}
	f.do("POST", "/v1/rooms/"+p.room.ID+"/members", "", map[string]string{"name": "Ana"}).json(f.t, &j)
	p.a, p.tokenA = j.Member, j.Token
	f.do("POST", "/v1/rooms/"+p.room.ID+"/members", "", map[string]string{"name": "Bo"}).json(f.t, &j)
	p.b, p.tokenB = j.Member, j.Token
	return p
}

// expiringRoom opens a room that expires after a second and joins one
// member; it returns the room id and the member's token.
func (f *fixture) expiringRoom() (string, string) {
	f.t.Helper()
	var room menusync.Room
	f.do("POST", "/v1/rooms", "", `{"menu":[{"name":"x"}],"ttlSeconds":1}`).json(f.t, &room)
	var j struct{ Token string }
	f.do("POST", "/v1/rooms/"+room.ID+"/members", "", `{"name":"a"}`).json(f.t, &j)
	return room.ID, j.Token
}

// sseEvent is one parsed block of an event stream.
type sseEvent struct {
	ID, Event, Data, Retry, Comment string
}

// sseReader reads raw event-stream blocks, so tests see exactly what a
// browser would, comments and retry lines included.
type sseReader struct {
	resp   *http.Response
	br     *bufio.Reader
	cancel context.CancelFunc
	events chan sseEvent
	err    chan error
}

func (f *fixture) stream(path string, hdr ...string) *sseReader {
	f.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", f.url+path, nil)
	req.Header.Set("Accept", "text/event-stream")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := checkRequest(f.t, req, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		f.t.Fatal(err)
	}
	var errBody []byte
	if resp.StatusCode != http.StatusOK {
		errBody, _ = io.ReadAll(resp.Body)
	}
	checkResponse(f.t, c, resp.StatusCode, resp.Header, errBody, resp.StatusCode == http.StatusOK)
	s := &sseReader{resp: resp, br: bufio.NewReader(resp.Body), cancel: cancel, events: make(chan sseEvent, 256), err: make(chan error, 1)}
	f.t.Cleanup(s.close)
	if resp.StatusCode == http.StatusOK {
		go s.loop()
	}
	return s
}

func (s *sseReader) close() { s.cancel(); s.resp.Body.Close() }

func (s *sseReader) loop() {
	var ev sseEvent
	for {
		line, err := s.br.ReadString('\n')
		if err != nil {
			s.err <- err
			close(s.events)
			return
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			s.events <- ev
			ev = sseEvent{}
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "":
			ev.Comment = value
		case "id":
			ev.ID = value
		case "event":
			ev.Event = value
		case "data":
			ev.Data += value
		case "retry":
			ev.Retry = value
		default:
			s.events <- sseEvent{Event: "UNKNOWN FIELD " + field}
		}
	}
}

// next returns the next event that is not a heartbeat (or a bare retry).
func (s *sseReader) next(t *testing.T) sseEvent {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatal("stream ended")
			}
			if (ev.Event == "" && ev.Data == "") || ev.Event == "heartbeat" {
				continue
			}
			checkEventData(t, ev.Event, ev.Data)
			return ev
		case <-timeout:
			t.Fatal("timed out waiting for an event")
		}
	}
}

// raw returns the next block of any kind.
func (s *sseReader) raw(t *testing.T) (sseEvent, bool) {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		return ev, ok
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for a block")
	}
	return sseEvent{}, false
}
