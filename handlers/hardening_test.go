package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/app"
	"github.com/menusync/menusync/internal/testproc"
)

// TestChangesMustBeJSONFromThisSite: a page on another site (or another
// port of this host) cannot make a visitor's browser change their
// choices: a form can only send form types or text/plain, and browsers
// say where a request comes from.
func TestChangesMustBeJSONFromThisSite(t *testing.T) {
	f := newFixture(t, handlers.Config{CORSOrigins: []string{"https://partner.example"}})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	before := f.fingerprint()
	post := func(ct string, hdr ...string) *http.Response {
		req, _ := http.NewRequest("POST", f.url+base+"/choices", strings.NewReader(`{"menuId":"tea","quantity":5}`))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		req.Header.Set("Cookie", "menusync_"+p.room.ID+"="+p.tokenA) // what a browser sends along
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Header.Set("X-Body", string(b))
		return resp
	}
	for _, tc := range []struct {
		name   string
		ct     string
		hdr    []string
		status int
		code   string
	}{
		{"text/plain form", "text/plain", nil, 415, "unsupported_media_type"},
		{"urlencoded form", "application/x-www-form-urlencoded", nil, 415, "unsupported_media_type"},
		{"no content type", "", nil, 415, "unsupported_media_type"},
		{"another port of this host", "application/json", []string{"Sec-Fetch-Site", "same-site", "Origin", "http://127.0.0.1:1"}, 403, "cross_site"},
		{"another site", "application/json", []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, 403, "cross_site"},
		{"Origin of another site, no Sec-Fetch-Site", "application/json", []string{"Origin", "https://evil.example"}, 403, "cross_site"},
		{"sandboxed page", "application/json", []string{"Origin", "null"}, 403, "cross_site"},
	} {
		resp := post(tc.ct, tc.hdr...)
		if resp.StatusCode != tc.status || !strings.Contains(resp.Header.Get("X-Body"), `"code":"`+tc.code+`"`) {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, resp.Header.Get("X-Body"))
		}
	}
	if f.fingerprint() != before {
		t.Fatal("a refused change changed Redis")
	}
	u, _ := url.Parse(f.url)
	for name, hdr := range map[string][]string{
		"this site's page":  {"Sec-Fetch-Site", "same-origin", "Origin", "http://" + u.Host},
		"a CORS partner":    {"Sec-Fetch-Site", "cross-site", "Origin", "https://partner.example"},
		"curl, no browser":  nil,
		"typed in the page": {"Sec-Fetch-Site", "none"},
	} {
		if resp := post("application/json; charset=utf-8", hdr...); resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", name, resp.StatusCode, resp.Header.Get("X-Body"))
		}
	}
}

// TestTokenOnlyInHeaderOrCookie: a token in the URL is refused (URLs end
// up in proxies' logs); startSession turns a bearer token into the
// cookie a browser's EventSource sends.
func TestTokenOnlyInHeaderOrCookie(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	if s := f.stream(base + "/events?token=" + p.tokenA); s.resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("stream with ?token=: %d", s.resp.StatusCode)
	}
	r := f.do("POST", base+"/session", p.tokenA, nil)
	cookie := r.header.Get("Set-Cookie")
	if r.status != http.StatusNoContent || !strings.Contains(cookie, "menusync_"+p.room.ID+"="+p.tokenA) || !strings.Contains(cookie, "HttpOnly") {
		t.Fatalf("session: %d %q", r.status, cookie)
	}
	s := f.stream(base+"/events", "Cookie", "menusync_"+p.room.ID+"="+p.tokenA)
	if ev := s.next(t); ev.Event != "snapshot" {
		t.Fatalf("stream with the cookie: %+v", ev)
	}
}

// TestLongPollFloodIsBounded: one member's token on 16 connections
// polling as fast as they can: the reads are rate limited, and the room's
// presence set holds one entry for the member however many polls ran.
func TestLongPollFloodIsBounded(t *testing.T) {
	f := newFixture(t, handlers.Config{Limits: handlers.Limits{ReadMemberRate: 5, ReadMemberBurst: 10, ReadIPRate: 50, ReadIPBurst: 100}})
	p := f.party()
	url := f.url + "/v1/rooms/" + p.room.ID + "/changes?wait=0"
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 20 {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+p.tokenA)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if statuses[429] < 250 || statuses[200] > 40 {
		t.Fatalf("320 polls in a burst answered %v; want most refused", statuses)
	}
	if n := f.rdb.ZCard(context.Background(), "room:{"+p.room.ID+"}:conns").Val(); n != 1 {
		t.Fatalf("%d presence entries after %d polls by one member, want 1", n, statuses[200])
	}
	// Another member's reads are their own.
	if r := f.do("GET", "/v1/rooms/"+p.room.ID, p.tokenB, nil); r.status != 200 {
		t.Fatalf("Bo was limited by Ana's flood: %d", r.status)
	}
}

// TestStreamsPerMember: one member cannot fill a room's stream cap.
func TestStreamsPerMember(t *testing.T) {
	f := newFixture(t, handlers.Config{Limits: handlers.Limits{StreamsPerMember: 2, StreamsPerRoom: 256}})
	p := f.party()
	path := "/v1/rooms/" + p.room.ID + "/events"
	for range 2 {
		f.stream(path, "Authorization", "Bearer "+p.tokenA).next(t)
	}
	third := f.stream(path, "Authorization", "Bearer "+p.tokenA)
	if third.resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a member's third stream: %d", third.resp.StatusCode)
	}
	if r := f.do("GET", "/v1/rooms/"+p.room.ID+"/changes?wait=0", p.tokenA, nil); r.status != http.StatusTooManyRequests {
		t.Fatalf("a member's long-poll past the cap: %d", r.status)
	}
	f.stream(path, "Authorization", "Bearer "+p.tokenB).next(t) // the others are not locked out
}

// TestQRCode: the share link comes from the configured public URL, never
// from a client's Host; the QR code is for members of rooms that exist,
// drawn once, and counted against the read limits.
func TestQRCode(t *testing.T) {
	public, _ := handlers.ParsePublicURL("https://menu.example")
	f := newFixture(t, handlers.Config{PublicURL: public, Limits: handlers.Limits{ReadMemberRate: 0.01, ReadMemberBurst: 3}})
	p := f.party()
	path := "/v1/rooms/" + p.room.ID + "/qr.svg"
	if r := f.do("GET", path, "", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("QR without a token: %d", r.status)
	}
	huge := f.do("GET", path, p.tokenA, nil, "Host", strings.Repeat("h", 2300)+".example")
	again := f.do("GET", path, p.tokenA, nil)
	if huge.status != 200 || string(huge.body) != string(again.body) || len(huge.body) > 20_000 {
		t.Fatalf("QR with a huge Host: %d, %d bytes; want the public URL's code", huge.status, len(huge.body))
	}
	f.do("GET", path, p.tokenA, nil)
	wantLimited(t, f.do("GET", path, p.tokenA, nil), "the 4th QR in a burst")

	g := newFixture(t, handlers.Config{})
	q := g.party()
	if r := g.do("GET", "/v1/rooms/"+q.room.ID+"/qr.svg", q.tokenA, nil, "Host", strings.Repeat("h", 2300)+".example"); r.status != http.StatusBadRequest {
		t.Fatalf("QR with an insane Host and no public URL: %d %s", r.status, r.body)
	}
	g.rdb.Del(context.Background(), "room:{"+q.room.ID+"}")
	if r := g.do("GET", "/v1/rooms/"+q.room.ID+"/qr.svg", q.tokenA, nil); r.status != http.StatusNotFound {
		t.Fatalf("QR of a room that is gone: %d", r.status)
	}
	var c struct {
		PublicURL        string `json:"publicUrl"`
		HeartbeatSeconds int    `json:"heartbeatSeconds"`
	}
	f.do("GET", "/v1/config", "", nil).json(t, &c)
	if c.PublicURL != "https://menu.example" || c.HeartbeatSeconds != 15 {
		t.Fatalf("config: %+v", c)
	}
}

// TestNamesAreCleanAndDistinct: names are stored in NFC, invisible
// formatting characters are refused, and a second "Ana" at the table
// becomes "Ana 2".
func TestNamesAreCleanAndDistinct(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	join := func(name string) (response, menusync.Member) {
		var j struct {
			Member menusync.Member `json:"member"`
		}
		r := f.do("POST", "/v1/rooms/"+p.room.ID+"/members", "", map[string]string{"name": name}, "Idempotency-Key", fmt.Sprint(time.Now().UnixNano()))
		if r.status == 201 {
			r.json(t, &j)
		}
		return r, j.Member
	}
	if _, m := join("ana"); m.Name != "ana 2" {
		t.Fatalf("a second Ana (typed ana) is %q", m.Name)
	}
	if _, m := join("  Ana  "); m.Name != "Ana 3" {
		t.Fatalf("a third Ana is %q", m.Name)
	}
	if _, m := join("Zoe\u0301"); m.Name != "Zoé" { // e + combining acute -> é
		t.Fatalf("NFC: %q", m.Name)
	}
	for _, bad := range []string{"Ana\u202e", "A\u200bna", "\u2066Bo\u2069", "B\u2028o"} {
		if r, _ := join(bad); r.status != 422 {
			t.Errorf("%q: %d %s", bad, r.status, r.body)
		}
	}
	if _, m := join("مینا\u200cجان"); m.Name == "" {
		t.Error("a zero-width non-joiner inside a Persian name was refused")
	}
	long := strings.Repeat("가", 63)
	join(long)
	if r, _ := join(long); r.status != http.StatusConflict || !strings.Contains(string(r.body), "name_taken") {
		t.Fatalf("a taken name with no room for a number: %d %s", r.status, r.body)
	}
	var room menusync.Room
	f.do("POST", "/v1/rooms", "", map[string]any{"menu": []map[string]string{{"name": "Pho", "description": "rice noodles\r\nbeef"}}}).json(t, &room)
	if room.Menu[0].Description != "rice noodles\nbeef" {
		t.Fatalf("description kept CRLF: %q", room.Menu[0].Description)
	}
}

// TestHEADOnGetRoutes: every GET answers HEAD, the stream without
// starting one.
func TestHEADOnGetRoutes(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	for _, path := range []string{"/", "/healthz", "/v1/config", "/openapi.yaml", "/v1/rooms/" + p.room.ID, "/v1/rooms/" + p.room.ID + "/events", "/v1/rooms/" + p.room.ID + "/changes"} {
		req, _ := http.NewRequest("HEAD", f.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+p.tokenA)
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || time.Since(start) > 5*time.Second {
			t.Errorf("HEAD %s: %d after %v", path, resp.StatusCode, time.Since(start))
		}
	}
	if f.srv.OpenStreams() != 0 {
		t.Fatal("HEAD opened a stream")
	}
}

// TestChattyStreamClientIsDropped: a client that sends bytes up its
// stream is let go once it has sent more than a little.
func TestChattyStreamClientIsDropped(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	conn, err := net.Dial("tcp", strings.TrimPrefix(f.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /v1/rooms/%s/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", p.room.ID, p.tokenA)
	testproc.WaitFor(t, 5*time.Second, "the stream is open", func() bool { return f.srv.OpenStreams() == 1 })
	go func() { _, _ = io.Copy(io.Discard, conn) }()
	junk := []byte(strings.Repeat("x", 256))
	for i := 0; i < 64 && f.srv.OpenStreams() == 1; i++ {
		if _, err := conn.Write(junk); err != nil {
			break
		}
	}
	testproc.WaitFor(t, 5*time.Second, "the chatty stream is dropped", func() bool { return f.srv.OpenStreams() == 0 })
}

// TestRoomBudgetAndFullStore: past the room budget, and when Redis is at
// its memory limit, creating a room gets a clear 503 problem.
func TestRoomBudgetAndFullStore(t *testing.T) {
	rd := testproc.StartRedisArgs(t, "--appendonly", "no", "--maxmemory", "4mb", "--maxmemory-policy", "noeviction")
	f := newFixtureOn(t, rd, handlers.Config{}, func(c *app.Config) { c.MaxRooms = 2 })
	for range 2 {
		if r := f.do("POST", "/v1/rooms", "", `{"menu":[{"name":"x"}]}`); r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
	}
	r := f.do("POST", "/v1/rooms", "", `{"menu":[{"name":"x"}]}`)
	if r.status != 503 || !strings.Contains(string(r.body), `"code":"rooms_full"`) || r.header.Get("Retry-After") == "" {
		t.Fatalf("past the budget: %d %s", r.status, r.body)
	}
	// Fill Redis to its limit: until even a small write is refused.
	ctx := context.Background()
	blob := strings.Repeat("x", 512)
	for i := 0; i < 100_000; i++ {
		if err := f.rdb.Set(ctx, fmt.Sprint("filler:", i), blob, 0).Err(); err != nil {
			break
		}
	}
	g := newFixtureOn(t, rd, handlers.Config{}, func(c *app.Config) { c.MaxRooms = 0 })
	r = g.do("POST", "/v1/rooms", "", `{"menu":[{"name":"x"}]}`)
	var pr handlers.Problem
	_ = json.Unmarshal(r.body, &pr)
	if r.status != 503 || pr.Code != "store_full" || strings.Contains(pr.Detail, "OOM") {
		t.Fatalf("Redis full: %d %s", r.status, r.body)
	}
}
