package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/menusync/menusync"
)

func (s *Server) replicaHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Menusync-Replica", s.cfg.Replica)
		growStack()
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a logged 500 problem instead of a dropped
// connection; http.ErrAbortHandler keeps its meaning.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logFor(r).Error("panic in handler", "path", logPath(r.URL.Path), "panic", v)
				writeProblem(w, r, http.StatusInternalServerError, codeInternal, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (sr *statusRecorder) WriteHeader(code int) {
	if sr.status == 0 {
		sr.status = code
	}
	sr.ResponseWriter.WriteHeader(code)
}

func (sr *statusRecorder) Unwrap() http.ResponseWriter { return sr.ResponseWriter }

type requestIDKey struct{}

// requestID tags each request with an id, taken from X-Request-Id when a
// proxy set a sane one, and echoes it so a user can quote it.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !keyChars(id, 64, "-_.") {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// keyChars reports whether s is 1 to max ASCII letters, digits and the
// given punctuation: the shape of ids and keys clients may send us.
func keyChars(s string, max int, punct string) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strings.IndexByte(punct, c) >= 0) {
			return false
		}
	}
	return true
}

// logPath is a request path as logs show it: room ids (capabilities)
// replaced by their tags; tokens never appear in paths.
func logPath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		if menusync.ValidRoomID(part) {
			parts[i] = menusync.Tag(part)
		}
	}
	return strings.Join(parts, "/")
}

// logFor is the logger of one request, carrying its id.
func (s *Server) logFor(r *http.Request) *slog.Logger {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return s.log.With("request_id", id)
}

// accessLog counts requests by route pattern and logs them with the path
// only: EventSource clients carry their token in ?token=, and tokens are
// never logged.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		s.cfg.Observer.Request(route, r.Method, rec.status)
		if !s.log.Enabled(r.Context(), slog.LevelDebug) {
			return // building the request's logger costs more than the request's JSON
		}
		s.logFor(r).Debug("request", "method", r.Method, "path", logPath(r.URL.Path), "route", route, "status", rec.status, "duration", time.Since(start))
	})
}
