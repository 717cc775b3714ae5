// Package handlers is menusync's HTTP layer: the REST API, the event
// stream, health endpoints and the served OpenAPI document. Every route is
// registered in Routes; every error leaves through statusOf.
package handlers

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
)

// RoomStore is what the handlers need from the room store.
type RoomStore interface {
	Create(ctx context.Context, in rooms.CreateInput) (rooms.Room, error)
	Join(ctx context.Context, roomID, name string, o rooms.WriteOpts) (rooms.Member, rooms.Result, error)
	SetChoice(ctx context.Context, roomID, memberID, menuID string, quantity int, o rooms.WriteOpts) (rooms.ChoiceResult, error)
	Refresh(ctx context.Context, roomID, memberID string, o rooms.WriteOpts) (rooms.Result, error)
	Leave(ctx context.Context, roomID, memberID, reason string, keepChoices bool, o rooms.WriteOpts) (rooms.Result, error)
	Snapshot(ctx context.Context, roomID string) (*rooms.Snapshot, error)
	Exists(ctx context.Context, roomIDs ...string) ([]bool, error)
	MarkPresent(ctx context.Context, roomID string, c rooms.Conn, until time.Time) error
	RenewPresence(ctx context.Context, conns map[string][]rooms.Conn, until time.Time) ([]string, error)
}

// Hub is what the event stream needs from the replica's pub/sub hub.
type Hub interface {
	Listen(ctx context.Context, roomID string) (*pubsub.Listener, error)
	SnapshotFrame(ctx context.Context, roomID string) (*pubsub.Frame, error)
	FirstSnapshot(ctx context.Context, roomID string, after time.Time) (*pubsub.Frame, error)
}

// Observer receives the events metrics are made of.
type Observer interface {
	StreamOpened()
	StreamEnded(reason string)
	StreamRefused(reason string)
	Delivered(publishedAt time.Time)
	Request(route, method string, status int)
}

type nopObserver struct{}

func (nopObserver) StreamOpened()               {}
func (nopObserver) StreamEnded(string)          {}
func (nopObserver) StreamRefused(string)        {}
func (nopObserver) Delivered(time.Time)         {}
func (nopObserver) Request(string, string, int) {}

// Config holds the HTTP layer's settings; zero values take the defaults.
type Config struct {
	Replica      string
	APIKey       string        // optional service key for POST /v1/rooms
	MaxBody      int64         // request body limit (64 KiB)
	Heartbeat    time.Duration // comment line on idle streams (15s)
	WriteTimeout time.Duration // per write on a stream (10s)
	Retry        time.Duration // the stream's retry: hint (2s)
	// MaxStreams caps open streams on this replica; past it new streams
	// get 503 with Retry-After so the proxy tries another replica (0: no cap).
	MaxStreams int64
	// MaxStreamAge ends a stream after this long, jittered down by up to a
	// fifth, so load spreads over new replicas after a scale-out (0: never).
	MaxStreamAge time.Duration
	// DrainWindow spreads the end of open streams on Drain (5s).
	DrainWindow time.Duration
	// PresenceGrace keeps a member online this long after their last
	// stream closed, so a reload or a blip does not flap (10s).
	PresenceGrace time.Duration
	// BodyTimeout bounds reading a request body (10s): a client that
	// trickles its body gets 408 instead of holding a goroutine.
	BodyTimeout time.Duration
	// RequestDeadline: a change without an Idempotency-Key is not carried
	// out later than this after the proxy's X-Request-Start
	// (DefaultRequestDeadline).
	RequestDeadline time.Duration
	// CORSOrigins allows browsers on these origins ("*" for any) to call
	// the API; empty turns CORS off.
	CORSOrigins []string
	// PublicURL is the address phones open (ParsePublicURL); nil: the
	// request's Host, when it is a sane host name.
	PublicURL *url.URL
	Limits    Limits
	Windows   WindowCounter // for Limits.RoomsPerIPMinute
	Web       fs.FS         // the browser app: index.html, app.js, app.css
	OpenAPI   []byte        // served at /openapi.yaml
	Metrics   http.Handler  // served at /metrics
	Observer  Observer
}

// MaxBodyDefault is the request body limit when Config.MaxBody is zero.
const MaxBodyDefault = 64 << 10

// Server holds the handlers' collaborators.
type Server struct {
	store  RoomStore
	hub    Hub
	tokens *Tokens
	ready  func(context.Context) error
	log    *slog.Logger
	cfg    Config

	draining     atomic.Bool
	shutdown     chan struct{}
	shutdownOnce sync.Once
	open         atomic.Int64  // streams open now
	drained      chan struct{} // closed when draining and no stream is open
	drainedOnce  sync.Once

	started           time.Time // dates the embedded web files for conditional requests
	limits            Limits
	windows           WindowCounter
	ipBuckets         *buckets
	memberBuckets     *buckets
	readIPBuckets     *buckets
	readMemberBuckets *buckets
	streamsByIP       *counts
	streamsByRoom     *counts
	streamsByMember   *counts
	renewer           renewer
	streams           streamSet
	public            *url.URL
	qr                qrCache
}

// New returns the HTTP layer. ready reports whether the store is reachable.
func New(store RoomStore, hub Hub, tokens *Tokens, ready func(context.Context) error, log *slog.Logger, cfg Config) *Server {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = MaxBodyDefault
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	if cfg.Retry <= 0 {
		cfg.Retry = 2 * time.Second
	}
	if cfg.DrainWindow <= 0 {
		cfg.DrainWindow = 5 * time.Second
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	if cfg.PresenceGrace <= 0 {
		cfg.PresenceGrace = 10 * time.Second
	}
	if cfg.BodyTimeout <= 0 {
		cfg.BodyTimeout = 10 * time.Second
	}
	if cfg.RequestDeadline <= 0 {
		cfg.RequestDeadline = DefaultRequestDeadline
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := cfg.Limits
	s := &Server{store: store, hub: hub, tokens: tokens, ready: ready, log: log, cfg: cfg,
		shutdown: make(chan struct{}), drained: make(chan struct{}), started: time.Now(),
		limits: l, windows: cfg.Windows,
		ipBuckets:         newBuckets(l.IPRate, l.IPBurst, l.MaxTracked),
		memberBuckets:     newBuckets(l.MemberRate, l.MemberBurst, l.MaxTracked),
		readIPBuckets:     newBuckets(l.ReadIPRate, l.ReadIPBurst, l.MaxTracked),
		readMemberBuckets: newBuckets(l.ReadMemberRate, l.ReadMemberBurst, l.MaxTracked),
		streamsByIP:       newCounts(l.StreamsPerIP),
		streamsByRoom:     newCounts(l.StreamsPerRoom),
		streamsByMember:   newCounts(l.StreamsPerMember),
		public:            cfg.PublicURL,
	}
	s.renewer.s = s
	return s
}

// Drain turns readiness off, refuses new streams and ends the open ones at
// random moments within DrainWindow, each with a jittered retry: hint, so
// their clients reconnect to other replicas without arriving all at once.
// The returned channel is closed when no stream is left.
func (s *Server) Drain() <-chan struct{} {
	s.draining.Store(true)
	s.shutdownOnce.Do(func() { close(s.shutdown) })
	s.streams.kickAll()
	s.checkDrained()
	return s.drained
}

func (s *Server) checkDrained() {
	if s.draining.Load() && s.open.Load() == 0 {
		s.drainedOnce.Do(func() { close(s.drained) })
	}
}

// OpenStreams is the number of streams open now.
func (s *Server) OpenStreams() int64 { return s.open.Load() }

// Routes registers every endpoint.
func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.replicaHeader, s.requestID, s.recoverer, s.accessLog, s.cors, middleware.GetHead, s.guardChanges())
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errNotFoundPath) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, errMethod) })

	r.Get("/", s.webFile("index.html", "text/html; charset=utf-8"))
	r.Get("/r/{roomId}", s.webFile("index.html", "text/html; charset=utf-8"))
	r.Get("/app.js", s.webFile("app.js", "text/javascript; charset=utf-8"))
	r.Get("/app.css", s.webFile("app.css", "text/css; charset=utf-8"))
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Get("/openapi.yaml", s.openapi)
	r.Get("/metrics", s.metrics)
	r.Get("/v1/config", s.config)

	r.Route("/v1/rooms", func(r chi.Router) {
		r.With(s.requireAPIKey, s.limitIP, s.limitRoomCreation).Post("/", s.createRoom)
		r.With(s.limitIP).Post("/{roomId}/members", s.joinRoom)
		r.Group(func(r chi.Router) {
			r.Use(s.requireMember)
			r.With(s.limitReads).Get("/{roomId}", s.getRoom)
			r.With(s.limitReads).Get("/{roomId}/qr.svg", s.roomQR)
			r.With(s.limitIP, s.limitMember).Post("/{roomId}/session", s.startSession)
			r.With(s.limitIP, s.limitMember).Post("/{roomId}/choices", s.setChoice)
			r.With(s.limitIP, s.limitMember).Post("/{roomId}/refresh", s.refreshRoom)
			r.With(s.limitIP, s.limitMember).Delete("/{roomId}/members/{memberId}", s.leaveRoom)
			r.With(s.limitReads).Get("/{roomId}/events", s.events)
			r.With(s.limitReads).Get("/{roomId}/changes", s.changes)
		})
	})
	return r
}
