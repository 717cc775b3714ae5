package handlers

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// scanPath takes photos, not JSON (see guardChanges).
const scanPath = "/v1/menus/scan"

// Routes registers every endpoint.
func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.replicaHeader, s.requestID, s.recoverer, s.accessLog, s.cors, middleware.GetHead, s.guardChanges(scanPath))
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errNotFoundPath) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errMethod) })

	r.Get("/", s.webFile("index.html", "text/html; charset=utf-8"))
	r.Get("/r/{roomId}", s.webFile("index.html", "text/html; charset=utf-8"))
	r.Get("/app.js", s.webFile("app.js", "text/javascript; charset=utf-8"))
	r.Get("/app.css", s.webFile("app.css", "text/css; charset=utf-8"))
	r.Get("/manifest.webmanifest", s.webFile("manifest.webmanifest", "application/manifest+json"))
	r.Get("/icon.svg", s.webFile("icon.svg", "image/svg+xml"))
	r.Get("/icon-192.png", s.webFile("icon-192.png", "image/png"))
	r.Get("/icon-512.png", s.webFile("icon-512.png", "image/png"))
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Get("/openapi.yaml", s.openapi)
	r.Get("/metrics", s.metrics)
	r.Get("/v1/config", s.config)

	r.With(s.limitIP).Post("/v1/menus/parse", s.parseMenu)
	r.With(s.limitIP).Post(scanPath, s.scanMenu)
	r.With(s.requireAPIKey, s.limitIP, s.limitRoomCreation).Post("/v1/rooms", s.createRoom)
	r.Route("/v1/rooms/{roomId}", func(r chi.Router) {
		r.Use(s.roomID, middleware.GetHead)
		r.With(s.limitIP).Post("/members", s.joinRoom)
		r.With(s.limitReadsByIP).Get("/preview", s.previewRoom)
		r.Group(func(r chi.Router) {
			r.Use(s.requireMember)
			r.With(s.limitReads).Get("/", s.getRoom)
			r.With(s.limitReads).Get("/qr.svg", s.roomQR)
			r.With(s.limitReads).Get("/events", s.events)
			r.With(s.limitReads).Get("/changes", s.changes)
			r.With(s.limitIP, s.limitMember).Post("/session", s.startSession)
			r.With(s.limitIP, s.limitMember).Post("/choices", s.setChoice)
			r.With(s.limitIP, s.limitMember).Post("/refresh", s.refreshRoom)
			r.With(s.limitReads).Get("/order", s.getOrder)
			r.Group(func(r chi.Router) {
				r.Use(s.limitIP, s.limitMember)
				r.Patch("/", s.updateRoom)
				r.Post("/close", s.closeRoom)
				r.Put("/menu", s.replaceMenu)
				r.Put("/menu/{menuId}/names/{lang}", s.nameDish)
				r.Patch("/members/{memberId}", s.updateMember)
				r.Delete("/members/{memberId}", s.removeMember)
			})
		})
	})
	return r
}
