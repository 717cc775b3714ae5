package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

const (
	fastRoom   = "AAAAAAAAAAAAAAAAAAAAAA"
	fastMember = "0123456789abcdef"
)

var fastNow = time.Unix(1_700_000_000, 0)

func fastTokens(t testing.TB) *Tokens {
	tk, err := NewTokens([]byte(strings.Repeat("k", 32)), time.Hour, func() time.Time { return fastNow })
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// signed builds a token from raw header and claims JSON, signed with key
// by HMAC-SHA256 whatever the header says.
func signed(key []byte, header, claims string) string {
	enc := base64.RawURLEncoding
	s := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims))
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return s + "." + enc.EncodeToString(m.Sum(nil))
}

// sameAsLibrary fails unless the fast path (with its fallback) and the
// library alone agree on token at now.
func sameAsLibrary(t *testing.T, tk *Tokens, token string, now time.Time) (handled bool) {
	t.Helper()
	id, exp, ok, handled := tk.own.verify(token, now)
	if !handled {
		id, exp, ok = tk.parseLibrary(token, now)
	}
	lid, lexp, lok := tk.parseLibrary(token, now)
	if ok != lok || id != lid || !exp.Equal(lexp) {
		t.Fatalf("token %q at %v: fast (handled %v) %v %+v %v, library %v %+v %v",
			token, now.Unix(), handled, ok, id, exp, lok, lid, lexp)
	}
	return handled
}

// TestTokenFastPathIsIssuesForm: Issue writes the header ownHeader names
// and claims in the form ownClaims reads, so our own tokens never reach
// the library; if the signer changed shape this fails (the fallback
// would keep it correct, but slow).
func TestTokenFastPathIsIssuesForm(t *testing.T) {
	tk := fastTokens(t)
	tok, exp, err := tk.Issue(fastRoom, fastMember)
	if err != nil {
		t.Fatal(err)
	}
	id, gotExp, ok, handled := tk.own.verify(tok, fastNow)
	if !handled || !ok || id != (Identity{RoomID: fastRoom, MemberID: fastMember}) || !gotExp.Equal(exp) {
		t.Fatalf("own token %q: handled %v ok %v %+v exp %v (want %v)", tok, handled, ok, id, gotExp, exp)
	}
	if a := testing.AllocsPerRun(100, func() { tk.own.verify(tok, fastNow) }); a > 1 && !testproc.Race {
		t.Fatalf("%v allocations per check, want the ids' one", a)
	}
}

// TestTokenFastPathMatchesLibrary: over tokens of every kind of wrong,
// the fast path accepts exactly what the JWT library accepts, with the
// same identity and expiry.
func TestTokenFastPathMatchesLibrary(t *testing.T) {
	tk := fastTokens(t)
	key := tk.key
	good, _, _ := tk.Issue(fastRoom, fastMember)
	hs := `{"alg":"HS256","typ":"JWT"}`
	claims := func(exp string) string {
		return `{"rid":"` + fastRoom + `","sub":"` + fastMember + `","exp":` + exp + `,"iat":1699999000}`
	}
	e := "1700003600"
	parts := strings.Split(good, ".")
	flip := func(s string, i int) string {
		c := byte('A')
		if s[i] == 'A' {
			c = 'B'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	cases := map[string]string{
		"good":               good,
		"sig flipped":        flip(good, len(good)-2),
		"sig last char":      flip(good, len(good)-1),
		"claims flipped":     parts[0] + "." + flip(parts[1], 10) + "." + parts[2],
		"header flipped":     flip(parts[0], 5) + "." + parts[1] + "." + parts[2],
		"sig cut":            good[:len(good)-1],
		"sig empty":          parts[0] + "." + parts[1] + ".",
		"sig padded":         good + "=",
		"sig bad base64":     good[:len(good)-1] + "*",
		"sig newline":        good[:len(good)-3] + "\n" + good[len(good)-3:],
		"claims newline":     parts[0] + "." + parts[1][:5] + "\r\n" + parts[1][5:] + "." + parts[2],
		"claims bad base64":  parts[0] + ".!" + parts[1] + "." + parts[2],
		"extra segment":      good + ".x",
		"extra empty":        good + ".",
		"two segments":       parts[0] + "." + parts[1],
		"one segment":        parts[0],
		"empty":              "",
		"dots":               "..",
		"alg none":           base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".",
		"alg none signed":    signed(key, `{"alg":"none","typ":"JWT"}`, claims(e)),
		"alg HS384":          signed(key, `{"alg":"HS384","typ":"JWT"}`, claims(e)),
		"alg hs256":          signed(key, `{"alg":"hs256","typ":"JWT"}`, claims(e)),
		"header no typ":      signed(key, `{"alg":"HS256"}`, claims(e)),
		"header other order": signed(key, `{"typ":"JWT","alg":"HS256"}`, claims(e)),
		"header spaces":      signed(key, `{"alg":"HS256", "typ":"JWT"}`, claims(e)),
		"other key":          signed([]byte(strings.Repeat("q", 32)), hs, claims(e)),
		"expired":            signed(key, hs, claims("1700000000")),
		"expires next sec":   signed(key, hs, claims("1700000001")),
		"expired long ago":   signed(key, hs, claims("1")),
		"exp zero":           signed(key, hs, claims("0")),
		"exp leading zero":   signed(key, hs, claims("01700003600")),
		"exp fraction":       signed(key, hs, claims("1700003600.9")),
		"exp exponent":       signed(key, hs, claims("1.7000036e9")),
		"exp string":         signed(key, hs, claims(`"1700003600"`)),
		"exp negative":       signed(key, hs, claims("-1")),
		"exp null":           signed(key, hs, claims("null")),
		"exp huge":           signed(key, hs, claims("99999999999999999999")),
		"exp 15 digits":      signed(key, hs, claims("999999999999999")),
		"exp 16 digits":      signed(key, hs, claims("9999999999999999")),
		"no exp":             signed(key, hs, `{"rid":"`+fastRoom+`","sub":"`+fastMember+`","iat":1699999000}`),
		"nbf future":         signed(key, hs, `{"rid":"`+fastRoom+`","sub":"`+fastMember+`","exp":`+e+`,"nbf":1700000001,"iat":1}`),
		"nbf now":            signed(key, hs, `{"rid":"`+fastRoom+`","sub":"`+fastMember+`","exp":`+e+`,"nbf":1700000000,"iat":1}`),
		"iat future":         signed(key, hs, claims(e)[:len(claims(e))-11]+"1800000000}"),
		"no iat":             signed(key, hs, `{"rid":"`+fastRoom+`","sub":"`+fastMember+`","exp":`+e+`}`),
		"claims spaces":      signed(key, hs, `{"rid":"`+fastRoom+`", "sub":"`+fastMember+`","exp":`+e+`,"iat":1}`),
		"claims trailing":    signed(key, hs, claims(e)+" "),
		"claims garbage":     signed(key, hs, claims(e)+"x"),
		"claims twice":       signed(key, hs, claims(e)+claims(e)),
		"claims RID":         signed(key, hs, `{"RID":"`+fastRoom+`","sub":"`+fastMember+`","exp":`+e+`,"iat":1}`),
		"claims dup rid":     signed(key, hs, `{"rid":"`+fastRoom+`","sub":"`+fastMember+`","exp":`+e+`,"iat":1,"rid":"BBBBBBBBBBBBBBBBBBBBBB"}`),
		"claims escaped id":  signed(key, hs, `{"rid":"\u0041AAAAAAAAAAAAAAAAAAAAA","sub":"`+fastMember+`","exp":`+e+`,"iat":1}`),
		"room short":         signed(key, hs, `{"rid":"AAAA","sub":"`+fastMember+`","exp":`+e+`,"iat":1}`),
		"room bad char":      signed(key, hs, `{"rid":"AAAAAAAAAAAAAAAAAAAAA.","sub":"`+fastMember+`","exp":`+e+`,"iat":1}`),
		"member long":        signed(key, hs, `{"rid":"`+fastRoom+`","sub":"`+fastMember+`0","exp":`+e+`,"iat":1}`),
		"member empty":       signed(key, hs, `{"rid":"`+fastRoom+`","sub":"","exp":`+e+`,"iat":1}`),
		"claims array":       signed(key, hs, `[1]`),
		"claims empty":       signed(key, hs, ``),
		"header not json":    signed(key, `{"alg":"HS256"`, claims(e)),
	}
	fast := 0
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			for _, now := range []time.Time{fastNow, fastNow.Add(-time.Hour), fastNow.Add(time.Hour), time.Unix(1_700_003_599, 999_999_999)} {
				if sameAsLibrary(t, tk, tok, now) {
					fast++
				}
			}
		})
	}
	if fast < 40 {
		t.Fatalf("only %d checks took the fast path: the cases no longer test it", fast)
	}
}

// FuzzTokenFastPath: for any header, claims and signature, signed with
// our key or not, the fast path decides as the JWT library does.
func FuzzTokenFastPath(f *testing.F) {
	tk := fastTokens(f)
	good, _, _ := tk.Issue(fastRoom, fastMember)
	parts := strings.Split(good, ".")
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	f.Add(`{"alg":"HS256","typ":"JWT"}`, string(claims), byte(1), "")
	f.Add(`{"alg":"HS256","typ":"JWT"}`, string(claims), byte(3), "")
	f.Add(`{"alg":"none"}`, string(claims), byte(0), "")
	f.Add(`{"alg":"HS256","typ":"JWT"}`, `{"rid":"`+fastRoom+`","sub":"`+fastMember+`","exp":1700000000,"iat":1}`, byte(3), "")
	f.Add("", "", byte(4), good)
	f.Add("", "", byte(4), good+".")
	f.Fuzz(func(t *testing.T, header, claims string, mode byte, raw string) {
		var tok string
		switch {
		case mode&4 != 0:
			tok = raw
		case mode&1 != 0:
			tok = signed(tk.key, header, claims)
		default:
			tok = base64.RawURLEncoding.EncodeToString([]byte(header)) + "." +
				base64.RawURLEncoding.EncodeToString([]byte(claims)) + "." + raw
		}
		if mode&2 != 0 { // our exact header, the fast path's way in
			if _, rest, ok := strings.Cut(tok, "."); ok {
				tok = ownHeader + "." + rest
				if mode&1 != 0 {
					tok = signed(tk.key, `{"alg":"HS256","typ":"JWT"}`, claims)
				}
			}
		}
		sameAsLibrary(t, tk, tok, fastNow)
	})
}

// BenchmarkTokenVerify: a token never seen before (a storm's streams),
// by the fast path and by the library.
func BenchmarkTokenVerify(b *testing.B) {
	tk := fastTokens(b)
	tok, _, _ := tk.Issue(fastRoom, fastMember)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, ok, _ := tk.own.verify(tok, fastNow); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, ok := tk.parseLibrary(tok, fastNow); !ok {
				b.Fatal("refused")
			}
		}
	})
}
