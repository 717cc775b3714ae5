package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/rooms"
)

type createRoomRequest struct {
	Menu       []menusync.MenuItem `json:"menu"`
	TTLSeconds *int64              `json:"ttlSeconds"`
}

type joinRequest struct {
	Name *string `json:"name"`
}

type joinResponse struct {
	Member  menusync.Member `json:"member"`
	Token   string          `json:"token"`
	Version uint64          `json:"version"`
	Epoch   string          `json:"epoch"`
}

type choiceRequest struct {
	MenuID   *string `json:"menuId"`
	Quantity *int    `json:"quantity"`
}

type choiceResponse struct {
	Version uint64          `json:"version"`
	Epoch   string          `json:"epoch"`
	Choice  menusync.Choice `json:"choice"`
}

type versionResponse struct {
	Version uint64 `json:"version"`
	Epoch   string `json:"epoch"`
}

func versionOf(r rooms.Result) versionResponse {
	return versionResponse{Version: r.Version, Epoch: r.Epoch}
}

func (s *Server) createRoom(w http.ResponseWriter, r *http.Request) {
	var req createRoomRequest
	if err := s.decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Menu == nil {
		s.fail(w, r, &menusync.InvalidError{Msg: "menu is required"})
		return
	}
	key, err := idempotencyKey(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := rooms.CreateInput{Menu: req.Menu}
	if key != "" {
		in.IdempotencyKey = s.clientIP(r) + ":" + key // no member yet: scope by address
	}
	if req.TTLSeconds != nil {
		t := *req.TTLSeconds
		if t < 1 || t > int64(365*24*time.Hour/time.Second) {
			// the store knows the configured maximum; this keeps the
			// conversion to a Duration in range
			s.fail(w, r, &menusync.InvalidError{Msg: "ttlSeconds must be at least 1 and at most the configured maximum"})
			return
		}
		in.TTL = time.Duration(t) * time.Second
	}
	room, err := s.store.Create(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/rooms/"+room.ID)
	if room.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, room)
}

func (s *Server) joinRoom(w http.ResponseWriter, r *http.Request) {
	roomID := chi.URLParam(r, "roomId")
	var req joinRequest
	if err := s.decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Name == nil {
		s.fail(w, r, &menusync.InvalidError{Msg: "name is required"})
		return
	}
	o, err := s.writeOpts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if o.IdempotencyKey == "" {
		// A join that timed out or got a 503 may have happened; its retry
		// must not add the same person twice. Without a key of the
		// client's own, the same name from the same address in the last
		// minute is taken as that retry.
		o.IdempotencyKey, o.IdempotencyTTL = implicitJoinKey(s.clientIP(r), *req.Name), implicitJoinWindow
	}
	m, res, err := s.store.Join(r.Context(), roomID, *req.Name, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tok, exp, err := s.tokens.Issue(roomID, m.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setTokenCookie(w, r, roomID, tok, exp)
	if res.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, joinResponse{Member: m, Token: tok, Version: res.Version, Epoch: res.Epoch})
}

func (s *Server) getRoom(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	snap, err := s.store.Snapshot(r.Context(), id.RoomID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !snap.HasMember(id.MemberID) {
		s.fail(w, r, menusync.ErrMemberNotFound)
		return
	}
	// Clients use it to tell a stream that a proxy holds back (nothing
	// within two heartbeats) from a quiet one.
	w.Header().Set("X-Menusync-Heartbeat", strconv.Itoa(int((s.cfg.Heartbeat+time.Second-1)/time.Second)))
	writeJSON(w, http.StatusOK, snap)
}

func (s *Server) setChoice(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	var req choiceRequest
	if err := s.decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	switch {
	case req.MenuID == nil:
		s.fail(w, r, &menusync.InvalidError{Msg: "menuId is required"})
		return
	case req.Quantity == nil:
		s.fail(w, r, &menusync.InvalidError{Msg: "quantity is required"})
		return
	}
	o, err := s.writeOpts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.store.SetChoice(r.Context(), id.RoomID, id.MemberID, *req.MenuID, *req.Quantity, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if res.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusOK, choiceResponse{Version: res.Version, Epoch: res.Epoch, Choice: res.Choice})
}

func (s *Server) refreshRoom(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	o, err := s.writeOpts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.store.Refresh(r.Context(), id.RoomID, id.MemberID, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, versionOf(res))
}

// leaveRoom takes a member out: today only the member themselves
// ("me" or their own id). ?choices=keep leaves their choices in the
// order; by default they go with them.
func (s *Server) leaveRoom(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	target := chi.URLParam(r, "memberId")
	if target == "me" {
		target = id.MemberID
	}
	if target != id.MemberID {
		s.fail(w, r, errNotYourself)
		return
	}
	keep := false
	switch r.URL.Query().Get("choices") {
	case "", "remove":
	case "keep":
		keep = true
	default:
		s.fail(w, r, errBadChoicesParam)
		return
	}
	o, err := s.writeOpts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.store.Leave(r.Context(), id.RoomID, target, "left", keep, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, versionOf(res))
}

// implicitJoinWindow is how long a keyless join by the same name from the
// same address counts as a retry. Short: two people with one name behind
// one address (a restaurant's Wi-Fi) joining within it would become one
// member; first-party clients always send a key.
const implicitJoinWindow = time.Minute

func implicitJoinKey(ip, name string) string {
	sum := sha256.Sum256([]byte(ip + "\x00" + strings.TrimSpace(name)))
	return "implicit-" + hex.EncodeToString(sum[:12])
}

// writeOpts reads what every change may carry: the Idempotency-Key, and
// the deadline after which it must not happen any more.
func (s *Server) writeOpts(r *http.Request) (rooms.WriteOpts, error) {
	key, err := idempotencyKey(r)
	if err != nil {
		return rooms.WriteOpts{}, err
	}
	o := rooms.WriteOpts{IdempotencyKey: key}
	if start, ok := s.requestStart(r); ok {
		// Without a key, a change may only happen while the proxy still
		// waits for it: after that the client saw an error and may have
		// sent a newer change. With a key, a late copy finds the record
		// of the first one (nginx retries keyed POSTs on another replica
		// with the same X-Request-Start), so it may run until shortly
		// before the record expires.
		d := s.cfg.RequestDeadline
		if key != "" {
			d = rooms.IdempotencyWindow - time.Minute
		}
		o.Deadline = start.Add(d)
	}
	return o, nil
}

// idempotencyKey reads the optional Idempotency-Key header: a retry with
// the same key gets the first answer and changes nothing (kept 10 min).
func idempotencyKey(r *http.Request) (string, error) {
	k := r.Header.Get("Idempotency-Key")
	if k != "" && !keyChars(k, 64, "-_.:") {
		return "", errBadIdempotencyKey
	}
	return k, nil
}

// decode reads one JSON object strictly: unknown fields, trailing data and
// bodies over the limit are refused before anything is written.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, dst any) error {
	if r.ContentLength > s.cfg.MaxBody {
		return tooLarge(s.cfg.MaxBody)
	}
	// A body must arrive in time; headers already had ReadHeaderTimeout.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout))
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, s.cfg.MaxBody)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(s.cfg.MaxBody)
		}
		return errNotOneObject
	}
	return nil
}

func tooLarge(limit int64) error {
	return newError(http.StatusRequestEntityTooLarge, codeBodyTooLarge, fmt.Sprintf("the request body is larger than %d bytes", limit))
}

func decodeError(err error, limit int64) error {
	var (
		mbe  *http.MaxBytesError
		ne   net.Error
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		bad  = func(msg string) error { return newError(http.StatusBadRequest, codeMalformedJSON, msg) }
		name string
	)
	switch {
	case errors.As(err, &mbe):
		return tooLarge(limit)
	case errors.As(err, &ne) && ne.Timeout():
		return errBodyTimeout
	case errors.Is(err, io.EOF):
		return bad("the request body is empty; a JSON object is expected")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return bad("the JSON body ends too early")
	case errors.As(err, &syn):
		return bad(fmt.Sprintf("malformed JSON at byte %d", syn.Offset))
	case errors.As(err, &typ):
		name = typ.Field
		if name == "" {
			return bad("the body must be a JSON object")
		}
		return bad(fmt.Sprintf("field %q must be %s", name, jsonKind(typ.Type.Kind().String())))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return bad(strings.TrimPrefix(err.Error(), "json: ") + " is not allowed")
	}
	return bad("malformed JSON body")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int64", "float64", "uint64":
		return "a number"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "of another type"
}
