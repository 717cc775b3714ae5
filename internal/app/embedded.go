package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// startEmbedded runs the in-process store used when REDIS_URL is unset
// (one replica, nothing kept across restarts) and returns its URL. It
// listens on loopback, where any local process could connect and write
// into rooms: a password of this process's own keeps them out.
func startEmbedded() (url string, stop func(), err error) {
	mr, err := miniredis.Run()
	if err != nil {
		return "", nil, fmt.Errorf("embedded store: %w", err)
	}
	var pw [16]byte
	_, _ = rand.Read(pw[:])
	mr.RequireAuth(hex.EncodeToString(pw[:]))
	ctx, cancel := context.WithCancel(context.Background())
	go advanceClock(ctx, mr)
	return "redis://:" + hex.EncodeToString(pw[:]) + "@" + mr.Addr(), func() { cancel(); mr.Close() }, nil
}

// advanceClock makes the embedded store's TTLs run in real time: miniredis
// only expires keys when told time has passed.
func advanceClock(ctx context.Context, mr *miniredis.Miniredis) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			mr.FastForward(time.Second)
		}
	}
}
