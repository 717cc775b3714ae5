package main

import (
	"context"
	"net"
	"strings"
	"testing"
)

// TestSourcesDial: with -sources every connection comes from one of
// them (its port chosen at connect, IP_BIND_ADDRESS_NO_PORT), in turn.
func TestSourcesDial(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	from := make(chan string, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			host, _, _ := net.SplitHostPort(c.RemoteAddr().String())
			from <- host
			c.Close()
		}
	}()
	l, err := newLoad(config{sources: "127.0.0.2,127.0.0.3", posters: 1})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for range 4 {
		c, err := l.dial(context.Background(), "tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		seen[<-from]++
	}
	if seen["127.0.0.2"] != 2 || seen["127.0.0.3"] != 2 {
		t.Fatalf("connections came from %v, want two from each source", seen)
	}
	if _, err := newLoad(config{sources: "10.0.0.1"}); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("a non-loopback source: %v", err)
	}
}
