package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestParseRedisURL(t *testing.T) {
	t.Run("standalone", func(t *testing.T) {
		tg, err := parseRedisURL("redis://:pw@10.0.0.1:6380/2?dial_timeout=3s")
		if err != nil {
			t.Fatal(err)
		}
		if tg.mode != modeStandalone || tg.single.Addr != "10.0.0.1:6380" || tg.single.DB != 2 || tg.single.Password != "pw" || tg.single.DialTimeout != 3*time.Second {
			t.Fatalf("%+v", tg.single)
		}
		c := tg.client("x")
		defer c.Close()
		o := c.(*redis.Client).Options()
		if o.DialTimeout != 3*time.Second || o.ReadTimeout != 2*time.Second || o.MaxRetries != 1 || o.ClientName != "x" {
			t.Fatalf("defaults: %+v", o)
		}
		// The scripts' client never resends (-1, which go-redis keeps as
		// 0), and the store's keeps its retry (go-redis keeps the Options
		// pointer it is given: the two must not share one).
		sc := tg.scriptClient("x")
		defer sc.Close()
		if so := sc.(*redis.Client).Options(); so.MaxRetries != 0 || so.ClientName != "x-scripts" || so.DialTimeout != 3*time.Second {
			t.Fatalf("scripts' client: %+v", so)
		}
		if o.MaxRetries != 1 {
			t.Fatalf("the store's client lost its retry: %+v", o)
		}
	})
	for _, raw := range []string{
		"redis+cluster://u:pw@a:7000,b:7001,c:7002",
		"redis://u:pw@a:7000,b:7001,c:7002/0?pool_size=5",
	} {
		t.Run("cluster "+raw, func(t *testing.T) {
			tg, err := parseRedisURL(raw)
			if err != nil {
				t.Fatal(err)
			}
			if tg.mode != modeCluster || !slices.Equal(tg.cluster.Addrs, []string{"a:7000", "b:7001", "c:7002"}) || tg.cluster.Username != "u" || tg.cluster.Password != "pw" {
				t.Fatalf("%+v", tg.cluster)
			}
			if strings.Contains(raw, "pool_size") && tg.cluster.PoolSize != 5 {
				t.Fatalf("query options lost: %+v", tg.cluster)
			}
			if tg.scriptClient("x") != nil {
				t.Fatal("a cluster's scripts are not pipelined: no client of their own")
			}
		})
	}
	t.Run("sentinel", func(t *testing.T) {
		tg, err := parseRedisURL("redis+sentinel://:pw@s1:26379,s2:26379/1?master=mymaster&sentinel_password=spw&read_timeout=4s")
		if err != nil {
			t.Fatal(err)
		}
		f := tg.failover
		if tg.mode != modeSentinel || f.MasterName != "mymaster" || !slices.Equal(f.SentinelAddrs, []string{"s1:26379", "s2:26379"}) ||
			f.Password != "pw" || f.SentinelPassword != "spw" || f.DB != 1 || f.ReadTimeout != 4*time.Second {
			t.Fatalf("%+v", f)
		}
	})
	for _, bad := range []string{
		"localhost:6379",
		"http://a:1",
		"redis+sentinel://s1:26379",                 // no master
		"redis+cluster://a:1,b:2/3",                 // clusters have db 0 only
		"redis+cluster://a:1?nonsense=1",            // unknown option
		"redis+sentinel://s1:1?master=m&nonsense=1", // unknown option
		"redis+bogus://a:1",
	} {
		if _, err := parseRedisURL(bad); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"redis://:secret@h:1/0":                                  "redis://***@h:1/0",
		"redis+sentinel://s:1?master=m&sentinel_password=secret": "redis+sentinel://s:1?master=m&sentinel_password=***",
		"redis+sentinel://s:1?sentinel_password=secret&master=m": "redis+sentinel://s:1?sentinel_password=***&master=m",
		"": "embedded",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
