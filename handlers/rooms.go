package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/rooms"
)

// MaxMenuBody bounds the bodies that carry a whole menu (creating a
// room, the host's edit): 500 dishes with their names in a few
// languages. nginx allows the same on those paths.
const MaxMenuBody = 1 << 20

type createRoomRequest struct {
	Menu []menuItemInput `json:"menu"`
	Name string          `json:"name"`
	// Currency is the ISO 4217 code of the prices; without one, prices
	// are hundredths of an unnamed currency (as before currencies).
	Currency    string  `json:"currency"`
	CreatorName *string `json:"creatorName"`
	TTLSeconds  *int64  `json:"ttlSeconds"`
}

// createRoomResponse is the room, and with a creatorName the creator as
// its first member and host, with their token.
type createRoomResponse struct {
	menusync.Room
	Creator *joinResponse `json:"creator,omitempty"`
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

type versionResponse struct {
	Version uint64 `json:"version"`
	Epoch   string `json:"epoch"`
}

func versionOf(r rooms.Result) versionResponse {
	return versionResponse{Version: r.Version, Epoch: r.Epoch}
}

func (s *Server) createRoom(w http.ResponseWriter, r *http.Request) {
	// A new table is new work: refused first while this replica sheds load
	// (MENUSYNC_SHED_*), so the tables already open keep their latency.
	if s.shedding(w) {
		s.fail(w, r, errShed)
		return
	}
	in, err := s.createInput(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.store.Create(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp := createRoomResponse{Room: c.Room}
	if c.Creator != nil {
		tok, exp, err := s.tokens.Issue(c.Room.ID, c.Creator.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.setTokenCookie(w, r, c.Room.ID, tok, exp)
		resp.Creator = &joinResponse{Member: *c.Creator, Token: tok, Version: c.Room.Version, Epoch: c.Room.Epoch}
	}
	w.Header().Set("Location", "/v1/rooms/"+c.Room.ID)
	if c.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, resp)
}

func (s *Server) createInput(w http.ResponseWriter, r *http.Request) (rooms.CreateInput, error) {
	var req createRoomRequest
	if err := s.decodeLimit(w, r, &req, MaxMenuBody); err != nil {
		return rooms.CreateInput{}, err
	}
	if req.Menu == nil {
		return rooms.CreateInput{}, &menusync.InvalidError{Msg: "menu is required"}
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return rooms.CreateInput{}, err
	}
	cur, err := currencyOf(req.Currency)
	if err != nil {
		return rooms.CreateInput{}, err
	}
	in := rooms.CreateInput{Name: req.Name, Currency: cur}
	if in.Menu, err = s.menuOf(req.Menu, cur); err != nil {
		return rooms.CreateInput{}, err
	}
	if req.CreatorName != nil {
		if *req.CreatorName == "" {
			return rooms.CreateInput{}, menusync.Invalidf("creatorName: must not be empty")
		}
		in.CreatorName = *req.CreatorName
	}
	if key != "" {
		in.IdempotencyKey = s.clientIP(r) + ":" + key // no member yet: scope by address
	}
	if req.TTLSeconds != nil {
		t := *req.TTLSeconds
		if t < 1 || t > int64(365*24*time.Hour/time.Second) {
			// the store knows the configured maximum; this keeps the
			// conversion to a Duration in range
			return rooms.CreateInput{}, &menusync.InvalidError{Msg: "ttlSeconds must be at least 1 and at most the configured maximum"}
		}
		in.TTL = time.Duration(t) * time.Second
	}
	return in, nil
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

// memberSnapshot reads the room for one of its members; a token whose
// member left or was taken out reads nothing. false: answered already.
func (s *Server) memberSnapshot(w http.ResponseWriter, r *http.Request) (*menusync.Snapshot, bool) {
	id := identityFrom(r.Context())
	snap, err := s.store.Snapshot(r.Context(), id.RoomID)
	if err == nil && !snap.HasMember(id.MemberID) {
		err = menusync.ErrMemberNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return snap, true
}

func (s *Server) getRoom(w http.ResponseWriter, r *http.Request) {
	snap, ok := s.memberSnapshot(w, r)
	if !ok {
		return
	}
	// Clients use it to tell a stream that a proxy holds back (nothing
	// within two heartbeats) from a quiet one.
	w.Header().Set("X-Menusync-Heartbeat", strconv.Itoa(int((s.cfg.Heartbeat+time.Second-1)/time.Second)))
	writeJSON(w, http.StatusOK, snap)
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
