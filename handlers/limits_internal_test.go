package handlers

import (
	"net/http"
	"testing"
	"time"
)

// TestBucketTableIsBounded: a flood of new client keys never grows the
// table past its bound; past it, newcomers share one bucket (so they are
// limited together) while known clients keep theirs.
func TestBucketTableIsBounded(t *testing.T) {
	b := newBuckets(1, 2, 100)
	now := time.Now()
	if ok, _ := b.take("known", now); !ok {
		t.Fatal("first take refused")
	}
	for i := range 10_000 {
		b.take("flood-"+string(rune('a'+i%26))+time.Duration(i).String(), now)
	}
	if n := b.len(); n > 100 {
		t.Fatalf("%d keys tracked, bound 100", n)
	}
	if ok, _ := b.take("known", now); !ok {
		t.Fatal("a known client lost its bucket to the flood")
	}
	if ok, _ := b.take("newcomer", now); ok {
		t.Fatal("a newcomer past the bound got a fresh bucket of its own")
	}
	// Once the flood is idle, newcomers get buckets again.
	later := now.Add(2 * time.Minute)
	if ok, _ := b.take("newcomer", later); !ok || b.len() > 100 {
		t.Fatalf("after the flood went quiet: ok=%v, %d keys", ok, b.len())
	}
}

// TestClientIPv6CountsThe64: addresses of one IPv6 /64 (one subscriber)
// are one client; IPv4 addresses are themselves; X-Forwarded-For counts
// only from a trusted proxy.
func TestClientIPv6CountsThe64(t *testing.T) {
	s := &Server{limits: Limits{TrustedProxies: Loopback()}}
	ip := func(remote, xff string) string {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		return s.clientIP(r)
	}
	a, b := ip("[2001:db8:1:2:aaaa::1]:5000", ""), ip("[2001:db8:1:2:bbbb::9]:5000", "")
	if a != b || a != "2001:db8:1:2::/64" {
		t.Fatalf("one /64 counted as %q and %q", a, b)
	}
	if c := ip("[2001:db8:1:3::1]:5000", ""); c == a {
		t.Fatal("another /64 counted as the same client")
	}
	if got := ip("127.0.0.1:80", "2001:db8:9:9::7"); got != "2001:db8:9:9::/64" {
		t.Fatalf("forwarded IPv6 through a trusted proxy: %q", got)
	}
	if got := ip("192.0.2.10:80", "198.51.100.1"); got != "192.0.2.10" {
		t.Fatalf("X-Forwarded-For from an untrusted peer believed: %q", got)
	}
	if got := ip("10.0.0.2:80", "198.51.100.1"); got != "10.0.0.2" {
		t.Fatalf("a private peer is trusted by default: %q", got)
	}
}
