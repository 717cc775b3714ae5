package handlers

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/menusync/menusync"
)

// roomPreview is what someone holding a table's link sees before they
// join: its name, menu and who is there. The link is the capability to
// join (and then see everything), so this shows nothing a joiner would
// not; it leaves out member ids, choices, presence and the host, and it
// changes nothing.
type roomPreview struct {
	Name           string              `json:"name"`
	Currency       string              `json:"currency,omitempty"`
	CurrencyDigits int                 `json:"currencyDigits"`
	Menu           []menusync.MenuItem `json:"menu"`
	Members        []previewMember     `json:"members"`
	Locked         bool                `json:"locked"`
	Closed         bool                `json:"closed"`
}

type previewMember struct {
	Name string `json:"name"`
	Done bool   `json:"done"`
}

func (s *Server) previewRoom(w http.ResponseWriter, r *http.Request) {
	snap, err := s.store.Snapshot(r.Context(), chi.URLParam(r, "roomId"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := roomPreview{
		Name: snap.Room.Name, Currency: snap.Room.Currency, CurrencyDigits: snap.Room.CurrencyDigits,
		Menu: snap.Room.Menu, Members: make([]previewMember, 0, len(snap.Members)),
		Locked: snap.Room.Locked, Closed: snap.Room.Closed,
	}
	for _, m := range snap.Members {
		p.Members = append(p.Members, previewMember{Name: m.Name, Done: m.Done})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, p)
}

// limitReadsByIP applies the read bucket of the client's address (for
// reads without a member).
func (s *Server) limitReadsByIP(next http.Handler) http.Handler {
	return s.limitBy(s.readIPBuckets, func(r *http.Request) string { return s.clientIP(r) }, "too many requests from this address", next)
}
