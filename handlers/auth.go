package handlers

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/golang-jwt/jwt/v5"

	"github.com/menusync/menusync"
)

// Tokens issues and checks member tokens: HS256 JWTs scoped to one room
// and one member, with an expiry.
type Tokens struct {
	key []byte
	ttl time.Duration
	now func() time.Time

	own      ownVerifier
	verified verifiedTokens
}

// NewTokens returns a token issuer. The key must be at least 32 bytes.
func NewTokens(key []byte, ttl time.Duration, now func() time.Time) (*Tokens, error) {
	if len(key) < 32 {
		return nil, errors.New("token signing key must be at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{key: key, ttl: ttl, now: now, own: ownVerifier{key: key}}, nil
}

type claims struct {
	Room string `json:"rid"`
	jwt.RegisteredClaims
}

// Issue returns a token for memberID in roomID and its expiry.
func (t *Tokens) Issue(roomID, memberID string) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	c := claims{Room: roomID, RegisteredClaims: jwt.RegisteredClaims{
		Subject:   memberID,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return s, exp, nil
}

// expiry reads a valid token's expiry.
func (t *Tokens) expiry(token string) (time.Time, error) {
	var c claims
	if _, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithTimeFunc(t.now)); err != nil || c.ExpiresAt == nil {
		return time.Time{}, errBadToken
	}
	return c.ExpiresAt.Time, nil
}

// Identity is who a request acts as.
type Identity struct {
	RoomID   string
	MemberID string
}

// Parse checks a token's signature, algorithm and expiry. A token seen
// before (the same string) is not checked again until it expires: every
// request of a member carries the same token, and the check was a tenth
// of the replica's CPU per choice (BENCHMARKS.md).
func (t *Tokens) Parse(token string) (Identity, error) {
	if len(token) > 2048 {
		return Identity{}, errBadToken
	}
	now := t.now()
	if id, ok := t.verified.get(token, now); ok {
		return id, nil
	}
	id, exp, ok, handled := t.own.verify(token, now)
	if !handled {
		id, exp, ok = t.parseLibrary(token, now)
	}
	if !ok {
		return Identity{}, errBadToken
	}
	t.verified.put(token, id, exp)
	return id, nil
}

// parseLibrary is the full check by the JWT library, for any token not
// in Issue's own form, and the reference the fast path is tested
// against.
func (t *Tokens) parseLibrary(token string, now time.Time) (Identity, time.Time, bool) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	if err != nil || !menusync.ValidRoomID(c.Room) || !menusync.ValidMemberID(c.Subject) {
		return Identity{}, time.Time{}, false
	}
	return Identity{RoomID: c.Room, MemberID: c.Subject}, c.ExpiresAt.Time, true
}

// maxVerifiedTokens bounds the cache of verified tokens: about 300 bytes
// each, so at most ~10 MiB, as many as a replica's streams (20,000 by
// default) and then some.
const maxVerifiedTokens = 1 << 15

// verifiedTokens remembers tokens whose signature and claims were
// checked, by the whole token string: a different string (another claim,
// a flipped bit) is a miss and gets the full check. An entry is used only
// until the token's own expiry. Removed members are not its business:
// their tokens are refused where the room is read (the member must still
// be in it).
type verifiedTokens struct {
	mu sync.Mutex
	m  map[string]verifiedToken
}

type verifiedToken struct {
	id  Identity
	exp time.Time
}

func (v *verifiedTokens) get(token string, now time.Time) (Identity, bool) {
	v.mu.Lock()
	e, ok := v.m[token]
	v.mu.Unlock()
	if !ok || !now.Before(e.exp) {
		return Identity{}, false
	}
	return e.id, true
}

func (v *verifiedTokens) put(token string, id Identity, exp time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		v.m = make(map[string]verifiedToken)
	}
	if len(v.m) >= maxVerifiedTokens {
		// Full: forget one at random (map order is); a forgotten token
		// is only checked again.
		for k := range v.m {
			delete(v.m, k)
			break
		}
	}
	v.m[strings.Clone(token)] = verifiedToken{id: id, exp: exp}
}

type identityKey struct{}

func identityFrom(ctx context.Context) Identity {
	id, _ := ctx.Value(identityKey{}).(Identity)
	return id
}

// cookieName is per room, so one browser can be in several rooms.
func cookieName(roomID string) string { return "menusync_" + roomID }

// tokenFrom finds the token: the Authorization header first, then the
// cookie, which exists for EventSource (it cannot set headers). A token is
// never taken from the URL: URLs end up in logs (nginx's error log writes
// the whole request line), and a token is valid for days.
func tokenFrom(r *http.Request, roomID string) (string, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			return "", errBadToken
		}
		return strings.TrimSpace(tok), nil
	}
	if c, err := r.Cookie(cookieName(roomID)); err == nil && c.Value != "" {
		return c.Value, nil
	}
	return "", errNoToken
}

// roomID answers 404 for a path whose room id cannot be one, before
// anything looks it up: the one place room ids from paths are checked.
func (s *Server) roomID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !menusync.ValidRoomID(chi.URLParam(r, "roomId")) {
			s.fail(w, r, menusync.ErrNotFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireMember authenticates room endpoints: 401 without a valid token,
// 403 with another room's token.
func (s *Server) requireMember(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		roomID := chi.URLParam(r, "roomId")
		tok, err := tokenFrom(r, roomID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		id, err := s.tokens.Parse(tok)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if id.RoomID != roomID {
			s.fail(w, r, errOtherRoom)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, id)))
	})
}

// requireAPIKey guards room creation when a service key is configured.
func (s *Server) requireAPIKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.APIKey != "" {
			scheme, key, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if !strings.EqualFold(scheme, "Bearer") ||
				subtle.ConstantTimeCompare([]byte(strings.TrimSpace(key)), []byte(s.cfg.APIKey)) != 1 {
				s.fail(w, r, errBadAPIKey)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// startSession sets the member's cookie from their bearer token, for a
// client that has the token (kept from joining) but no cookie: the cookie
// is how EventSource authenticates.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request) {
	id := identityFrom(r.Context())
	tok, _ := tokenFrom(r, id.RoomID)
	exp := time.Now().Add(s.tokens.ttl)
	if c, err := s.tokens.expiry(tok); err == nil {
		exp = c
	}
	s.setTokenCookie(w, r, id.RoomID, tok, exp)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) setTokenCookie(w http.ResponseWriter, r *http.Request, roomID, token string, exp time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName(roomID),
		Value:    token,
		Path:     "/v1/rooms/" + roomID,
		Expires:  exp,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   isHTTPS(r),
	})
}

// isHTTPS reports whether the client reached us over TLS, directly or
// through a proxy that terminated it.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
