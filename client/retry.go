package client

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Every POST carries an Idempotency-Key, and a retry sends the same one:
// a request that timed out or got a 502/503/504 may still have happened
// (or may still happen, late, on a replica that was frozen), and the key
// makes the server answer a retry, or a late copy, with the first
// outcome instead of doing it again.
const (
	maxAttempts  = 4
	firstBackoff = 200 * time.Millisecond
	maxBackoff   = 3 * time.Second
)

func newKey() string {
	var b [16]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// post runs one change with a fresh key, retrying transient failures
// with the same key, and decodes the answer when it has the expected
// status.
func post[T any](ctx context.Context, want int, call func(key string) (*http.Response, []byte, error)) (*T, error) {
	key := newKey()
	wait := firstBackoff
	for attempt := 1; ; attempt++ {
		resp, body, err := call(key)
		if err == nil && resp.StatusCode == want {
			var v T
			if err := json.Unmarshal(body, &v); err != nil {
				return nil, fmt.Errorf("decode answer: %w", err)
			}
			return &v, nil
		}
		if err == nil {
			err = apiError(resp, body)
		}
		if attempt == maxAttempts || !transient(err) || ctx.Err() != nil {
			return nil, err
		}
		d := wait + rand.N(wait/2)
		if resp != nil {
			if s, _ := strconv.Atoi(resp.Header.Get("Retry-After")); s > 0 {
				d = min(time.Duration(s)*time.Second, maxBackoff)
			}
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		wait = min(wait*2, maxBackoff)
	}
}

// transient reports whether a retry may succeed: the network failed, or
// the server (or a proxy) said to try again.
func transient(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		switch e.Status {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}
