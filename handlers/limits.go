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
	MemberRate  float64 // POSTs per second per member (choices, refresh)
	MemberBurst int
	IPRate      float64 // POSTs per second per client IP
	IPBurst     int
	// RoomsPerIPMinute caps rooms created per client IP per minute.
	RoomsPerIPMinute int
	StreamsPerIP     int // open streams per client IP
	StreamsPerRoom   int // open streams per room
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
}

// DefaultLimits suit a restaurant table behind one proxy.
func DefaultLimits() Limits {
	return Limits{
		MemberRate: 10, MemberBurst: 30,
		IPRate: 100, IPBurst: 200,
		RoomsPerIPMinute: 60,
		StreamsPerIP:     100,
		StreamsPerRoom:   256,
		TrustedProxies:   PrivateNetworks(),
	}
}

// PrivateNetworks are loopback and private ranges: where a proxy in front
// of the replicas normally sits (compose, Kubernetes).
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
// a sweep, so the map stays bounded by the clients of the last minutes.
type buckets struct {
	rate  rate.Limit
	burst int

	mu        sync.Mutex
	m         map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

const bucketIdle = 5 * time.Minute

func newBuckets(perSecond float64, burst int) *buckets {
	if perSecond <= 0 {
		return nil
	}
	return &buckets{rate: rate.Limit(perSecond), burst: max(burst, 1), m: map[string]*bucket{}}
}

// take spends one token; when none is left it says how long to wait.
func (b *buckets) take(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	if b == nil {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.lastSweep) > time.Minute {
		for k, e := range b.m {
			if now.Sub(e.seen) > bucketIdle {
				delete(b.m, k)
			}
		}
		b.lastSweep = now
	}
	e := b.m[key]
	if e == nil {
		e = &bucket{lim: rate.NewLimiter(b.rate, b.burst)}
		b.m[key] = e
	}
	e.seen = now
	r := e.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// counts tracks open streams by key.
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

// clientIP is the peer address, or, when the peer is a trusted proxy, the
// right-most address in X-Forwarded-For that is not itself a trusted proxy.
func (s *Server) clientIP(r *http.Request) string {
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

func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, retryAfter time.Duration, detail string) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(retryAfter.Seconds(), 1)))))
	s.fail(w, r, newError(http.StatusTooManyRequests, "rate_limited", detail))
}

// acquireStream takes a stream slot for the client's address and the
// room, or says which cap is reached.
func (s *Server) acquireStream(ip, roomID string) (release func(), detail string) {
	if !s.streamsByIP.acquire(ip) {
		return nil, "too many open streams from this address"
	}
	if !s.streamsByRoom.acquire(roomID) {
		s.streamsByIP.release(ip)
		return nil, "too many open streams in this room"
	}
	return func() { s.streamsByIP.release(ip); s.streamsByRoom.release(roomID) }, ""
}

// limitIP applies the per-IP token bucket to POSTs.
func (s *Server) limitIP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.ipBuckets.take(s.clientIP(r), time.Now()); !ok {
			s.tooMany(w, r, wait, "too many requests from this address")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitMember applies the per-member token bucket; it runs after auth.
func (s *Server) limitMember(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := identityFrom(r.Context())
		if ok, wait := s.memberBuckets.take(id.RoomID+"/"+id.MemberID, time.Now()); !ok {
			s.tooMany(w, r, wait, "too many changes from this member")
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
