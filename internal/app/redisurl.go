package app

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Redis deployments REDIS_URL can name.
const (
	modeStandalone = "standalone"
	modeCluster    = "cluster"
	modeSentinel   = "sentinel"
)

// redisTarget is a parsed REDIS_URL: which kind of deployment and the
// go-redis options for it (exactly one of the three is set).
type redisTarget struct {
	mode     string
	single   *redis.Options
	cluster  *redis.ClusterOptions
	failover *redis.FailoverOptions
}

// parseRedisURL reads the forms documented in the README:
//
//	redis://[user:pass@]host:port[/db]            one Redis (rediss:// for TLS, unix:// too)
//	redis+cluster://[user:pass@]h1:p1,h2:p2,...   Redis Cluster (seed nodes; rediss+cluster:// for TLS)
//	redis://h1:p1,h2:p2,...                       the same: a comma list means a cluster
//	redis+sentinel://[user:pass@]s1:p1,s2:p2[/db]?master=NAME[&sentinel_password=...]
//
// Query options go-redis understands (dial_timeout, pool_size, ...) pass
// through; user and password are the data nodes' (for Sentinel, the
// master's; the sentinels' own are sentinel_username/sentinel_password).
func parseRedisURL(raw string) (redisTarget, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return redisTarget{}, errors.New("want a URL such as redis://host:6379/0")
	}
	base, kind, _ := strings.Cut(scheme, "+")
	if base != "redis" && base != "rediss" && base != "unix" {
		return redisTarget{}, fmt.Errorf("scheme %q: want redis, rediss, redis+cluster or redis+sentinel", scheme)
	}
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	userinfo, hostList := "", authority
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		userinfo, hostList = authority[:at+1], authority[at+1:]
	}
	hosts := strings.Split(hostList, ",")
	if kind == "" && len(hosts) > 1 {
		kind = modeCluster
	}
	if kind == "" {
		o, err := redis.ParseURL(raw)
		if err != nil {
			return redisTarget{}, err
		}
		return redisTarget{mode: modeStandalone, single: o}, nil
	}
	// go-redis parses one host; the others are added back below.
	u, err := url.Parse(base + "://" + userinfo + hosts[0] + tail)
	if err != nil {
		return redisTarget{}, err
	}
	switch kind {
	case modeCluster:
		return clusterTarget(u, hosts)
	case modeSentinel:
		return sentinelTarget(u, hosts)
	}
	return redisTarget{}, fmt.Errorf("scheme %q: want redis, rediss, redis+cluster or redis+sentinel", scheme)
}

// clusterTarget reads a cluster URL whose first seed is in u.
func clusterTarget(u *url.URL, seeds []string) (redisTarget, error) {
	if p := strings.Trim(u.Path, "/"); p != "" && p != "0" {
		return redisTarget{}, errors.New("a cluster has only database 0")
	}
	u.Path = ""
	q := u.Query()
	for _, h := range seeds[1:] {
		q.Add("addr", h)
	}
	u.RawQuery = q.Encode()
	o, err := redis.ParseClusterURL(u.String())
	if err != nil {
		return redisTarget{}, err
	}
	return redisTarget{mode: modeCluster, cluster: o}, nil
}

// sentinelTarget reads a Sentinel URL: the sentinels' addresses, the
// master's name, and the data nodes' options.
func sentinelTarget(u *url.URL, sentinels []string) (redisTarget, error) {
	q := u.Query()
	master := q.Get("master")
	if master == "" {
		return redisTarget{}, errors.New("redis+sentinel:// needs ?master=NAME")
	}
	f := &redis.FailoverOptions{MasterName: master, SentinelAddrs: sentinels,
		SentinelUsername: q.Get("sentinel_username"), SentinelPassword: q.Get("sentinel_password")}
	q.Del("master")
	q.Del("sentinel_username")
	q.Del("sentinel_password")
	u.RawQuery = q.Encode()
	o, err := redis.ParseURL(u.String())
	if err != nil {
		return redisTarget{}, err
	}
	f.Username, f.Password, f.DB, f.TLSConfig = o.Username, o.Password, o.DB, o.TLSConfig
	f.DialTimeout, f.ReadTimeout, f.WriteTimeout, f.PoolTimeout = o.DialTimeout, o.ReadTimeout, o.WriteTimeout, o.PoolTimeout
	f.PoolSize, f.MaxRetries, f.MinIdleConns, f.Protocol = o.PoolSize, o.MaxRetries, o.MinIdleConns, o.Protocol
	return redisTarget{mode: modeSentinel, failover: f}, nil
}

// client opens the target. Timeouts the URL left unset fail fast, so a
// POST while Redis is away gets 503 + Retry-After in about a second
// instead of hanging through go-redis's default retries. Waiting for a
// free connection is allowed longer (5 s): in a reconnect storm every
// pooled connection is busy, and a stream that waits its turn costs less
// than one refused and retried.
func (t redisTarget) client(name string) redis.UniversalClient {
	return t.open(name, false)
}

// scriptClient opens the client the store's pipelined scripts use: the
// same target, never resending (rooms.WithScriptClient says why); nil on
// a cluster, where scripts are not pipelined.
func (t redisTarget) scriptClient(name string) redis.UniversalClient {
	if t.mode == modeCluster {
		return nil
	}
	return t.open(name+"-scripts", true)
}

// open opens the target; noResend: no go-redis retries, whatever the URL
// says.
func (t redisTarget) open(name string, noResend bool) redis.UniversalClient {
	fast := func(dial, read, write, pool *time.Duration, retries *int) {
		for _, d := range []struct {
			p   *time.Duration
			def time.Duration
		}{{dial, time.Second}, {read, 2 * time.Second}, {write, 2 * time.Second}, {pool, 5 * time.Second}} {
			if *d.p == 0 {
				*d.p = d.def
			}
		}
		if *retries == 0 {
			*retries = 1
		}
		if noResend {
			*retries = -1
		}
	}
	switch t.mode {
	case modeCluster:
		o := *t.cluster // a copy: go-redis keeps the pointer it is given
		o.ClientName = name
		fast(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries)
		return redis.NewClusterClient(&o)
	case modeSentinel:
		o := *t.failover
		o.ClientName = name
		fast(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries)
		return redis.NewFailoverClient(&o)
	}
	o := *t.single
	o.ClientName = name
	fast(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries)
	if noResend {
		// A maintenance handoff may move a connection to another endpoint
		// under go-redis' feet; the scripts' client relies on one
		// connection reaching one Redis process (rooms/pins.go).
		o.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	}
	return redis.NewClient(&o)
}

// redactURL hides passwords in a Redis URL (the userinfo's and a
// sentinel_password option) before it is logged.
func redactURL(u string) string {
	if u == "" {
		return "embedded"
	}
	if at := strings.LastIndex(u, "@"); at >= 0 {
		if scheme := strings.Index(u, "://"); scheme >= 0 && scheme < at {
			u = u[:scheme+3] + "***" + u[at:]
		}
	}
	if i := strings.Index(u, "sentinel_password="); i >= 0 {
		end := strings.IndexByte(u[i:], '&')
		rest := ""
		if end >= 0 {
			rest = u[i+end:]
		}
		u = u[:i] + "sentinel_password=***" + rest
	}
	return u
}
