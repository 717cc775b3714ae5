package handlers

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// DefaultRequestDeadline is how long after the proxy received it a change
// without an Idempotency-Key may still be carried out. It matches the
// shipped nginx config's read timeout for POSTs (nginx/menusync-server.conf):
// once nginx has given up, the client has an error and may send a newer
// change, which a late copy of this one must not undo.
const DefaultRequestDeadline = 10 * time.Second

// requestStart reads when the proxy received the request, from the
// X-Request-Start header nginx sets ("t=<unix seconds with ms>", as
// nginx's $msec; plain seconds or microseconds are read too). Only a
// trusted proxy's header counts, and an implausible one (clocks apart by
// more than a minute) is ignored rather than refusing everything.
func (s *Server) requestStart(r *http.Request) (time.Time, bool) {
	raw := r.Header.Get("X-Request-Start")
	if raw == "" || !s.fromTrustedProxy(r) {
		return time.Time{}, false
	}
	raw = strings.TrimPrefix(strings.TrimSpace(raw), "t=")
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || f <= 0 {
		return time.Time{}, false
	}
	var t time.Time
	switch {
	case f > 1e14: // microseconds
		t = time.UnixMicro(int64(f))
	case f > 1e11: // milliseconds
		t = time.UnixMilli(int64(f))
	default:
		t = time.UnixMilli(int64(f * 1000))
	}
	if d := time.Since(t); d < -time.Minute || d > time.Hour {
		return time.Time{}, false
	}
	return t, true
}

// fromTrustedProxy reports whether the request came straight from a
// trusted proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return err == nil && s.trusted(a.Unmap())
}
