package handlers

import (
	"context"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits are the abuse limits. A zero rate or count turns that limit off.
// Token buckets and stream counts are per replica (a client spread over N
// replicas by the proxy gets up to N times as much); the room-creation
// window is counted in Redis, so it holds across replicas.
type Limits struct {
	MemberRate  float64 // changes per second per member (choices, refresh, leave)
	MemberBurst int
	IPRate      float64 // changes per second per client address
	IPBurst     int
	// Reads: room snapshots, streams, long-polls and QR codes. A long-poll
	// loop or a reconnect loop is a read per call, so reads have their own
	// buckets, apart from changes.
	ReadMemberRate  float64
	ReadMemberBurst int
	ReadIPRate      float64
	ReadIPBurst     int
	// RoomsPerIPMinute caps rooms created per client IP per minute.
	RoomsPerIPMinute int
	StreamsPerIP     int // open streams and long-polls per client address
	StreamsPerRoom   int // open streams and long-polls per room
	// StreamsPerMember caps one member's open streams and long-polls, well
	// below the room's cap, so one token cannot lock a room.
	StreamsPerMember int
	// MaxTracked bounds each limiter's table of clients; past it, clients
	// not seen before share one bucket (MaxTrackedDefault when zero).
	MaxTracked int
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
}

// MaxTrackedDefault bounds a limiter's table: about 100 bytes an entry.
const MaxTrackedDefault = 100_000

// DefaultLimits suit a restaurant: many phones of many tables behind one
// Wi-Fi address, one proxy in front of the replicas on the same host.
func DefaultLimits() Limits {
	return Limits{
		MemberRate: 10, MemberBurst: 30,
		IPRate: 100, IPBurst: 200,
		ReadMemberRate: 5, ReadMemberBurst: 20,
		ReadIPRate: 50, ReadIPBurst: 100,
		RoomsPerIPMinute: 60,
		StreamsPerIP:     100,
		StreamsPerRoom:   256,
		StreamsPerMember: 4,
		TrustedProxies:   Loopback(),
	}
}

// Loopback is the default list of trusted proxies: a proxy on the same
// host. Anything wider (a private range) must be configured: a client in
// such a range could otherwise claim any address.
func Loopback() []netip.Prefix {
	return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// PrivateNetworks are loopback and private ranges: where a proxy in front
// of the replicas sits in compose or Kubernetes.
func PrivateNetworks() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

// WindowCounter counts events in fixed windows shared by all replicas.
type WindowCounter interface {
	CountInWindow(ctx context.Context, key string, window time.Duration) (count int64, resetIn time.Duration, err error)
}

// buckets is a set of token buckets by key. Idle buckets are dropped on
// a sweep, and the table never holds more than max keys: past it, new
// keys share one overflow bucket. So a flood of new addresses grows no
// memory and is limited as one client, while the clients already known
// keep their own buckets.
type buckets struct {
	rate  rate.Limit
	burst int
	max   int

	mu        sync.Mutex
	m         map[string]*bucket
	overflow  *bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

const bucketIdle = 5 * time.Minute

func newBuckets(perSecond float64, burst, maxKeys int) *buckets {
	if perSecond <= 0 {
		return nil
	}
	if maxKeys <= 0 {
		maxKeys = MaxTrackedDefault
	}
	b := &buckets{rate: rate.Limit(perSecond), burst: max(burst, 1), max: maxKeys, m: map[string]*bucket{}}
	b.overflow = &bucket{lim: rate.NewLimiter(b.rate, b.burst)}
	return b
}

// len is the number of keys tracked.
func (b *buckets) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.m)
}

// take spends one token; when none is left it says how long to wait.
func (b *buckets) take(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	if b == nil {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.lastSweep) > time.Minute {
		b.sweep(now, bucketIdle)
	}
	e := b.m[key]
	if e == nil && len(b.m) >= b.max && now.Sub(b.lastSweep) > time.Second {
		b.sweep(now, 10*time.Second) // full: forget the quiet ones sooner
	}
	switch {
	case e != nil:
	case len(b.m) < b.max:
		e = &bucket{lim: rate.NewLimiter(b.rate, b.burst)}
		b.m[key] = e
	default:
		e = b.overflow
	}
	e.seen = now
	r := e.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

func (b *buckets) sweep(now time.Time, idle time.Duration) {
	for k, e := range b.m {
		if now.Sub(e.seen) > idle {
			delete(b.m, k)
		}
	}
	b.lastSweep = now
}

// counts tracks open streams by key. Its keys are those of open streams,
// so the stream caps bound it.
type counts struct {
	max int
	mu  sync.Mutex
	m   map[string]int
}

func newCounts(limit int) *counts { return &counts{max: limit, m: map[string]int{}} }

func (c *counts) acquire(key string) bool {
	if c.max <= 0 {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[key] >= c.max {
		return false
	}
	c.m[key]++
	return true
}

func (c *counts) release(key string) {
	if c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[key]--; c.m[key] <= 0 {
		delete(c.m, key)
	}
}

// clientIP is the client's address as limits count it: an IPv4 address,
// or the /64 of an IPv6 one (one subscriber usually has a whole /64, so
// counting single IPv6 addresses would give them billions of buckets).
func (s *Server) clientIP(r *http.Request) string {
	a := s.clientAddr(r)
	if ip, err := netip.ParseAddr(a); err == nil && ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return a
}

// clientAddr is the peer address, or, when the peer is a trusted proxy,
// the right-most address in X-Forwarded-For that is not itself a trusted
// proxy.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if !s.trusted(peer) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		a = a.Unmap()
		if !s.trusted(a) {
			return a.String()
		}
		peer = a
	}
	return peer.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.limits.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// setRetryAfter says when to come back: whole seconds, rounded up, at
// least one (never sooner than the wait).
func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(d.Seconds(), 1)))))
}

func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, retryAfter time.Duration, detail string) {
	setRetryAfter(w, retryAfter)
	s.fail(w, r, newError(http.StatusTooManyRequests, codeRateLimited, detail))
}

// acquireStream takes a stream slot for the client's address, the member
// and the room, or says which cap is reached.
func (s *Server) acquireStream(ip string, id Identity) (release func(), detail string) {
	member := id.RoomID + "/" + id.MemberID
	if !s.streamsByIP.acquire(ip) {
		return nil, "too many open streams from this address"
	}
	if !s.streamsByMember.acquire(member) {
		s.streamsByIP.release(ip)
		return nil, "too many open streams for this member; close another tab or phone"
	}
	if !s.streamsByRoom.acquire(id.RoomID) {
		s.streamsByIP.release(ip)
		s.streamsByMember.release(member)
		return nil, "too many open streams in this room"
	}
	return func() {
		s.streamsByIP.release(ip)
		s.streamsByMember.release(member)
		s.streamsByRoom.release(id.RoomID)
	}, ""
}

// limitIP applies the per-address token bucket of changes.
func (s *Server) limitIP(next http.Handler) http.Handler {
	return s.limitBy(s.ipBuckets, func(r *http.Request) string { return s.clientIP(r) }, "too many requests from this address", next)
}

// limitMember applies the per-member token bucket of changes; it runs
// after auth.
func (s *Server) limitMember(next http.Handler) http.Handler {
	return s.limitBy(s.memberBuckets, memberKey, "too many changes from this member", next)
}

// limitReads applies the read buckets, per member then per address; it
// runs after auth.
func (s *Server) limitReads(next http.Handler) http.Handler {
	return s.limitBy(s.readMemberBuckets, memberKey, "too many requests from this member",
		s.limitBy(s.readIPBuckets, func(r *http.Request) string { return s.clientIP(r) }, "too many requests from this address", next))
}

func memberKey(r *http.Request) string {
	id := identityFrom(r.Context())
	return id.RoomID + "/" + id.MemberID
}

func (s *Server) limitBy(b *buckets, key func(*http.Request) string, detail string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := b.take(key(r), time.Now()); !ok {
			s.tooMany(w, r, wait, detail)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitRoomCreation caps rooms created per client IP per minute, counted
// in Redis so that every replica sees the same count.
func (s *Server) limitRoomCreation(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.limits.RoomsPerIPMinute > 0 && s.windows != nil {
			n, reset, err := s.windows.CountInWindow(r.Context(), "create:"+s.clientIP(r), time.Minute)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if n > int64(s.limits.RoomsPerIPMinute) {
				s.tooMany(w, r, reset, "too many rooms created from this address; the limit is "+strconv.Itoa(s.limits.RoomsPerIPMinute)+" a minute")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
