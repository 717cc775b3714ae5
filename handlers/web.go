package handlers

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/menusync/menusync/rooms"
	"rsc.io/qr"
)

// webFile serves one file of the embedded web app. The app is small and
// changes with each release, so browsers revalidate it every time.
func (s *Server) webFile(name, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Web == nil {
			s.fail(w, r, errNotFoundPath)
			return
		}
		b, err := fs.ReadFile(s.cfg.Web, name)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		if strings.HasSuffix(name, ".html") {
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'")
			h.Set("Referrer-Policy", "no-referrer") // room links are capabilities
		}
		http.ServeContent(w, r, name, s.started, bytes.NewReader(b))
	}
}

// shareLink is the address a person at the table opens to join.
func shareLink(r *http.Request, roomID string) string {
	scheme := "http"
	if isHTTPS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/r/" + roomID
}

// roomQR draws the room's share link as an SVG QR code, so the table can
// scan it from the first phone. Only the link is in it; the room id is
// the invitation anyway.
func (s *Server) roomQR(w http.ResponseWriter, r *http.Request) {
	roomID := chi.URLParam(r, "roomId")
	if !rooms.ValidRoomID(roomID) {
		s.fail(w, r, rooms.ErrNotFound)
		return
	}
	code, err := qr.Encode(shareLink(r, roomID), qr.M)
	if err != nil {
		s.fail(w, r, err)
		return
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
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(b.Bytes())
}
