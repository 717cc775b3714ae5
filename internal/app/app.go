package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/glossary"
	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/menus"
	"github.com/menusync/menusync/internal/metrics"
	"github.com/menusync/menusync/ocr"
	"github.com/menusync/menusync/pubsub"
	"github.com/menusync/menusync/rooms"
	"github.com/menusync/menusync/web"
)

// App is one replica's parts, wired.
type App struct {
	Config  Config
	Log     *slog.Logger
	Redis   redis.UniversalClient
	Store   *rooms.Store
	Hub     *pubsub.Hub
	Tokens  *handlers.Tokens
	Server  *handlers.Server
	Metrics *metrics.Metrics
	// Mode is the kind of Redis: standalone, cluster or sentinel.
	Mode string

	// scripts is the store's retry-free client for its pipelined
	// scripts (nil on a cluster).
	scripts redis.UniversalClient
	hubDone chan struct{}
	closers []func()
}

// New wires a replica and starts its hub. Close undoes it.
func New(cfg Config, log *slog.Logger) (*App, error) {
	a := &App{Config: cfg, Log: log, hubDone: make(chan struct{})}
	redisURL, secret := cfg.RedisURL, cfg.Secret
	if redisURL == "" {
		url, stop, err := startEmbedded()
		if err != nil {
			return nil, err
		}
		a.closers = append(a.closers, stop)
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
		a.Close()
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	a.Mode = target.mode
	a.Redis = target.client("menusync-" + cfg.HTTP.Replica)
	a.closers = append(a.closers, func() { _ = a.Redis.Close() })
	if a.scripts = target.scriptClient("menusync-" + cfg.HTTP.Replica); a.scripts != nil {
		a.closers = append(a.closers, func() { _ = a.scripts.Close() })
	}
	key := sha256.Sum256([]byte(secret))
	if a.Tokens, err = handlers.NewTokens(key[:], cfg.TokenTTL, time.Now); err != nil {
		a.Close()
		return nil, err
	}
	if err := a.wire(target.mode == modeCluster); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// wire builds the store, the hub, the metrics and the HTTP layer.
func (a *App) wire(sharded bool) error {
	cfg := a.Config
	// On a cluster a room's publish must stay on its shard: SPUBLISH and
	// SSUBSCRIBE. A single Redis (or Sentinel's master) takes the classic
	// commands, which also run on the embedded store and Redis < 7.
	publish := rooms.PublishClassic
	if sharded {
		publish = rooms.PublishSharded
	}
	opts := []rooms.Option{rooms.WithRoomBudget(cfg.MaxRooms), rooms.WithTTL(cfg.RoomTTL, cfg.RoomTTLMax)}
	if a.scripts != nil {
		opts = append(opts, rooms.WithScriptClient(a.scripts))
	}
	if !cfg.PinScripts {
		opts = append(opts, rooms.WithoutPinning())
	}
	a.Store = rooms.NewStore(a.Redis, publish, time.Now, opts...)
	a.Hub = pubsub.New(pubsub.Config{Client: a.Redis, Store: a.Store, Logger: a.Log, Sharded: sharded, ExpiryInterval: cfg.ExpiryInterval})
	a.Metrics = metrics.New(a.Hub, &a.Hub.Stats)
	a.Redis.AddHook(a.Metrics.RedisHook())
	if a.scripts != nil {
		a.scripts.AddHook(a.Metrics.RedisHook())
	}
	go func() { defer close(a.hubDone); a.Hub.Run(context.Background()) }()
	a.closers = append(a.closers, func() { _ = a.Hub.Close(); <-a.hubDone })

	webFS, err := fs.Sub(web.Static, "static")
	if err != nil {
		return err
	}
	h := cfg.HTTP
	h.Windows, h.OpenAPI, h.Web = a.Store, menusync.OpenAPI, webFS
	h.Metrics, h.Observer = a.Metrics.Handler(), a.Metrics
	ready := func(ctx context.Context) error { return a.Redis.Ping(ctx).Err() }
	reader, err := a.menuReader()
	if err != nil {
		return err
	}
	a.Server = handlers.New(a.Store, reader, a.Hub, a.Tokens, ready, a.Log, h)
	if sh := a.Server.Shedder(); sh != nil {
		a.Metrics.WatchShedder(sh)
	}
	return nil
}

// menuReader reads pasted menus always, and photos when Tesseract and
// its language data are installed.
func (a *App) menuReader() (*menus.Reader, error) {
	var scanner *ocr.Tesseract
	if a.Config.OCR.Binary != "off" {
		t, err := ocr.New(a.Config.OCR)
		if err != nil {
			return nil, fmt.Errorf("MENUSYNC_TESSERACT: %w", err)
		}
		if t.Available() {
			a.Log.Info("menu photos are read with Tesseract", "languages", t.Languages())
			scanner = t
		} else {
			a.Log.Warn("menu photos are off: Tesseract is not usable", "err", t.Err())
		}
	}
	return menus.New(glossary.Default(), scanner), nil
}

// Close stops the hub and closes Redis (and the embedded store), in the
// reverse order of New: Redis last, after everything that uses it.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}
