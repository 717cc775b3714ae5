package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/ocr"
	"github.com/menusync/menusync/pubsub"
)

// The error catalogue: every problem code the replicas send, each once.
// openapi.yaml's Problem.code enum lists exactly these plus the codes the
// shipped nginx config answers with itself (TestErrorCodesMatchTheSpec).
const (
	codeMalformedJSON    = "malformed_json"
	codeBadLastEventID   = "bad_last_event_id"
	codeUnauthorized     = "unauthorized"
	codeForbidden        = "forbidden"
	codeMemberNotFound   = "member_not_found"
	codeNotFound         = "not_found"
	codeRoomNotFound     = "room_not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codeBodyTooLarge     = "body_too_large"
	codeInvalidValue     = "invalid_value"
	codeUnknownMenuItem  = "unknown_menu_item"
	codeRoomFull         = "room_full"
	codeBadQuery         = "bad_query"
	codeBadIdemKey       = "bad_idempotency_key"
	codeIdemKeyReused    = "idempotency_key_reused"
	codeRateLimited      = "rate_limited"
	codeTimeout          = "timeout"
	codeUnavailable      = "unavailable"
	codeDraining         = "draining"
	codeFull             = "full"
	codeRequestExpired   = "request_expired"
	codeNotJSON          = "unsupported_media_type"
	codeCrossSite        = "cross_site"
	codeBadHost          = "bad_host"
	codeNameTaken        = "name_taken"
	codeRoomsFull        = "rooms_full"
	codeStoreFull        = "store_full"
	codeInternal         = "internal"
	codeOrderLocked      = "order_locked"
	codeRoomClosed       = "room_closed"
	codeNotHost          = "not_host"
	codeConflict         = "conflict"
	codeOCRUnavailable   = "ocr_unavailable"
	codeImageTooLarge    = "image_too_large"
	codeUnsupportedImage = "unsupported_image"
	codeBadImage         = "bad_image"
	codeScanBusy         = "scan_busy"
	codeScanTimeout      = "scan_timeout"
	codeNoSuchMember     = "no_such_member"
)

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

// The HTTP layer's own errors.
var (
	errNoToken           = newError(http.StatusUnauthorized, codeUnauthorized, "a member token is required: send Authorization: Bearer <token>, or the cookie set on join")
	errBadToken          = newError(http.StatusUnauthorized, codeUnauthorized, "the token is invalid or expired")
	errBadAPIKey         = newError(http.StatusUnauthorized, codeUnauthorized, "creating rooms needs the service key: Authorization: Bearer <key>")
	errOtherRoom         = newError(http.StatusForbidden, codeForbidden, "the token belongs to another room")
	errNotYourself       = newError(http.StatusForbidden, codeForbidden, "a member can only change their own name and done")
	errUploadCut         = newError(http.StatusBadRequest, codeBadImage, "the photo's upload ended early; send it again")
	errScanUploads       = newError(http.StatusServiceUnavailable, codeScanBusy, "too many photos are arriving at once; retry after the time given")
	errCrossSite         = newError(http.StatusForbidden, codeCrossSite, "changes from another site are not accepted")
	errNotFoundPath      = newError(http.StatusNotFound, codeNotFound, "no such endpoint")
	errMethod            = newError(http.StatusMethodNotAllowed, codeMethodNotAllowed, "method not allowed on this endpoint")
	errNotJSON           = newError(http.StatusUnsupportedMediaType, codeNotJSON, "send the body as JSON, with Content-Type: application/json")
	errNotOneObject      = newError(http.StatusBadRequest, codeMalformedJSON, "the body must hold exactly one JSON object")
	errBadLastEventID    = newError(http.StatusBadRequest, codeBadLastEventID, "Last-Event-ID must be an event id, <epoch>.<version>")
	errBadAfter          = newError(http.StatusBadRequest, codeBadQuery, "after must be an event id (<epoch>.<version>) and wait a duration of at most 30s, like 25s or 25")
	errBadChoicesParam   = newError(http.StatusBadRequest, codeBadQuery, "choices must be keep or remove")
	errBadIdempotencyKey = newError(http.StatusBadRequest, codeBadIdemKey, "Idempotency-Key must be 1 to 64 characters of A-Z a-z 0-9 - _ . :")
	errBadHostHdr        = newError(http.StatusBadRequest, codeBadHost, "the Host header is not a host name")
	errBodyTimeout       = newError(http.StatusRequestTimeout, codeTimeout, "the request body did not arrive in time")
	errDraining          = newError(http.StatusServiceUnavailable, codeDraining, "this replica is shutting down; retry")
	errFull              = newError(http.StatusServiceUnavailable, codeFull, "this replica has reached its stream limit; retry")
	errStoreDown         = newError(http.StatusServiceUnavailable, codeUnavailable, "the room store is not reachable")
	errOCRUnavailable    = newError(http.StatusServiceUnavailable, codeOCRUnavailable, "this server cannot read photos of menus; paste the menu's text instead")
)

// domainErrors maps the domain's sentinels, in the order they are tried.
// detail "" shows the error's own message (written for the client).
var domainErrors = []struct {
	err    error
	status int
	code   string
	detail string
}{
	{menusync.ErrNotFound, http.StatusNotFound, codeRoomNotFound, "no such room (it may have expired)"},
	{menusync.ErrMemberNotFound, http.StatusForbidden, codeMemberNotFound, "the token's member is not in this room (any more)"},
	{menusync.ErrUnknownMenuItem, http.StatusUnprocessableEntity, codeUnknownMenuItem, ""},
	{menusync.ErrIdempotencyReused, http.StatusUnprocessableEntity, codeIdemKeyReused, "this Idempotency-Key was used for a different request"},
	{menusync.ErrRoomFull, http.StatusUnprocessableEntity, codeRoomFull, ""},
	{menusync.ErrNameTaken, http.StatusConflict, codeNameTaken, "someone at this table already has this name; choose a shorter or another one"},
	{menusync.ErrBudget, http.StatusServiceUnavailable, codeRoomsFull, "as many tables as this service allows are open; try again in a few minutes"},
	{menusync.ErrStoreFull, http.StatusServiceUnavailable, codeStoreFull, "the service has no room for more data right now; try again in a few minutes"},
	{menusync.ErrExpired, http.StatusServiceUnavailable, codeRequestExpired, "the request waited too long on its way and was not carried out; retry it"},
	{menusync.ErrOrderLocked, http.StatusConflict, codeOrderLocked, "the host has locked the order; ask them to unlock it"},
	{menusync.ErrRoomClosed, http.StatusConflict, codeRoomClosed, "the host has closed this table"},
	{menusync.ErrNotHost, http.StatusForbidden, codeNotHost, "only the table's host may do this"},
	{menusync.ErrConflict, http.StatusConflict, codeConflict, ""},
	{menusync.ErrNoSuchMember, http.StatusNotFound, codeNoSuchMember, "no member with that id is at this table"},
	{ocr.ErrUnknownLanguage, http.StatusUnprocessableEntity, codeInvalidValue, ""},
	{ocr.ErrUnavailable, http.StatusServiceUnavailable, codeOCRUnavailable, "this server cannot read photos in that language; paste the menu's text instead"},
	{ocr.ErrTooLarge, http.StatusRequestEntityTooLarge, codeImageTooLarge, "the photo has too many pixels or bytes; send a smaller one"},
	{ocr.ErrUnsupported, http.StatusUnsupportedMediaType, codeUnsupportedImage, "send the photo as JPEG, PNG or WebP"},
	{ocr.ErrBadImage, http.StatusUnprocessableEntity, codeBadImage, "the photo could not be read as an image"},
	{ocr.ErrBusy, http.StatusServiceUnavailable, codeScanBusy, "every photo reader is busy; retry after the time given"},
	{ocr.ErrTimeout, http.StatusUnprocessableEntity, codeScanTimeout, "reading the photo took too long; send a smaller or clearer photo, or paste the menu's text"},
	{menusync.ErrUnavailable, http.StatusServiceUnavailable, codeUnavailable, "the room store is unavailable; retry shortly"},
	{pubsub.ErrSubscribeTimeout, http.StatusServiceUnavailable, codeUnavailable, "the room store is unavailable; retry shortly"},
	{context.Canceled, http.StatusServiceUnavailable, codeUnavailable, "the request was cancelled or timed out"},
	{context.DeadlineExceeded, http.StatusServiceUnavailable, codeUnavailable, "the request was cancelled or timed out"},
}

// statusOf maps every error to its HTTP status, problem code and the
// detail the client may see. It is the only place that does so: internal
// errors get a generic detail and are logged by the caller.
func statusOf(err error) (status int, code, detail string) {
	var he *httpError
	if errors.As(err, &he) {
		return he.status, he.code, he.detail
	}
	var inv *menusync.InvalidError
	for _, d := range domainErrors {
		if !errors.Is(err, d.err) {
			continue
		}
		if d.detail == "" {
			return d.status, d.code, err.Error()
		}
		return d.status, d.code, d.detail
	}
	if errors.As(err, &inv) {
		return http.StatusUnprocessableEntity, codeInvalidValue, inv.Msg
	}
	if errors.Is(err, menusync.ErrInvalid) {
		return http.StatusUnprocessableEntity, codeInvalidValue, err.Error()
	}
	return http.StatusInternalServerError, codeInternal, "internal error"
}

// retryAfter is how long a client should wait after a 503 with this code:
// capacity is not a blip.
func retryAfter(code string) string {
	if code == codeRoomsFull || code == codeStoreFull {
		return "60"
	}
	return "1"
}

// isScanBusy: a scan refused for load, worth a retry after Retry-After.
func isScanBusy(err error) bool { return errors.Is(err, ocr.ErrBusy) || errors.Is(err, errScanUploads) }
