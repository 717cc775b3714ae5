package handlers

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// The operator's endpoints: liveness, readiness, metrics and the
// contract.

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Metrics == nil {
		s.fail(w, r, errNotFoundPath)
		return
	}
	s.cfg.Metrics.ServeHTTP(w, r)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "replica": s.cfg.Replica})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		s.fail(w, r, errDraining)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.fail(w, r, errors.Join(errStoreDown, err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "replica": s.cfg.Replica})
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(s.cfg.OpenAPI)
}
