package handlers

import (
	"bytes"
	"container/list"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"rsc.io/qr"

	"github.com/menusync/menusync"
)

// ParsePublicURL checks MENUSYNC_PUBLIC_URL: the address people open, as
// their phones see it (https://menusync.example), used for share links
// and QR codes. Empty: built from the request's Host, if that is sane.
func ParsePublicURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("public URL %q: want http(s)://host[:port][/path]", raw)
	}
	return u, nil
}

// shareLink is the address a person at the table opens to join.
func (s *Server) shareLink(r *http.Request, roomID string) (string, error) {
	if s.public != nil {
		return s.public.String() + "/r/" + roomID, nil
	}
	if !saneHost(r.Host) {
		return "", errBadHostHdr
	}
	scheme := "http"
	if isHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/r/" + roomID, nil
}

// saneHost accepts a DNS name, an IPv4 address or a bracketed IPv6 one,
// with an optional port: nothing a client could stuff a page into.
func saneHost(h string) bool {
	if h == "" || len(h) > 262 {
		return false
	}
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		host, port = h, ""
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return false
		}
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil {
		return true
	}
	if len(host) > 253 {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, c := range label {
			if !(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
				return false
			}
		}
	}
	return true
}

// qrCacheSize bounds the QR cache: a drawing is about 10 KiB.
const qrCacheSize = 512

// qrCache keeps the drawings of recent share links: a table's phones ask
// for the same one, and drawing it costs a millisecond of CPU.
type qrCache struct {
	mu    sync.Mutex
	order *list.List // of string, newest first
	m     map[string]*list.Element
	svg   map[string][]byte
}

func (c *qrCache) get(link string) ([]byte, error) {
	c.mu.Lock()
	if c.m == nil {
		c.order, c.m, c.svg = list.New(), map[string]*list.Element{}, map[string][]byte{}
	}
	if e, ok := c.m[link]; ok {
		c.order.MoveToFront(e)
		b := c.svg[link]
		c.mu.Unlock()
		return b, nil
	}
	c.mu.Unlock()
	b, err := drawQR(link)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[link]; !ok {
		c.m[link] = c.order.PushFront(link)
		c.svg[link] = b
		if c.order.Len() > qrCacheSize {
			old := c.order.Remove(c.order.Back()).(string)
			delete(c.m, old)
			delete(c.svg, old)
		}
	}
	return b, nil
}

func drawQR(link string) ([]byte, error) {
	code, err := qr.Encode(link, qr.M)
	if err != nil {
		return nil, err
	}
	const quiet = 4
	n := code.Size + 2*quiet
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n, n, n)
	for y := range code.Size {
		for x := range code.Size {
			if code.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}

// roomQR draws the room's share link as an SVG QR code, for a member to
// show the table. Members only (the web app's <img> carries the cookie),
// for rooms that exist, within the read limits, from the cache.
func (s *Server) roomQR(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	ok, err := s.store.Exists(r.Context(), id.RoomID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok[0] {
		s.fail(w, r, menusync.ErrNotFound)
		return
	}
	link, err := s.shareLink(r, id.RoomID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	svg, err := s.qr.get(link)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(svg)
}

// clientConfig is what a client needs to know about this deployment
// before it has a room: the address to share, the heartbeat, and what
// the server can do.
type clientConfig struct {
	PublicURL        string       `json:"publicUrl,omitempty"`
	HeartbeatSeconds int          `json:"heartbeatSeconds"`
	Capabilities     capabilities `json:"capabilities"`
}

type capabilities struct {
	// Scan: POST /v1/menus/scan works (OCR is installed); ScanLanguages
	// are the menu languages it reads, ScanMaxBytes the largest photo.
	Scan          bool     `json:"scan"`
	ScanLanguages []string `json:"scanLanguages"`
	ScanMaxBytes  int64    `json:"scanMaxBytes,omitempty"`
}

func (s *Server) config(w http.ResponseWriter, r *http.Request) {
	c := clientConfig{HeartbeatSeconds: int((s.cfg.Heartbeat + 999_999_999) / 1_000_000_000)}
	c.Capabilities.ScanLanguages = []string{}
	if s.menus != nil {
		if info := s.menus.ScanInfo(); info.Available {
			c.Capabilities = capabilities{Scan: true, ScanLanguages: info.Languages, ScanMaxBytes: info.MaxBytes}
		}
	}
	if s.public != nil {
		c.PublicURL = s.public.String()
	}
	writeJSON(w, http.StatusOK, c)
}
