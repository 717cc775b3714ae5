package handlers_test

import (
	"bufio"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/handlers"
)

func wantLimited(t *testing.T, r response, what string) {
	t.Helper()
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("%s: status %d, want 429: %s", what, r.status, r.body)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 {
		t.Fatalf("%s: Retry-After %q", what, r.header.Get("Retry-After"))
	}
	if !strings.Contains(string(r.body), `"code":"rate_limited"`) {
		t.Fatalf("%s: problem %s", what, r.body)
	}
}

func TestMemberRateLimit(t *testing.T) {
	f := newFixture(t, handlers.Config{Limits: handlers.Limits{MemberRate: 0.01, MemberBurst: 3}})
	p := f.party()
	base := "/v1/rooms/" + p.room.ID
	for q := 1; q <= 3; q++ {
		if r := f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": q}); r.status != 200 {
			t.Fatalf("within the burst: %d", r.status)
		}
	}
	before := f.fingerprint()
	wantLimited(t, f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 9}), "4th choice")
	wantLimited(t, f.do("POST", base+"/refresh", p.tokenA, nil), "refresh")
	if f.fingerprint() != before {
		t.Fatal("a limited request changed Redis")
	}
	if r := f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 1}); r.status != 200 {
		t.Fatalf("another member was limited too: %d", r.status)
	}
}

func TestIPRateLimitAndForwardedFor(t *testing.T) {
	f := newFixture(t, handlers.Config{Limits: handlers.Limits{IPRate: 0.01, IPBurst: 2, TrustedProxies: handlers.PrivateNetworks()}})
	p := f.party() // the party's joins spend this address's burst
	join := func(xff string) response {
		return f.do("POST", "/v1/rooms/"+p.room.ID+"/members", "", map[string]string{"name": "x"}, "X-Forwarded-For", xff)
	}
	wantLimited(t, f.do("POST", "/v1/rooms/"+p.room.ID+"/members", "", map[string]string{"name": "x"}), "join from a spent address")
	// Behind a trusted proxy, each forwarded client has its own bucket...
	for _, ip := range []string{"203.0.113.7", "203.0.113.8"} {
		if r := join(ip); r.status != 201 {
			t.Fatalf("first join from %s: %d", ip, r.status)
		}
	}
	// ...and a spoofed hop to the left of the real client changes nothing.
	join("203.0.113.9")
	join("203.0.113.9")
	wantLimited(t, join("198.51.100.1, 203.0.113.9"), "spoofed X-Forwarded-For")
}

func TestUntrustedPeerForwardedForIgnored(t *testing.T) {
	f := newFixture(t, handlers.Config{Limits: handlers.Limits{IPRate: 0.01, IPBurst: 1, TrustedProxies: []netip.Prefix{}}})
	r := f.do("POST", "/v1/rooms", "", `{"menu":[{"name":"x"}]}`, "X-Forwarded-For", "203.0.113.1")
	if r.status != 201 {
		t.Fatalf("first create: %d", r.status)
	}
	wantLimited(t, f.do("POST", "/v1/rooms", "", `{"menu":[{"name":"x"}]}`, "X-Forwarded-For", "203.0.113.2"), "X-Forwarded-For from an untrusted peer")
}

func TestRoomsPerIPMinute(t *testing.T) {
	f := newFixture(t, handlers.Config{Limits: handlers.Limits{RoomsPerIPMinute: 2}})
	for range 2 {
		if r := f.do("POST", "/v1/rooms", "", `{"menu":[{"name":"x"}]}`); r.status != 201 {
			t.Fatalf("create: %d", r.status)
		}
	}
	r := f.do("POST", "/v1/rooms", "", `{"menu":[{"name":"x"}]}`)
	wantLimited(t, r, "third room in a minute")
	if s, _ := strconv.Atoi(r.header.Get("Retry-After")); s > 60 {
		t.Fatalf("Retry-After %d beyond the window", s)
	}
}

func TestStreamCapsPerIPAndRoom(t *testing.T) {
	f := newFixture(t, handlers.Config{Limits: handlers.Limits{StreamsPerIP: 2, StreamsPerRoom: 0}})
	p := f.party()
	path, auth := "/v1/rooms/"+p.room.ID+"/events", "Bearer "+p.tokenA
	f.stream(path, "Authorization", auth).next(t)
	f.stream(path, "Authorization", "Bearer "+p.tokenB).next(t)
	third := f.stream(path, "Authorization", auth)
	if third.resp.StatusCode != http.StatusTooManyRequests || third.resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third stream from one address: %d", third.resp.StatusCode)
	}

	g := newFixture(t, handlers.Config{Limits: handlers.Limits{StreamsPerRoom: 1}})
	a, b := g.party(), g.party()
	g.stream("/v1/rooms/"+a.room.ID+"/events", "Authorization", "Bearer "+a.tokenA).next(t)
	if s := g.stream("/v1/rooms/"+a.room.ID+"/events", "Authorization", "Bearer "+a.tokenB); s.resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second stream in a room capped at 1: %d", s.resp.StatusCode)
	}
	g.stream("/v1/rooms/"+b.room.ID+"/events", "Authorization", "Bearer "+b.tokenA).next(t) // another room is fine
}

func TestCORS(t *testing.T) {
	off := newFixture(t, handlers.Config{})
	if r := off.do("GET", "/healthz", "", nil, "Origin", "https://evil.example"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS answered while off")
	}
	f := newFixture(t, handlers.Config{CORSOrigins: []string{"https://menu.example"}})
	r := f.do("GET", "/healthz", "", nil, "Origin", "https://menu.example")
	if r.header.Get("Access-Control-Allow-Origin") != "https://menu.example" || r.header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("allowed origin: %v", r.header)
	}
	if r := f.do("GET", "/healthz", "", nil, "Origin", "https://evil.example"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("unlisted origin allowed")
	}
	req, _ := http.NewRequest("OPTIONS", f.url+"/v1/rooms", nil)
	req.Header.Set("Origin", "https://menu.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	star := newFixture(t, handlers.Config{CORSOrigins: []string{"*"}})
	r = star.do("GET", "/healthz", "", nil, "Origin", "https://any.example")
	if r.header.Get("Access-Control-Allow-Origin") != "*" || r.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("wildcard: %v", r.header)
	}
}

// TestSlowBody: a client that sends headers and then trickles nothing of
// its body gets 408 after the body timeout, and the room is untouched.
func TestSlowBody(t *testing.T) {
	f := newFixture(t, handlers.Config{BodyTimeout: 300 * time.Millisecond})
	p := f.party()
	before := f.fingerprint()
	conn, err := net.Dial("tcp", strings.TrimPrefix(f.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = conn.Write([]byte("POST /v1/rooms/" + p.room.ID + "/choices HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + p.tokenA +
		"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"menuId\":"))
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("slow body: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if f.fingerprint() != before {
		t.Fatal("a timed-out request changed Redis")
	}
}
