package handlers

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Problem is an RFC 9457 problem document. Code is a stable,
// machine-readable name for the error (an extension member).
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	Code     string `json:"code"`
}

// fail writes err as a problem document.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, code, detail := statusOf(err)
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.logFor(r).Error("request failed", "method", r.Method, "path", logPath(r.URL.Path), "err", err)
	} else if status == http.StatusServiceUnavailable && err != errShed { // shedding refuses hundreds a second
		s.logFor(r).Warn("request not served", "method", r.Method, "path", logPath(r.URL.Path), "err", err)
	}
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryAfter(code))
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="menusync"`)
	}
	writeProblem(w, r, status, code, detail)
}

func writeProblem(w http.ResponseWriter, r *http.Request, status int, code, detail string) {
	p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Instance: r.URL.Path, Code: code}
	body, _ := json.Marshal(p)
	writeBody(w, status, "application/problem+json", body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	writeBody(w, status, "application/json", body)
}

// writeBody sends an API answer; none of them may be cached, since rooms
// change every moment and tokens travel in them.
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
