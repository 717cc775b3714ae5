package rooms

import (
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestPipelinerOnACluster: on a cluster every script call goes on its
// own (a batch spanning masters waits for the slowest); on one Redis they
// share pipelines. e2e's cluster tests run the direct path for real.
func TestPipelinerOnACluster(t *testing.T) {
	cluster := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}})
	defer cluster.Close()
	single := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer single.Close()
	if p := newPipeliner(cluster, writesInFlight, maxBatch); !p.direct {
		t.Error("a cluster's script calls are pipelined across masters")
	}
	if p := newPipeliner(single, readsInFlight, maxReadBatch); p.direct || p.maxBatch != maxReadBatch {
		t.Errorf("one Redis: direct %v, batch %d; want pipelined batches of %d", p.direct, p.maxBatch, maxReadBatch)
	}
}
