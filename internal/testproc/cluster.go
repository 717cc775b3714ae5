package testproc

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisCluster is a Redis Cluster on loopback: masters first, then their
// replicas, as redis-cli --cluster create assigns them.
type RedisCluster struct {
	Nodes []*Redis
	t     testing.TB
}

// StartRedisCluster starts masters*(1+replicas) cluster-enabled
// redis-servers (append-only, fsync always, 1 s node timeout so a failover
// takes seconds), joins them with redis-cli --cluster create and waits
// until every node reports cluster_state:ok.
func StartRedisCluster(t testing.TB, masters, replicas int) *RedisCluster {
	t.Helper()
	cli := lookPath(t, "redis-cli", "redis-tools")
	c := &RedisCluster{t: t}
	args := []string{"create"}
	for range masters * (1 + replicas) {
		// The bus port is named: the default (port+10000) may be taken.
		n := StartRedisArgs(t, "--cluster-enabled", "yes", "--cluster-port", strconv.Itoa(FreePort(t)),
			"--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
			"--appendonly", "yes", "--appendfsync", "always")
		c.Nodes = append(c.Nodes, n)
		args = append(args, n.Addr)
	}
	args = append(args, "--cluster-replicas", strconv.Itoa(replicas), "--cluster-yes")
	out, err := exec.Command(cli, append([]string{"--cluster"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c.WaitHealthy()
	return c
}

func (c *RedisCluster) addrs() []string {
	addrs := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		addrs[i] = n.Addr
	}
	return addrs
}

// URL is the cluster's REDIS_URL (every node as a seed).
func (c *RedisCluster) URL() string {
	return "redis+cluster://" + strings.Join(c.addrs(), ",")
}

// Client returns a cluster client closed at the end of the test.
func (c *RedisCluster) Client() *redis.ClusterClient {
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.addrs()})
	c.t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// WaitHealthy waits until every running node sees all slots served.
func (c *RedisCluster) WaitHealthy() {
	c.t.Helper()
	WaitFor(c.t, 30*time.Second, "cluster_state:ok on every node", func() bool {
		for _, n := range c.Nodes {
			if n.cmd == nil {
				continue
			}
			rc := redis.NewClient(&redis.Options{Addr: n.Addr, MaxRetries: -1})
			info, err := rc.ClusterInfo(context.Background()).Result()
			_ = rc.Close()
			if err != nil || !strings.Contains(info, "cluster_state:ok") {
				return false
			}
		}
		return true
	})
}

// Node returns the node listening on addr.
func (c *RedisCluster) Node(addr string) *Redis {
	for _, n := range c.Nodes {
		if n.Addr == addr {
			return n
		}
	}
	c.t.Fatalf("no cluster node at %s", addr)
	return nil
}

// Sentinel is one master, one replica and one sentinel on loopback.
type Sentinel struct {
	Master, Replica, Sentinel *Redis
	Name                      string
}

// StartSentinel starts a master, its replica and a sentinel (quorum 1)
// that declares the master down after one second.
func StartSentinel(t testing.TB) *Sentinel {
	t.Helper()
	s := &Sentinel{Name: "menusync"}
	s.Master = StartPersistentRedis(t)
	host, port, _ := net.SplitHostPort(s.Master.Addr)
	s.Replica = StartRedisArgs(t, "--appendonly", "yes", "--appendfsync", "always", "--replicaof", host, port)
	WaitFor(t, 10*time.Second, "replica in sync", func() bool {
		rc := redis.NewClient(&redis.Options{Addr: s.Replica.Addr})
		defer rc.Close()
		info, err := rc.Info(context.Background(), "replication").Result()
		return err == nil && strings.Contains(info, "master_link_status:up")
	})

	bin := lookPath(t, "redis-server", "redis-server")
	dir := t.TempDir()
	sport := FreePort(t)
	conf := filepath.Join(dir, "sentinel.conf")
	text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\n"+
		"sentinel monitor %s %s %s 1\n"+
		"sentinel down-after-milliseconds %[3]s 1000\n"+
		"sentinel failover-timeout %[3]s 10000\n", sport, dir, s.Name, host, port)
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	s.Sentinel = &Redis{t: t, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(sport)), args: []string{bin, conf, "--sentinel"}}
	s.Sentinel.Start()
	t.Cleanup(s.Sentinel.Stop)
	return s
}

// URL is the REDIS_URL that reaches the master through the sentinel.
func (s *Sentinel) URL() string {
	return "redis+sentinel://" + s.Sentinel.Addr + "/0?master=" + s.Name
}
