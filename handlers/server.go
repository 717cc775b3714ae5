package handlers

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers/stream"
	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
)

// RoomStore is what the handlers need from the room store.
type RoomStore interface {
	Create(ctx context.Context, in rooms.CreateInput) (rooms.Created, error)
	Join(ctx context.Context, roomID, name string, o rooms.WriteOpts) (menusync.Member, rooms.Result, error)
	SetChoice(ctx context.Context, roomID, memberID string, in rooms.ChoiceInput, o rooms.WriteOpts) (rooms.ChoiceResult, error)
	Refresh(ctx context.Context, roomID, memberID string, o rooms.WriteOpts) (rooms.Result, error)
	Leave(ctx context.Context, roomID, actor, target string, keepChoices bool, o rooms.WriteOpts) (rooms.Result, error)
	Rename(ctx context.Context, roomID, memberID, name string, o rooms.WriteOpts) (string, rooms.Result, error)
	SetDone(ctx context.Context, roomID, memberID string, done bool, o rooms.WriteOpts) (rooms.Result, error)
	NameDish(ctx context.Context, roomID, memberID, menuID, lang, name string, o rooms.WriteOpts) (menusync.DishNameEvent, rooms.Result, error)
	UpdateRoom(ctx context.Context, roomID, actor string, in menusync.Settings, o rooms.WriteOpts) (rooms.Result, error)
	Close(ctx context.Context, roomID, actor, message string, o rooms.WriteOpts) (rooms.Result, error)
	ReplaceMenu(ctx context.Context, roomID, actor string, menu []menusync.MenuItem, o rooms.WriteOpts) ([]menusync.MenuItem, rooms.Result, error)
	Snapshot(ctx context.Context, roomID string) (*menusync.Snapshot, error)
	Exists(ctx context.Context, roomIDs ...string) ([]bool, error)
	MarkPresent(ctx context.Context, roomID string, c rooms.Conn, until time.Time) error
	RenewPresence(ctx context.Context, conns map[string][]rooms.Conn, until time.Time) ([]string, error)
}

// Menus reads menus people bring: pasted text and photos.
type Menus interface {
	// Annotate fills a dish's machine suggestions (glossary names,
	// romanization) in place.
	Annotate(it *menusync.MenuItem)
	// Parse reads pasted text (lines, CSV, JSON) into a draft.
	Parse(text, currency, lang string) menusync.Draft
	// Scan reads a photo into a draft; its errors are ocr's.
	Scan(ctx context.Context, r io.Reader, contentType, currency, lang string) (menusync.Draft, error)
	// ScanInfo says whether photos can be read, in which languages, and
	// how long a client should wait when scanning is busy.
	ScanInfo() ScanInfo
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

// Config holds the HTTP layer's settings. Their defaults are declared
// once, in internal/app's settings table; internal/app builds it.
type Config struct {
	Replica      string
	APIKey       string        // optional service key for POST /v1/rooms
	MaxBody      int64         // request body limit (MaxBody, fixed)
	Heartbeat    time.Duration // an event on idle streams
	WriteTimeout time.Duration // per write on a stream
	Retry        time.Duration // the stream's retry: hint (Retry, fixed)
	// MaxStreams caps open streams on this replica; past it new streams
	// get 503 with Retry-After so the proxy tries another replica (0: no cap).
	MaxStreams int64
	// ShedLatency and ShedPressure refuse new tables (503 + Retry-After)
	// while this replica's scheduler lag or delivery latency p99 is above
	// ShedLatency, or its CPU pressure (PSI, % of the time) is above
	// ShedPressure (0: not judged); see Shedder.
	ShedLatency  time.Duration
	ShedPressure float64
	// MaxStreamAge ends a stream after this long, jittered down by up to a
	// fifth, so load spreads over new replicas after a scale-out (0: never).
	MaxStreamAge time.Duration
	// DrainWindow spreads the end of open streams on Drain.
	DrainWindow time.Duration
	// PresenceGrace keeps a member online this long after their last
	// stream closed, so a reload or a blip does not flap.
	PresenceGrace time.Duration
	// BodyTimeout bounds reading a request body: a client that trickles
	// its body gets 408 instead of holding a goroutine.
	BodyTimeout time.Duration
	// RequestDeadline: a change without an Idempotency-Key is not carried
	// out later than this after the proxy's X-Request-Start.
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

// Fixed by the HTTP layer, not settings: the body limit matches the
// shipped nginx config's client_max_body_size, and the retry: hint is
// what browsers wait before reconnecting.
const (
	MaxBody = 64 << 10
	Retry   = 2 * time.Second
)

// Server holds the handlers' collaborators.
type Server struct {
	store  RoomStore
	menus  Menus
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
	streamCfg         stream.Config
	scanUploads       chan struct{} // photos being received (MaxScanUploads)
	shed              *Shedder      // nil: no load shedding
}

// New returns the HTTP layer. ready reports whether the store is reachable.
func New(store RoomStore, menus Menus, hub Hub, tokens *Tokens, ready func(context.Context) error, log *slog.Logger, cfg Config) *Server {
	// Every setting's default is declared once, in internal/app's table;
	// these are what the HTTP layer itself fixes.
	cfg.MaxBody = MaxBody
	cfg.Retry = Retry
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := cfg.Limits
	s := &Server{store: store, menus: menus, hub: hub, tokens: tokens, ready: ready, log: log, cfg: cfg,
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
		scanUploads:       make(chan struct{}, MaxScanUploads),
	}
	s.renewer.s = s
	s.streamCfg = stream.Config{Heartbeat: cfg.Heartbeat, WriteTimeout: cfg.WriteTimeout, Retry: cfg.Retry,
		MaxAge: cfg.MaxStreamAge, DrainWindow: cfg.DrainWindow, Delivered: cfg.Observer.Delivered}
	if cfg.ShedLatency > 0 || cfg.ShedPressure > 0 {
		s.shed = NewShedder(cfg.ShedLatency, cfg.ShedPressure)
		s.streamCfg.Delivered = s.observeDelivery
	}
	return s
}
