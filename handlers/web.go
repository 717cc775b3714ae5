package handlers

import (
	"bytes"
	"io/fs"
	"net/http"
	"strings"
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
