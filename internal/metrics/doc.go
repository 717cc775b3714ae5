// Package metrics exposes a replica's Prometheus metrics: streams, fan-out
// and resync counters read from the pub/sub hub, publish-to-delivery
// latency, Redis command latency and HTTP requests. It owns its registry,
// so tests and several servers in one process never collide.
package metrics
