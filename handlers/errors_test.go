package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/menusync/menusync/handlers"
)

// fingerprint is every key and hash field in Redis, to prove that a
// rejected request changed nothing.
func (f *fixture) fingerprint() string {
	ctx := context.Background()
	keys := f.rdb.Keys(ctx, "*").Val()
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		m := f.rdb.HGetAll(ctx, k).Val()
		fields := make([]string, 0, len(m))
		for fk, v := range m {
			fields = append(fields, fk+"="+v)
		}
		slices.Sort(fields)
		fmt.Fprintf(&b, "%s %v\n", k, fields)
	}
	return b.String()
}

func TestBadInputIsRejectedAndChangesNothing(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	other := f.party()
	base := "/v1/rooms/" + p.room.ID
	unknownRoom := "/v1/rooms/AAAAAAAAAAAAAAAAAAAAAA"
	long := strings.Repeat("가", 65)
	bigMenu := make([]map[string]string, 501)
	for i := range bigMenu {
		bigMenu[i] = map[string]string{"name": "x"}
	}
	huge := `{"menuId":"` + strings.Repeat("x", 70<<10) + `","quantity":1}`
	hugeMenu := `{"menu":[{"name":"` + strings.Repeat("x", handlers.MaxMenuBody) + `"}]}`
	expiredTok := func() string {
		tk, _ := handlers.NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, func() time.Time { return time.Now().Add(-2 * time.Hour) })
		s, _, _ := tk.Issue(p.room.ID, p.a.ID)
		return s
	}()
	otherKeyTok := func() string {
		tk, _ := handlers.NewTokens([]byte(strings.Repeat("z", 32)), time.Hour, nil)
		s, _, _ := tk.Issue(p.room.ID, p.a.ID)
		return s
	}()
	noneTok := func() string {
		s, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"rid": p.room.ID, "sub": p.a.ID, "exp": time.Now().Add(time.Hour).Unix()}).
			SignedString(jwt.UnsafeAllowNoneSignatureType)
		return s
	}()

	cases := []struct {
		name, method, path, token string
		body                      any
		hdr                       []string
		status                    int
		code                      string
	}{
		{"malformed JSON", "POST", base + "/choices", p.tokenA, `{"menuId":`, nil, 400, "malformed_json"},
		{"not JSON", "POST", base + "/choices", p.tokenA, `menuId=x`, nil, 400, "malformed_json"},
		{"unknown field", "POST", base + "/choices", p.tokenA, `{"menuId":"tea","quantity":1,"memberId":"x"}`, nil, 400, "malformed_json"},
		{"wrong type", "POST", base + "/choices", p.tokenA, `{"menuId":"tea","quantity":"1"}`, nil, 400, "malformed_json"},
		{"array body", "POST", base + "/choices", p.tokenA, `[1]`, nil, 400, "malformed_json"},
		{"empty body", "POST", base + "/choices", p.tokenA, ``, nil, 400, "malformed_json"},
		{"trailing data", "POST", base + "/choices", p.tokenA, `{"menuId":"tea","quantity":1} {}`, nil, 400, "malformed_json"},
		{"missing token", "POST", base + "/choices", "", `{"menuId":"tea","quantity":1}`, nil, 401, "unauthorized"},
		{"garbage token", "POST", base + "/choices", "abc.def.ghi", `{"menuId":"tea","quantity":1}`, nil, 401, "unauthorized"},
		{"tampered token", "POST", base + "/choices", p.tokenA[:len(p.tokenA)-2] + "xx", `{"menuId":"tea","quantity":1}`, nil, 401, "unauthorized"},
		{"expired token", "POST", base + "/choices", expiredTok, `{"menuId":"tea","quantity":1}`, nil, 401, "unauthorized"},
		{"token of another key", "POST", base + "/choices", otherKeyTok, `{"menuId":"tea","quantity":1}`, nil, 401, "unauthorized"},
		{"alg none", "POST", base + "/choices", noneTok, `{"menuId":"tea","quantity":1}`, nil, 401, "unauthorized"},
		{"basic auth", "GET", base, "", nil, []string{"Authorization", "Basic YTpi"}, 401, "unauthorized"},
		{"other room's token", "POST", base + "/choices", other.tokenA, `{"menuId":"tea","quantity":1}`, nil, 403, "forbidden"},
		{"other room's token, GET", "GET", base, other.tokenA, nil, nil, 403, "forbidden"},
		{"unknown room", "POST", unknownRoom + "/members", "", `{"name":"x"}`, nil, 404, "room_not_found"},
		{"malformed room id", "POST", "/v1/rooms/nope/members", "", `{"name":"x"}`, nil, 404, "room_not_found"},
		{"unknown path", "GET", "/v2/rooms", "", nil, nil, 404, "not_found"},
		{"unknown menu id", "POST", base + "/choices", p.tokenA, `{"menuId":"pizza","quantity":1}`, nil, 422, "unknown_menu_item"},
		{"menu id with separator", "POST", base + "/choices", p.tokenA, `{"menuId":"tea|x","quantity":1}`, nil, 422, "unknown_menu_item"},
		{"quantity -1", "POST", base + "/choices", p.tokenA, `{"menuId":"tea","quantity":-1}`, nil, 422, "invalid_value"},
		{"quantity 100", "POST", base + "/choices", p.tokenA, `{"menuId":"tea","quantity":100}`, nil, 422, "invalid_value"},
		{"quantity missing", "POST", base + "/choices", p.tokenA, `{"menuId":"tea"}`, nil, 422, "invalid_value"},
		{"menuId missing", "POST", base + "/choices", p.tokenA, `{"quantity":1}`, nil, 422, "invalid_value"},
		{"name over 64", "POST", base + "/members", "", map[string]string{"name": long}, nil, 422, "invalid_value"},
		{"name missing", "POST", base + "/members", "", `{}`, nil, 422, "invalid_value"},
		{"name blank", "POST", base + "/members", "", `{"name":"   "}`, nil, 422, "invalid_value"},
		{"name with newline", "POST", base + "/members", "", `{"name":"a\ndata: x"}`, nil, 422, "invalid_value"},
		{"menu over 500", "POST", "/v1/rooms", "", map[string]any{"menu": bigMenu}, nil, 422, "invalid_value"},
		{"menu missing", "POST", "/v1/rooms", "", `{}`, nil, 422, "invalid_value"},
		{"menu empty", "POST", "/v1/rooms", "", `{"menu":[]}`, nil, 422, "invalid_value"},
		{"ttl 0", "POST", "/v1/rooms", "", `{"menu":[{"name":"x"}],"ttlSeconds":0}`, nil, 422, "invalid_value"},
		{"ttl huge", "POST", "/v1/rooms", "", `{"menu":[{"name":"x"}],"ttlSeconds":99999999999999}`, nil, 422, "invalid_value"},
		{"body over 64 KiB", "POST", base + "/choices", p.tokenA, huge, nil, 413, "body_too_large"},
		{"menu over 1 MiB", "POST", "/v1/rooms", "", hugeMenu, nil, 413, "body_too_large"},
		{"non-numeric Last-Event-ID", "GET", base + "/events", p.tokenA, nil, []string{"Last-Event-ID", "abc"}, 400, "bad_last_event_id"},
		{"negative lastEventId", "GET", base + "/events?lastEventId=-1", p.tokenA, nil, nil, 400, "bad_last_event_id"},
		{"events without token", "GET", base + "/events", "", nil, nil, 401, "unauthorized"},
		{"events of unknown room", "GET", unknownRoom + "/events", "", nil, nil, 401, "unauthorized"},
		{"wrong method", "DELETE", base, p.tokenA, nil, nil, 405, "method_not_allowed"},
	}
	before := f.fingerprint()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(tc.method, tc.path, tc.token, tc.body, tc.hdr...)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q", ct)
			}
			var pr handlers.Problem
			if err := json.Unmarshal(r.body, &pr); err != nil {
				t.Fatalf("problem body: %v: %s", err, r.body)
			}
			if pr.Status != tc.status || pr.Code != tc.code || pr.Detail == "" || pr.Title == "" {
				t.Fatalf("problem: %+v, want code %s", pr, tc.code)
			}
			if tc.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
		})
	}
	if after := f.fingerprint(); after != before {
		t.Fatalf("rejected requests changed Redis:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestMemberCanOnlySetOwnChoices: the member comes from the token, so a
// body cannot name another member (unknown field), and B's choice stays B's.
func TestMemberCanOnlySetOwnChoices(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	p := f.party()
	r := f.do("POST", "/v1/rooms/"+p.room.ID+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 1, "memberId": p.b.ID})
	if r.status != 400 {
		t.Fatalf("memberId in body: %d", r.status)
	}
	r = f.do("POST", "/v1/rooms/"+p.room.ID+"/choices", p.tokenA, map[string]any{"menuId": "tea", "quantity": 1})
	if !strings.Contains(string(r.body), p.a.ID) {
		t.Fatalf("choice not A's: %s", r.body)
	}
}

func TestUnknownRoomWithValidTokenShape(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	tok, _, _ := f.tokens.Issue("AAAAAAAAAAAAAAAAAAAAAA", "0123456789abcdef")
	for _, path := range []string{"", "/events"} {
		r := f.do("GET", "/v1/rooms/AAAAAAAAAAAAAAAAAAAAAA"+path, tok, nil)
		if r.status != http.StatusNotFound || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%q: %d %s", path, r.status, r.body)
		}
	}
	r := f.do("POST", "/v1/rooms/AAAAAAAAAAAAAAAAAAAAAA/choices", tok, `{"menuId":"x","quantity":1}`)
	if r.status != http.StatusNotFound {
		t.Errorf("choose in unknown room: %d", r.status)
	}
}
