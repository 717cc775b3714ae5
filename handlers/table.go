package handlers

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/rooms"
)

// The handlers of a dinner: choices with notes, members' own changes and
// the host's controls. The store decides who may do what (the host check
// is in the same atomic step as the change); these read the request.

type choiceRequest struct {
	MenuID   *string `json:"menuId"`
	Quantity *int    `json:"quantity"`
	Note     string  `json:"note"`
	Shared   bool    `json:"shared"`
}

type choiceResponse struct {
	Version uint64          `json:"version"`
	Epoch   string          `json:"epoch"`
	Choice  menusync.Choice `json:"choice"`
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
	in := rooms.ChoiceInput{MenuID: *req.MenuID, Quantity: *req.Quantity, Note: req.Note, Shared: req.Shared}
	res, err := s.store.SetChoice(r.Context(), id.RoomID, id.MemberID, in, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	replayed(w, res.Result)
	writeJSON(w, http.StatusOK, choiceResponse{Version: res.Version, Epoch: res.Epoch, Choice: res.Choice})
}

func replayed(w http.ResponseWriter, res rooms.Result) {
	if res.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
}

// targetMember reads {memberId}: "me" is the caller.
func targetMember(r *http.Request) string {
	id := identityFrom(r.Context())
	if t := chi.URLParam(r, "memberId"); t != "me" {
		return t
	}
	return id.MemberID
}

// removeMember takes a member out: a member themselves, or anyone by the
// host. ?choices=keep leaves their choices in the order; by default they
// go with them.
func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	keep := false
	switch r.URL.Query().Get("choices") {
	case "", "remove":
	case "keep":
		keep = true
	default:
		s.fail(w, r, errBadChoicesParam)
		return
	}
	s.change(w, r, func(o rooms.WriteOpts) (rooms.Result, error) {
		return s.store.Leave(r.Context(), id.RoomID, id.MemberID, targetMember(r), keep, o)
	})
}

// change runs a change that answers with the new position.
func (s *Server) change(w http.ResponseWriter, r *http.Request, do func(rooms.WriteOpts) (rooms.Result, error)) {
	o, err := s.writeOpts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := do(o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	replayed(w, res)
	writeJSON(w, http.StatusOK, versionOf(res))
}

type memberPatch struct {
	Name *string `json:"name"`
	Done *bool   `json:"done"`
}

// memberResponse is what changed, as the event says it: the name the
// member got, or whether they are done.
type memberResponse struct {
	MemberID string  `json:"memberId"`
	Name     *string `json:"name,omitempty"`
	Done     *bool   `json:"done,omitempty"`
	Version  uint64  `json:"version"`
	Epoch    string  `json:"epoch"`
}

// updateMember is a member's own change: their name, or done choosing.
func (s *Server) updateMember(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	if targetMember(r) != id.MemberID {
		s.fail(w, r, errNotYourself)
		return
	}
	var req memberPatch
	if err := s.decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if (req.Name == nil) == (req.Done == nil) {
		s.fail(w, r, menusync.Invalidf("send either name or done"))
		return
	}
	o, err := s.writeOpts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m := memberResponse{MemberID: id.MemberID, Done: req.Done}
	var res rooms.Result
	if req.Name != nil {
		var name string
		name, res, err = s.store.Rename(r.Context(), id.RoomID, id.MemberID, *req.Name, o)
		m.Name = &name
	} else {
		res, err = s.store.SetDone(r.Context(), id.RoomID, id.MemberID, *req.Done, o)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	replayed(w, res)
	m.Version, m.Epoch = res.Version, res.Epoch
	writeJSON(w, http.StatusOK, m)
}

// updateRoom is the host's settings: the table's name, the order's lock,
// service charge and tip, and handing the host role on.
func (s *Server) updateRoom(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	var req menusync.Settings
	if err := s.decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, func(o rooms.WriteOpts) (rooms.Result, error) {
		return s.store.UpdateRoom(r.Context(), id.RoomID, id.MemberID, req, o)
	})
}

type closeRequest struct {
	Reason string `json:"reason"`
}

// closeRoom ends the table for everyone (the host only).
func (s *Server) closeRoom(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	var req closeRequest
	if r.ContentLength != 0 {
		if err := s.decode(w, r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.change(w, r, func(o rooms.WriteOpts) (rooms.Result, error) {
		return s.store.Close(r.Context(), id.RoomID, id.MemberID, req.Reason, o)
	})
}

type menuRequest struct {
	Menu []menuItemInput `json:"menu"`
}

type menuResponse struct {
	Menu    []menusync.MenuItem `json:"menu"`
	Version uint64              `json:"version"`
	Epoch   string              `json:"epoch"`
}

// replaceMenu is the host's edit of the menu, in the room's currency.
func (s *Server) replaceMenu(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	var req menuRequest
	if err := s.decodeLimit(w, r, &req, MaxMenuBody); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Menu == nil {
		s.fail(w, r, menusync.Invalidf("menu is required"))
		return
	}
	o, err := s.writeOpts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	snap, err := s.store.Snapshot(r.Context(), id.RoomID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	menu, err := s.menuOf(req.Menu, snap.Room.Money())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	menu, res, err := s.store.ReplaceMenu(r.Context(), id.RoomID, id.MemberID, menu, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	replayed(w, res)
	writeJSON(w, http.StatusOK, menuResponse{Menu: menu, Version: res.Version, Epoch: res.Epoch})
}

type dishNameRequest struct {
	Name *string `json:"name"`
}

type dishNameResponse struct {
	menusync.DishNameEvent
	Version uint64 `json:"version"`
	Epoch   string `json:"epoch"`
}

// nameDish is any member's name for a dish in a language: a
// translation, or a correction of a suggestion, for everyone.
func (s *Server) nameDish(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	var req dishNameRequest
	if err := s.decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Name == nil {
		s.fail(w, r, menusync.Invalidf("name is required"))
		return
	}
	o, err := s.writeOpts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e, res, err := s.store.NameDish(r.Context(), id.RoomID, id.MemberID, chi.URLParam(r, "menuId"), chi.URLParam(r, "lang"), *req.Name, o)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	replayed(w, res)
	writeJSON(w, http.StatusOK, dishNameResponse{DishNameEvent: e, Version: res.Version, Epoch: res.Epoch})
}

// getOrder is the order for the staff: JSON, or text to copy with
// Accept: text/plain (or ?format=text).
func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	snap, ok := s.memberSnapshot(w, r)
	if !ok {
		return
	}
	o := menusync.Order(snap)
	if r.URL.Query().Get("format") == "text" || prefersText(r.Header.Get("Accept")) {
		w.Header().Set("Vary", "Accept")
		writeBody(w, http.StatusOK, "text/plain; charset=utf-8", []byte(o.Text()))
		return
	}
	w.Header().Set("Vary", "Accept")
	writeJSON(w, http.StatusOK, o)
}

// prefersText: the client asked for text/plain before any JSON.
func prefersText(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch strings.TrimSpace(mt) {
		case "text/plain":
			return true
		case "application/json", "*/*":
			return false
		}
	}
	return false
}
