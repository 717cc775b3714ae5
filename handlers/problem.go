package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
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

// httpError is an error the HTTP layer raises itself (bad JSON, missing
// token...). Its detail is written for the client.
type httpError struct {
	status int
	code   string
	detail string
}

func (e *httpError) Error() string { return e.detail }

func newError(status int, code, detail string) error {
	return &httpError{status: status, code: code, detail: detail}
}

var (
	errNoToken      = newError(http.StatusUnauthorized, "unauthorized", "a member token is required: send Authorization: Bearer <token>, ?token=, or the cookie set on join")
	errBadToken     = newError(http.StatusUnauthorized, "unauthorized", "the token is invalid or expired")
	errOtherRoom    = newError(http.StatusForbidden, "forbidden", "the token belongs to another room")
	errBadAPIKey    = newError(http.StatusUnauthorized, "unauthorized", "creating rooms needs the service key: Authorization: Bearer <key>")
	errNotFoundPath = newError(http.StatusNotFound, "not_found", "no such endpoint")
	errMethod       = newError(http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed on this endpoint")
	errDraining     = newError(http.StatusServiceUnavailable, "draining", "this replica is shutting down; retry")
	errFull         = newError(http.StatusServiceUnavailable, "full", "this replica has reached its stream limit; retry")
)

// statusOf maps every error to its HTTP status, problem code and the
// detail the client may see. It is the only place that does so: internal
// errors get a generic detail and are logged by the caller.
func statusOf(err error) (status int, code, detail string) {
	var he *httpError
	var inv *rooms.InvalidError
	switch {
	case errors.As(err, &he):
		return he.status, he.code, he.detail
	case errors.Is(err, rooms.ErrNotFound):
		return http.StatusNotFound, "room_not_found", "no such room (it may have expired)"
	case errors.Is(err, rooms.ErrMemberNotFound):
		return http.StatusForbidden, "member_not_found", "the token's member is not in this room (any more)"
	case errors.Is(err, rooms.ErrNameTaken):
		return http.StatusConflict, "name_taken", "someone at this table already has this name; choose a shorter or another one"
	case errors.Is(err, rooms.ErrBudget):
		return http.StatusServiceUnavailable, "rooms_full", "as many tables as this service allows are open; try again in a few minutes"
	case errors.Is(err, rooms.ErrStoreFull):
		return http.StatusServiceUnavailable, "store_full", "the service has no room for more data right now; try again in a few minutes"
	case errors.Is(err, rooms.ErrExpired):
		return http.StatusServiceUnavailable, "request_expired", "the request waited too long on its way and was not carried out; retry it"
	case errors.Is(err, rooms.ErrUnknownMenuItem):
		return http.StatusUnprocessableEntity, "unknown_menu_item", err.Error()
	case errors.Is(err, rooms.ErrIdempotencyReused):
		return http.StatusUnprocessableEntity, "idempotency_key_reused", "this Idempotency-Key was used for a different request"
	case errors.Is(err, rooms.ErrRoomFull):
		return http.StatusUnprocessableEntity, "room_full", err.Error()
	case errors.As(err, &inv):
		return http.StatusUnprocessableEntity, "invalid_value", inv.Msg
	case errors.Is(err, rooms.ErrUnavailable), errors.Is(err, pubsub.ErrSubscribeTimeout):
		return http.StatusServiceUnavailable, "unavailable", "the room store is unavailable; retry shortly"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "unavailable", "the request was cancelled or timed out"
	}
	return http.StatusInternalServerError, "internal", "internal error"
}

// fail writes err as a problem document.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, code, detail := statusOf(err)
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.logFor(r).Error("request failed", "method", r.Method, "path", logPath(r.URL.Path), "err", err)
	} else if status == http.StatusServiceUnavailable {
		s.logFor(r).Warn("request not served", "method", r.Method, "path", logPath(r.URL.Path), "err", err)
	}
	if status == http.StatusServiceUnavailable {
		retry := "1"
		if code == "rooms_full" || code == "store_full" {
			retry = "60" // capacity, not a blip: do not hammer
		}
		w.Header().Set("Retry-After", retry)
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
