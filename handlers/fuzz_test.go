package handlers

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync"
)

// FuzzDecode: any body is decoded into each request type or refused with
// 400 or 413; never a panic, never another status.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"menuId":"tea","quantity":1}`))
	f.Add([]byte(`{"menu":[{"name":"x"}],"ttlSeconds":60}`))
	f.Add([]byte(`{"name":"Ana"} {"name":"Bo"}`))
	f.Add([]byte(`{"quantity":1e999}`))
	f.Add([]byte("\xff\xfe{"))
	s := New(nil, nil, nil, nil, nil, nil, Config{MaxBody: 1 << 10})
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, dst := range []any{&createRoomRequest{}, &joinRequest{}, &choiceRequest{}} {
			r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
			err := s.decode(httptest.NewRecorder(), r, dst)
			if err == nil {
				continue
			}
			var he *httpError
			if !errors.As(err, &he) || (he.status != 400 && he.status != 413) || he.detail == "" {
				t.Fatalf("body %q: %v", body, err)
			}
		}
	})
}

// FuzzTokenParse: no string is accepted as a token unless we signed it,
// and parsing never panics.
func FuzzTokenParse(f *testing.F) {
	tk, _ := NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, nil)
	good, _, _ := tk.Issue("AAAAAAAAAAAAAAAAAAAAAA", "0123456789abcdef")
	f.Add(good)
	f.Add(good[:len(good)-1] + "A")
	f.Add("eyJhbGciOiJub25lIn0.eyJyaWQiOiJBQUFBQUFBQUFBQUFBQUFBQUFBQUFBIiwic3ViIjoiMDEyMzQ1Njc4OWFiY2RlZiJ9.")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, tok string) {
		id, err := tk.Parse(tok)
		if err != nil {
			return
		}
		if !menusync.ValidRoomID(id.RoomID) || !menusync.ValidMemberID(id.MemberID) {
			t.Fatalf("accepted %q as %+v", tok, id)
		}
		if id.RoomID != "AAAAAAAAAAAAAAAAAAAAAA" || id.MemberID != "0123456789abcdef" {
			t.Fatalf("forged token %q accepted as %+v", tok, id)
		}
	})
}

// FuzzLastEventID: the resume position is an event id (<epoch>.<version>,
// or a bare version from before epochs) or a 400, whatever the header
// holds, and it reads back as what was sent.
func FuzzLastEventID(f *testing.F) {
	for _, s := range []string{"12", "0", "-1", "18446744073709551616", "1e3", " 7", "abc", "AbC_-9.12", ".3", "a.b.3", "x y.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r, _ := http.NewRequest("GET", "/", nil)
		r.Header.Set("Last-Event-ID", header)
		v, ok, err := lastEventID(r)
		switch {
		case err != nil:
			if !errors.Is(err, errBadLastEventID) {
				t.Fatalf("%q: %v", header, err)
			}
		case ok:
			h := r.Header.Get("Last-Event-ID")
			epoch, ver, dotted := strings.Cut(h, ".")
			if !dotted {
				epoch, ver = "", h
			}
			n, perr := strconv.ParseUint(ver, 10, 64)
			if perr != nil || n != v.Version || epoch != v.Epoch || strings.Trim(ver, "0123456789") != "" || (dotted && !menusync.ValidEpoch(epoch)) {
				t.Fatalf("%q read as %+v", header, v)
			}
		}
	})
}
