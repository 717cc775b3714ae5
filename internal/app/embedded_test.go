package app

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestEmbeddedStoreNeedsItsPassword: another local process that finds the
// embedded store's port cannot read or write it.
func TestEmbeddedStoreNeedsItsPassword(t *testing.T) {
	ctx := context.Background()
	raw, stop, err := startEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	u, _ := url.Parse(raw)
	stranger := redis.NewClient(&redis.Options{Addr: u.Host})
	defer stranger.Close()
	if err := stranger.Set(ctx, "room:{x}", "evil", 0).Err(); err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Fatalf("a write without the password: %v", err)
	}
	opts, _ := redis.ParseURL(raw)
	owner := redis.NewClient(opts)
	defer owner.Close()
	if err := owner.Ping(ctx).Err(); err != nil {
		t.Fatalf("the process itself: %v", err)
	}
}
