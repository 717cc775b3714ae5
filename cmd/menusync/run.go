package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/metrics"
	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
	"github.com/menusync/menusync/web"
)

// config is the server's configuration: environment first, flags override.
type config struct {
	addr         string
	debugAddr    string
	redisURL     string
	secret       string
	replica      string
	apiKey       string
	heartbeat    time.Duration
	tokenTTL     time.Duration
	logLevel     string
	logFormat    string
	drainWindow  time.Duration
	drainWait    time.Duration
	maxStreams   int64
	maxStreamAge time.Duration
	presence     time.Duration
	writeTimeout time.Duration
	headerTime   time.Duration
	bodyTime     time.Duration
	deadline     time.Duration
	roomTTL      time.Duration
	roomTTLMax   time.Duration
	maxRooms     int
	publicURL    string
	cors         []string
	limits       handlers.Limits
}

func parseConfig(args []string, getenv func(string) string) (config, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	host, _ := os.Hostname()
	var c config
	fs := flag.NewFlagSet("menusync", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", env("MENUSYNC_ADDR", ":8080"), "listen address (MENUSYNC_ADDR)")
	fs.StringVar(&c.debugAddr, "debug-addr", env("MENUSYNC_DEBUG_ADDR", ""), "serve net/http/pprof here (keep it on loopback); empty: off (MENUSYNC_DEBUG_ADDR)")
	fs.StringVar(&c.redisURL, "redis-url", env("REDIS_URL", ""), "Redis URL; empty runs an embedded single-replica store (REDIS_URL)")
	fs.StringVar(&c.replica, "replica", env("MENUSYNC_REPLICA", host), "replica name in X-Menusync-Replica (MENUSYNC_REPLICA)")
	fs.StringVar(&c.logLevel, "log-level", env("MENUSYNC_LOG_LEVEL", "info"), "debug, info, warn or error (MENUSYNC_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", env("MENUSYNC_LOG_FORMAT", ""), "json or text; default text on a terminal, json otherwise (MENUSYNC_LOG_FORMAT)")
	durations := []struct {
		p          *time.Duration
		flag, name string
		def, help  string
	}{
		{&c.heartbeat, "heartbeat", "MENUSYNC_HEARTBEAT", "15s", "heartbeat interval on idle streams"},
		{&c.drainWindow, "drain-window", "MENUSYNC_DRAIN_WINDOW", "5s", "on SIGTERM, open streams end spread over this window"},
		{&c.maxStreamAge, "max-stream-age", "MENUSYNC_MAX_STREAM_AGE", "0", "end streams after this long (jittered), so load rebalances; 0: never"},
		{&c.drainWait, "drain-timeout", "MENUSYNC_DRAIN_TIMEOUT", "15s", "after the window, how long shutdown waits for requests to finish"},
		{&c.tokenTTL, "token-ttl", "MENUSYNC_TOKEN_TTL", "168h", "lifetime of member tokens"},
		{&c.presence, "presence-grace", "MENUSYNC_PRESENCE_GRACE", "10s", "a member stays online this long after their last stream closed"},
		{&c.writeTimeout, "write-timeout", "MENUSYNC_WRITE_TIMEOUT", "10s", "a stream write that takes longer drops the client"},
		{&c.headerTime, "read-header-timeout", "MENUSYNC_READ_HEADER_TIMEOUT", "5s", "time allowed for request headers"},
		{&c.bodyTime, "body-timeout", "MENUSYNC_BODY_TIMEOUT", "10s", "time allowed for a request body"},
		{&c.roomTTL, "room-ttl", "MENUSYNC_ROOM_TTL", "3h", "a room lives this long after its last change when its creator asks for nothing else"},
		{&c.roomTTLMax, "room-ttl-max", "MENUSYNC_ROOM_TTL_MAX", "24h", "the longest life without activity a creator may ask for (ttlSeconds)"},
		{&c.deadline, "request-deadline", "MENUSYNC_REQUEST_DEADLINE", "10s", "a change without an Idempotency-Key is not carried out later than this after the proxy's X-Request-Start (keep it at the proxy's read timeout)"},
	}
	for _, d := range durations {
		v, err := time.ParseDuration(env(d.name, d.def))
		if err != nil {
			return c, fmt.Errorf("%s: %w", d.name, err)
		}
		fs.DurationVar(d.p, d.flag, v, d.help+" ("+d.name+")")
	}
	maxStreams, err := strconv.ParseInt(env("MENUSYNC_MAX_STREAMS", "20000"), 10, 64)
	if err != nil {
		return c, fmt.Errorf("MENUSYNC_MAX_STREAMS: %w", err)
	}
	fs.Int64Var(&c.maxStreams, "max-streams", maxStreams, "open streams per replica before new ones get 503; 0: no cap (MENUSYNC_MAX_STREAMS)")
	maxRooms, err := strconv.Atoi(env("MENUSYNC_MAX_ROOMS", "100000"))
	if err != nil || maxRooms < 0 {
		return c, errors.New("MENUSYNC_MAX_ROOMS: want a count (0 turns it off)")
	}
	fs.IntVar(&c.maxRooms, "max-rooms", maxRooms, "rooms open at once across every replica (counted in Redis); past it creating one gets 503; 0: no cap (MENUSYNC_MAX_ROOMS)")
	fs.StringVar(&c.publicURL, "public-url", env("MENUSYNC_PUBLIC_URL", ""), "the address phones open, for share links and QR codes, e.g. https://menusync.example; empty: the request's Host (MENUSYNC_PUBLIC_URL)")
	c.limits = handlers.DefaultLimits()
	floats := []struct {
		p    *float64
		name string
	}{{&c.limits.MemberRate, "MENUSYNC_RATE_MEMBER"}, {&c.limits.IPRate, "MENUSYNC_RATE_IP"},
		{&c.limits.ReadMemberRate, "MENUSYNC_RATE_READ_MEMBER"}, {&c.limits.ReadIPRate, "MENUSYNC_RATE_READ_IP"}}
	for _, f := range floats {
		if v := getenv(f.name); v != "" {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n < 0 {
				return c, fmt.Errorf("%s: want a rate per second (0 turns it off)", f.name)
			}
			*f.p = n
		}
	}
	ints := []struct {
		p    *int
		name string
	}{
		{&c.limits.MemberBurst, "MENUSYNC_RATE_MEMBER_BURST"}, {&c.limits.IPBurst, "MENUSYNC_RATE_IP_BURST"},
		{&c.limits.ReadMemberBurst, "MENUSYNC_RATE_READ_MEMBER_BURST"}, {&c.limits.ReadIPBurst, "MENUSYNC_RATE_READ_IP_BURST"},
		{&c.limits.StreamsPerMember, "MENUSYNC_STREAMS_PER_MEMBER"},
		{&c.limits.RoomsPerIPMinute, "MENUSYNC_ROOMS_PER_IP_MINUTE"},
		{&c.limits.StreamsPerIP, "MENUSYNC_STREAMS_PER_IP"}, {&c.limits.StreamsPerRoom, "MENUSYNC_STREAMS_PER_ROOM"},
	}
	for _, i := range ints {
		if v := getenv(i.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return c, fmt.Errorf("%s: want a count (0 turns it off)", i.name)
			}
			*i.p = n
		}
	}
	if v := getenv("MENUSYNC_TRUSTED_PROXIES"); v != "" {
		c.limits.TrustedProxies = nil
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p == "" || p == "none" {
				continue
			}
			pfx, err := netip.ParsePrefix(p)
			if err != nil {
				return c, fmt.Errorf("MENUSYNC_TRUSTED_PROXIES: %w", err)
			}
			c.limits.TrustedProxies = append(c.limits.TrustedProxies, pfx)
		}
	}
	for _, o := range strings.Split(getenv("MENUSYNC_CORS_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.cors = append(c.cors, strings.TrimRight(o, "/"))
		}
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	// Secrets only from the environment: flags show up in ps.
	c.secret = getenv("MENUSYNC_SECRET")
	c.apiKey = getenv("MENUSYNC_API_KEY")
	if c.redisURL != "" && c.secret == "" {
		return c, errors.New("MENUSYNC_SECRET is required when REDIS_URL is set: every replica must sign tokens with the same key")
	}
	if c.secret != "" && len(c.secret) < 16 {
		return c, errors.New("MENUSYNC_SECRET must be at least 16 characters")
	}
	if c.heartbeat < 100*time.Millisecond || c.heartbeat > 15*time.Second {
		return c, errors.New("heartbeat must be between 100ms and 15s (proxies cut idle streams at 60s)")
	}
	if c.drainWindow <= 0 || c.maxStreamAge < 0 || c.maxStreams < 0 || c.drainWait <= 0 || c.tokenTTL <= 0 ||
		c.writeTimeout <= 0 || c.headerTime <= 0 || c.bodyTime <= 0 || c.presence <= 0 || c.deadline <= 0 ||
		c.roomTTL < time.Second || c.roomTTLMax < c.roomTTL {
		return c, errors.New("timeouts, windows and the token TTL must be positive; max stream age and max streams not negative; the room TTL at least 1s and at most MENUSYNC_ROOM_TTL_MAX")
	}
	if _, err := handlers.ParsePublicURL(c.publicURL); err != nil {
		return c, fmt.Errorf("MENUSYNC_PUBLIC_URL: %w", err)
	}
	return c, nil
}

// newLogger writes text to a terminal and JSON elsewhere (containers, log
// collectors), unless told otherwise.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level: %w", err)
	}
	if format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want json or text", format)
}

// run wires the server and serves until ctx ends, then drains.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(getenv)
	}
	if len(args) > 0 {
		if _, ok := subcommands[args[0]]; ok {
			return runClient(ctx, args[0], args[1:], getenv, stdout)
		}
	}
	cfg, err := parseConfig(args, getenv)
	if err != nil {
		return err
	}
	log, err := newLogger(stdout, cfg.logLevel, cfg.logFormat)
	if err != nil {
		return err
	}
	log = log.With("replica", cfg.replica)

	redisURL, secret := cfg.redisURL, cfg.secret
	if redisURL == "" {
		url, stop, err := startEmbedded(ctx)
		if err != nil {
			return err
		}
		defer stop()
		redisURL = url
		log.Warn("REDIS_URL is not set: using an embedded in-process store; this mode is single-replica only and keeps nothing across restarts")
		if secret == "" {
			var b [32]byte
			_, _ = rand.Read(b[:])
			secret = hex.EncodeToString(b[:])
			log.Info("MENUSYNC_SECRET is not set: tokens are signed with a random key and end with this process")
		}
	}
	target, err := parseRedisURL(redisURL)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := target.client("menusync-" + cfg.replica)
	defer rdb.Close() // last: after the hub and every request are done
	// On a cluster a room's publish must stay on its shard: SPUBLISH and
	// SSUBSCRIBE. A single Redis (or Sentinel's master) takes the classic
	// commands, which also run on the embedded store and Redis < 7.
	publish, sharded := rooms.PublishClassic, target.mode == modeCluster
	if sharded {
		publish = rooms.PublishSharded
	}

	key := sha256.Sum256([]byte(secret))
	tokens, err := handlers.NewTokens(key[:], cfg.tokenTTL, time.Now)
	if err != nil {
		return err
	}
	store := rooms.NewStore(rdb, publish, time.Now, rooms.WithRoomBudget(cfg.maxRooms), rooms.WithTTL(cfg.roomTTL, cfg.roomTTLMax))
	public, _ := handlers.ParsePublicURL(cfg.publicURL) // checked in parseConfig
	hub := pubsub.New(pubsub.Config{Client: rdb, Store: store, Logger: log, Sharded: sharded})
	mx := metrics.New(hub, &hub.Stats)
	rdb.AddHook(mx.RedisHook())
	hubDone := make(chan struct{})
	go func() { defer close(hubDone); hub.Run(context.WithoutCancel(ctx)) }()

	webFS, err := fs.Sub(web.Static, "static")
	if err != nil {
		return err
	}
	srv := handlers.New(store, hub, tokens, func(ctx context.Context) error { return rdb.Ping(ctx).Err() }, log, handlers.Config{
		Replica:         cfg.replica,
		APIKey:          cfg.apiKey,
		Heartbeat:       cfg.heartbeat,
		MaxStreams:      cfg.maxStreams,
		MaxStreamAge:    cfg.maxStreamAge,
		DrainWindow:     cfg.drainWindow,
		WriteTimeout:    cfg.writeTimeout,
		PresenceGrace:   cfg.presence,
		BodyTimeout:     cfg.bodyTime,
		RequestDeadline: cfg.deadline,
		PublicURL:       public,
		CORSOrigins:     cfg.cors,
		Limits:          cfg.limits,
		Windows:         store,
		OpenAPI:         menusync.OpenAPI,
		Web:             webFS,
		Metrics:         mx.Handler(),
		Observer:        mx,
	})
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		_ = hub.Close()
		return err
	}
	httpSrv := &http.Server{
		Handler:           srv.Routes(),
		ReadHeaderTimeout: cfg.headerTime,
		// WriteTimeout stays 0: streams live for hours; each stream write
		// has its own deadline instead.
		IdleTimeout:    90 * time.Second,
		MaxHeaderBytes: 16 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()
	if cfg.debugAddr != "" {
		dbg, err := serveDebug(cfg.debugAddr)
		if err != nil {
			_ = hub.Close()
			return fmt.Errorf("MENUSYNC_DEBUG_ADDR: %w", err)
		}
		defer dbg.Close()
		log.Info("pprof listening", "addr", dbg.Addr)
	}
	log.Info("menusync listening", "addr", ln.Addr().String(), "redis", redactURL(cfg.redisURL), "redis_mode", target.mode)

	select {
	case err := <-serveErr:
		_ = hub.Close()
		return err
	case <-ctx.Done():
	}
	// Drain: readiness off and new streams refused at once; REST keeps
	// being served (without keep-alive, so the proxy stops reusing our
	// connections) while open streams end spread over the window; then
	// in-flight requests finish, and Redis closes last.
	log.Info("draining", "window", cfg.drainWindow.String(), "streams", srv.OpenStreams())
	drained := srv.Drain()
	httpSrv.SetKeepAlivesEnabled(false)
	window := time.NewTimer(cfg.drainWindow + time.Second)
	select {
	case <-drained:
	case <-window.C:
		log.Warn("streams still open after the drain window", "streams", srv.OpenStreams())
	}
	window.Stop()
	sctx, cancel := context.WithTimeout(context.Background(), cfg.drainWait)
	defer cancel()
	err = httpSrv.Shutdown(sctx)
	_ = hub.Close()
	<-hubDone
	log.Info("stopped")
	return err
}

// healthcheck is the container's probe (the image has no curl): it asks
// this process's /healthz over loopback.
func healthcheck(getenv func(string) string) error {
	addr := getenv("MENUSYNC_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("MENUSYNC_ADDR: %w", err)
	}
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz: %s", resp.Status)
	}
	return nil
}

// redactURL hides passwords in a Redis URL (the userinfo's and a
// sentinel_password option) before it is logged.
func redactURL(u string) string {
	if u == "" {
		return "embedded"
	}
	if at := strings.LastIndex(u, "@"); at >= 0 {
		if scheme := strings.Index(u, "://"); scheme >= 0 && scheme < at {
			u = u[:scheme+3] + "***" + u[at:]
		}
	}
	if i := strings.Index(u, "sentinel_password="); i >= 0 {
		end := strings.IndexByte(u[i:], '&')
		rest := ""
		if end >= 0 {
			rest = u[i+end:]
		}
		u = u[:i] + "sentinel_password=***" + rest
	}
	return u
}
