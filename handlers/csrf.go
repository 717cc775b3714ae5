package handlers

import (
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// guardChanges protects every change (POST, PUT, PATCH, DELETE) from
// being made by another site's page in a visitor's browser, who carries
// the join cookie. Browsers say where a request comes from
// (Sec-Fetch-Site, Origin); a change from elsewhere is refused unless the
// origin is one CORS allows. And a change must be JSON: an HTML form can
// only send form encodings or text/plain, and a script on another site
// cannot send application/json without a CORS preflight that we refuse.
// except names paths whose bodies are not JSON (a photo upload); they
// still get the origin check.
func (s *Server) guardChanges(except ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				next.ServeHTTP(w, r)
				return
			}
			if !s.sameSite(r) {
				s.fail(w, r, errCrossSite)
				return
			}
			if r.Method != http.MethodDelete && !slices.Contains(except, r.URL.Path) {
				mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
				if err != nil || mt != "application/json" {
					s.fail(w, r, errNotJSON)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// sameSite reports whether a browser sent the request from this service's
// own pages (or from an origin CORS allows). Clients that are not
// browsers send neither header and pass.
func (s *Server) sameSite(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin != "" && slices.Contains(s.cfg.CORSOrigins, origin) {
		return true
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default: // same-site (another port or subdomain), cross-site
		return false
	}
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin) // "null" (a sandboxed page) has no host: refused
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, r.Host) || (s.public != nil && strings.EqualFold(u.Host, s.public.Host))
}
