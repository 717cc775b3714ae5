package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
)

func TestRESTScenario(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	if len(p.room.ID) != 22 || p.room.Version != 1 || len(p.room.Menu) != 3 {
		t.Fatalf("room: %+v", p.room)
	}
	base := "/v1/rooms/" + p.room.ID

	r := f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "bibimbap", "quantity": 2})
	if r.status != http.StatusOK {
		t.Fatalf("choose: %d %s", r.status, r.body)
	}
	var ch struct {
		Version uint64          `json:"version"`
		Choice  menusync.Choice `json:"choice"`
	}
	r.json(t, &ch)
	if ch.Version != 4 || ch.Choice.MemberID != p.b.ID || ch.Choice.Quantity != 2 {
		t.Fatalf("choice response: %+v", ch)
	}
	// Retrying the same request is harmless: same answer, no new version.
	f.do("POST", base+"/choices", p.tokenB, map[string]any{"menuId": "bibimbap", "quantity": 2}).json(t, &ch)
	if ch.Version != 4 {
		t.Fatalf("retry bumped the version to %d", ch.Version)
	}
	f.do("POST", base+"/choices", p.tokenA, map[string]any{"menuId": "tomyum", "quantity": 1})

	r = f.do("POST", base+"/refresh", p.tokenA, nil)
	if r.status != http.StatusAccepted || !strings.Contains(string(r.body), `"version":6`) {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}

	var snap menusync.Snapshot
	r = f.do("GET", base, p.tokenA, nil)
	if r.status != http.StatusOK {
		t.Fatalf("get: %d %s", r.status, r.body)
	}
	r.json(t, &snap)
	if snap.Version != 6 || len(snap.Members) != 2 || len(snap.Choices) != 2 {
		t.Fatalf("snapshot: %s", r.body)
	}
	s := snap.Summary
	// A room without a currency (prices sent as before currencies):
	// hundredths, exactly.
	if s.Quantity != 3 || *s.TotalMinor != 3400 || s.Items[0].MenuID != "bibimbap" || s.Items[0].Quantity != 2 ||
		s.Members[1].Name != "Bo" || *s.Members[1].TotalMinor != 2500 || s.CurrencyDigits != 2 {
		t.Fatalf("summary: %s", r.body)
	}
	if r.header.Get("X-Menusync-Replica") != "test-replica" {
		t.Fatal("missing X-Menusync-Replica")
	}
}

func TestJoinSetsCookieAndTokenWorksEverywhere(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	r := f.do("POST", "/v1/rooms/"+p.room.ID+"/members", "", map[string]string{"name": "Chloé"})
	if r.status != http.StatusCreated {
		t.Fatalf("join: %d %s", r.status, r.body)
	}
	var j struct{ Token string }
	r.json(t, &j)
	cookie := r.header.Get("Set-Cookie")
	for _, want := range []string{"menusync_" + p.room.ID + "=" + j.Token, "HttpOnly", "SameSite=Lax", "Path=/v1/rooms/" + p.room.ID} {
		if !strings.Contains(cookie, want) {
			t.Errorf("cookie %q lacks %q", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Error("Secure cookie over plain HTTP")
	}
	// A token in the URL is not a credential: URLs reach proxies' logs.
	if r := f.do("GET", "/v1/rooms/"+p.room.ID+"?token="+j.Token, "", nil); r.status != 401 {
		t.Errorf("?token= was accepted: %d", r.status)
	}
	if r := f.do("GET", "/v1/rooms/"+p.room.ID, "", nil, "Cookie", "menusync_"+p.room.ID+"="+j.Token); r.status != 200 {
		t.Errorf("cookie: %d", r.status)
	}
	// behind a TLS-terminating proxy the cookie is Secure
	r = f.do("POST", "/v1/rooms/"+p.room.ID+"/members", "", map[string]string{"name": "Dee"}, "X-Forwarded-Proto", "https")
	if !strings.Contains(r.header.Get("Set-Cookie"), "Secure") {
		t.Error("cookie not Secure behind https")
	}
}

func TestAPIKey(t *testing.T) {
	f := newFixture(t, handlers.Config{APIKey: "s3cret-service-key"})
	body := map[string]any{"menu": []map[string]string{{"name": "x"}}}
	for _, tok := range []string{"", "wrong"} {
		r := f.do("POST", "/v1/rooms", tok, body)
		if r.status != http.StatusUnauthorized || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("key %q: %d %s", tok, r.status, r.body)
		}
	}
	if r := f.do("POST", "/v1/rooms", "s3cret-service-key", body); r.status != http.StatusCreated {
		t.Errorf("right key: %d %s", r.status, r.body)
	}
	if r := f.do("GET", "/v1/rooms", "", nil); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/rooms: %d", r.status)
	}
}

func TestHealthAndSpec(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	if r := f.do("GET", "/healthz", "", nil); r.status != 200 {
		t.Fatalf("healthz %d", r.status)
	}
	if r := f.do("GET", "/readyz", "", nil); r.status != 200 {
		t.Fatalf("readyz %d", r.status)
	}
	r := f.do("GET", "/openapi.yaml", "", nil)
	if r.status != 200 || !strings.Contains(string(r.body), "openapi: 3.1") {
		t.Fatalf("openapi: %d %.80s", r.status, r.body)
	}
	f.srv.Drain()
	r = f.do("GET", "/readyz", "", nil)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Fatalf("readyz while draining: %d", r.status)
	}
	var pr handlers.Problem
	if err := json.Unmarshal(r.body, &pr); err != nil || pr.Code != "draining" {
		t.Fatalf("problem: %s", r.body)
	}
}

func TestWebAppAndQR(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	for path, ct := range map[string]string{
		"/":               "text/html; charset=utf-8",
		"/r/" + p.room.ID: "text/html; charset=utf-8",
		"/app.js":         "text/javascript; charset=utf-8",
		"/app.css":        "text/css; charset=utf-8",
	} {
		r := f.do("GET", path, "", nil)
		if r.status != 200 || r.header.Get("Content-Type") != ct || len(r.body) == 0 {
			t.Errorf("%s: %d %q", path, r.status, r.header.Get("Content-Type"))
		}
	}
	page := f.do("GET", "/", "", nil)
	if !strings.Contains(page.header.Get("Content-Security-Policy"), "default-src 'self'") || !strings.Contains(string(page.body), `<meta charset="utf-8">`) {
		t.Errorf("page headers or charset: %v", page.header)
	}
	qr := f.do("GET", "/v1/rooms/"+p.room.ID+"/qr.svg", p.tokenA, nil, "X-Forwarded-Proto", "https")
	if qr.status != 200 || qr.header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(string(qr.body), "<svg") {
		t.Fatalf("qr: %d %s %.60s", qr.status, qr.header.Get("Content-Type"), qr.body)
	}
	if r := f.do("GET", "/v1/rooms/nope/qr.svg", "", nil); r.status != 404 {
		t.Fatalf("qr of a malformed room id: %d", r.status)
	}
}
