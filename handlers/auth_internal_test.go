package handlers

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestVerifiedTokensExpireAndStayBounded: a token that passed the full
// check is taken from the cache only until its own expiry; a token that
// differs in any byte gets the full check; the cache never grows past
// maxVerifiedTokens.
func TestVerifiedTokensExpireAndStayBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tk, err := NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	tok, _, _ := tk.Issue("AAAAAAAAAAAAAAAAAAAAAA", "0123456789abcdef")
	for range 2 { // the second comes from the cache
		if id, err := tk.Parse(tok); err != nil || id.MemberID != "0123456789abcdef" {
			t.Fatalf("parse: %+v %v", id, err)
		}
	}
	if _, ok := tk.verified.get(tok, now); !ok {
		t.Fatal("a verified token was not remembered")
	}
	flip := byte('A')
	if tok[len(tok)-2] == 'A' {
		flip = 'B'
	}
	tampered := tok[:len(tok)-2] + string(flip) + tok[len(tok)-1:]
	if _, err := tk.Parse(tampered); err == nil {
		t.Fatal("a token one byte off was accepted")
	}
	now = now.Add(time.Hour)
	if _, err := tk.Parse(tok); err == nil {
		t.Fatal("an expired token was accepted from the cache")
	}

	var v verifiedTokens
	for i := range maxVerifiedTokens + 100 {
		v.put("t"+strconv.Itoa(i), Identity{}, now.Add(time.Hour))
	}
	if n := len(v.m); n != maxVerifiedTokens {
		t.Fatalf("cache holds %d tokens, bound %d", n, maxVerifiedTokens)
	}
}
