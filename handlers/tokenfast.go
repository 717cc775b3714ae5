package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"strings"
	"sync"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/ownjson"
)

// ownHeader is the header segment Issue writes: base64url of
// {"alg":"HS256","typ":"JWT"}. A token with exactly this header and
// claims in exactly Issue's shape is checked by verifyOwn without the
// JWT library; any other token goes to the library, so the set of
// accepted tokens is the library's (FuzzTokenFastPath holds the two
// side by side). In a storm every stream brings a token not seen
// before and the library's generic decoding (a header map, reflection,
// NumericDate through json.Number) was a tenth of the replica's CPU.
const ownHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

// verifyScratch is one HMAC and the buffers for one check, pooled: a
// check allocates only the identity's strings.
type verifyScratch struct {
	mac hash.Hash
	tok []byte // the token's bytes, so nothing converts strings
	buf []byte // a decoded segment
	sum [sha256.Size]byte
}

type ownVerifier struct {
	key  []byte
	pool sync.Pool
}

func (v *ownVerifier) scratch() *verifyScratch {
	if s, _ := v.pool.Get().(*verifyScratch); s != nil {
		return s
	}
	return &verifyScratch{mac: hmac.New(sha256.New, v.key), tok: make([]byte, 0, 512), buf: make([]byte, 0, 512)}
}

// verify checks a token in Issue's own form. handled is false when the
// token is not in that form (the caller asks the library); otherwise ok
// tells whether it is valid at now, as the library would: signature by
// HMAC-SHA256 with hmac.Equal, base64url without padding (not strict,
// like the library's default), exp required and now before it (no
// leeway), no nbf in this form, iat not checked (the library does not by
// default).
func (v *ownVerifier) verify(token string, now time.Time) (id Identity, exp time.Time, ok, handled bool) {
	head, rest, found := strings.Cut(token, ".")
	if !found || head != ownHeader {
		return Identity{}, time.Time{}, false, false
	}
	body, sig, found := strings.Cut(rest, ".")
	if !found || strings.IndexByte(sig, '.') >= 0 {
		return Identity{}, time.Time{}, false, false
	}
	s := v.scratch()
	defer v.pool.Put(s)
	s.tok = append(s.tok[:0], token...)
	signed := s.tok[:len(head)+1+len(body)]
	bodyB := signed[len(head)+1:]
	sigB := s.tok[len(signed)+1:]

	// The signature first: a forged token costs one HMAC and no decoding.
	// With our header the library would refuse a bad signature too.
	n := base64.RawURLEncoding.DecodedLen(len(sig))
	s.buf = append(s.buf[:0], make([]byte, n)...)
	n, err := base64.RawURLEncoding.Decode(s.buf, sigB)
	if err != nil {
		return Identity{}, time.Time{}, false, true
	}
	s.mac.Reset()
	s.mac.Write(signed)
	if !hmac.Equal(s.buf[:n], s.mac.Sum(s.sum[:0])) {
		return Identity{}, time.Time{}, false, true
	}

	n = base64.RawURLEncoding.DecodedLen(len(body))
	s.buf = append(s.buf[:0], make([]byte, n)...)
	n, err = base64.RawURLEncoding.Decode(s.buf, bodyB)
	if err != nil {
		return Identity{}, time.Time{}, false, true
	}
	room, member, expSec, shaped := ownClaims(s.buf[:n])
	if !shaped {
		// Signed by us but in another shape (an older signer?): the
		// library decides.
		return Identity{}, time.Time{}, false, false
	}
	exp = time.Unix(expSec, 0)
	if !now.Before(exp) || !menusync.ValidRoomID(room) || !menusync.ValidMemberID(member) {
		return Identity{}, time.Time{}, false, true
	}
	return Identity{RoomID: room, MemberID: member}, exp, true, true
}

// ownClaims reads claims in exactly the form Issue writes,
// {"rid":"…","sub":"…","exp":N,"iat":N}, with ids of URL-safe characters
// only (so no escapes) and whole numbers below 10^15 (exact in the
// float64 the library goes through). Anything else is not ours to
// decide.
func ownClaims(b []byte) (room, member string, exp int64, ok bool) {
	p := ownParser{ownjson.Cursor[[]byte]{B: b}}
	if !p.Lit(`{"rid":"`) {
		return
	}
	r0, r1 := p.id()
	if !p.Lit(`","sub":"`) {
		return
	}
	m0, m1 := p.id()
	if !p.Lit(`","exp":`) {
		return
	}
	exp, ok = p.num()
	if !ok || !p.Lit(`,"iat":`) {
		return "", "", 0, false
	}
	if _, ok = p.num(); !ok || !p.Lit(`}`) || p.I != len(b) {
		return "", "", 0, false
	}
	s := string(b[r0:m1]) // one allocation for both ids
	return s[:r1-r0], s[m0-r0:], exp, true
}

type ownParser struct{ ownjson.Cursor[[]byte] }

// id skips URL-safe characters; the literal after it checks the quote.
func (p *ownParser) id() (start, end int) {
	start = p.I
	for p.I < len(p.B) && urlSafeByte(p.B[p.I]) {
		p.I++
	}
	return start, p.I
}

// num reads a whole number below 10^15 (exact in the float64 the library
// goes through).
func (p *ownParser) num() (int64, bool) {
	n, ok := p.Uint(15)
	return int64(n), ok
}

func urlSafeByte(c byte) bool {
	return c == '-' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
