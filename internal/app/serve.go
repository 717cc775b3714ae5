package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Serve serves the replica on ln until ctx ends, then drains: readiness
// off and new streams refused at once; REST keeps being served (without
// keep-alive, so the proxy stops reusing our connections) while open
// streams end spread over the drain window; then in-flight requests
// finish. The caller closes the App afterwards (Redis last).
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	cfg, log := a.Config, a.Log
	httpSrv := &http.Server{
		Handler:           a.Server.Routes(),
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		// WriteTimeout stays 0: streams live for hours; each stream write
		// has its own deadline instead.
		IdleTimeout:    90 * time.Second,
		MaxHeaderBytes: 16 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	go a.Server.Shedder().Run(ctx) // MENUSYNC_SHED_PRESSURE, MENUSYNC_SHED_LATENCY
	go returnStormMemory(ctx, log, a.Server.OpenStreams)
	if cfg.DebugAddr != "" {
		dbg, err := serveDebug(cfg.DebugAddr)
		if err != nil {
			_ = httpSrv.Close()
			return fmt.Errorf("MENUSYNC_DEBUG_ADDR: %w", err)
		}
		defer dbg.Close()
		log.Info("pprof listening", "addr", dbg.Addr)
	}
	log.Info("menusync listening", "addr", ln.Addr().String(), "redis", redactURL(cfg.RedisURL), "redis_mode", a.Mode)
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("draining", "window", cfg.HTTP.DrainWindow.String(), "streams", a.Server.OpenStreams())
	drained := a.Server.Drain()
	httpSrv.SetKeepAlivesEnabled(false)
	window := time.NewTimer(cfg.HTTP.DrainWindow + time.Second)
	select {
	case <-drained:
	case <-window.C:
		log.Warn("streams still open after the drain window", "streams", a.Server.OpenStreams())
	}
	window.Stop()
	sctx, cancel := context.WithTimeout(context.Background(), cfg.DrainTimeout)
	defer cancel()
	return httpSrv.Shutdown(sctx)
}
