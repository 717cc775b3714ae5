package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/menusync/menusync/pubsub"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
)

// HubView is what the metrics read from the hub at scrape time.
type HubView interface {
	RoomCount() (roomsWithListeners, listeners int)
}

// Metrics implements handlers.Observer and serves /metrics.
type Metrics struct {
	reg          *prometheus.Registry
	streams      prometheus.Gauge
	streamsEnded *prometheus.CounterVec
	refused      *prometheus.CounterVec
	delivered    prometheus.Counter
	latency      prometheus.Histogram
	requests     *prometheus.CounterVec
	redisLatency *prometheus.HistogramVec
}

// New registers every metric. stats are the hub's counters.
func New(hub HubView, stats *pubsub.Stats) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "menusync_streams_open", Help: "Event streams open on this replica."}),
		streamsEnded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "menusync_streams_ended_total", Help: "Event streams ended, by reason (client, drain, max_age, room_closed, member_left, write_failed: a slow or gone client closed after the write deadline)."},
			[]string{"reason"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "menusync_streams_refused_total", Help: "Event streams refused before they started, by reason (draining, full: the replica cap, capped: the per-address or per-room cap)."},
			[]string{"reason"}),
		delivered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "menusync_events_delivered_total", Help: "Deltas written to streams."}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "menusync_publish_to_delivery_seconds",
			Help:    "From the Lua write (its timestamp travels in the message) to the flush on a stream.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5},
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "menusync_http_requests_total", Help: "HTTP requests by route pattern, method and status."},
			[]string{"route", "method", "status"}),
		redisLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "menusync_redis_command_seconds",
			Help:    "Redis command latency by command (pipeline for pipelines and MULTI).",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .5, 1},
		}, []string{"command"}),
	}
	reg.MustRegister(m.streams, m.streamsEnded, m.refused, m.delivered, m.latency, m.requests, m.redisLatency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "menusync_rooms_with_listeners", Help: "Rooms this replica is subscribed to."},
			func() float64 { r, _ := hub.RoomCount(); return float64(r) }),
		counterFunc("menusync_fanout_queued_total", "Deltas queued to local listeners.", &stats.Delivered),
		counterFunc("menusync_fanout_dropped_total", "Deltas not queued because a listener's buffer was full (the listener gets a snapshot).", &stats.Dropped),
		counterFunc("menusync_version_gaps_total", "Version gaps seen on room channels.", &stats.Gaps),
		counterFunc("menusync_redis_pubsub_reconnects_total", "Pub/sub connection losses.", &stats.Reconnects),
		counterFunc("menusync_snapshot_reads_total", "Snapshot reads for new streams and resyncs.", &stats.SnapshotReads),
	)
	resync := func(reason string, c interface{ Load() uint64 }) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "menusync_listeners_resynced_total", Help: "Room resyncs (a snapshot offered to every local listener), by reason.",
			ConstLabels: prometheus.Labels{"reason": reason}}, func() float64 { return float64(c.Load()) })
	}
	reg.MustRegister(resync(pubsub.ReasonGap, &stats.ResyncGap), resync(pubsub.ReasonReconnect, &stats.ResyncReconn), resync(pubsub.ReasonSlow, &stats.ResyncSlow),
		resync(pubsub.ReasonEpoch, &stats.ResyncEpoch))
	return m
}

func counterFunc(name, help string, c interface{ Load() uint64 }) prometheus.Collector {
	return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(c.Load()) })
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// StreamOpened counts a stream that started.
func (m *Metrics) StreamOpened() { m.streams.Inc() }

// StreamEnded counts a stream that ended, and why.
func (m *Metrics) StreamEnded(reason string) {
	m.streams.Dec()
	m.streamsEnded.WithLabelValues(reason).Inc()
}

// StreamRefused counts a stream refused before it started.
func (m *Metrics) StreamRefused(reason string) { m.refused.WithLabelValues(reason).Inc() }

// Delivered records one delta written to a stream.
func (m *Metrics) Delivered(publishedAt time.Time) {
	m.delivered.Inc()
	if !publishedAt.IsZero() {
		m.latency.Observe(time.Since(publishedAt).Seconds())
	}
}

// Request records one HTTP request.
func (m *Metrics) Request(route, method string, status int) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
}

// RedisHook times every Redis command sent through a client.
func (m *Metrics) RedisHook() redis.Hook { return redisHook{m.redisLatency} }

type redisHook struct{ h *prometheus.HistogramVec }

func (redisHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		start := time.Now()
		err := next(ctx, cmd)
		r.h.WithLabelValues(cmd.Name()).Observe(time.Since(start).Seconds())
		return err
	}
}

func (r redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		start := time.Now()
		err := next(ctx, cmds)
		r.h.WithLabelValues("pipeline").Observe(time.Since(start).Seconds())
		return err
	}
}

// ShedView is what the metrics read of a replica's load shedder
// (handlers.Shedder).
type ShedView interface {
	Sheds() int64
	Refused() int64
	Rate() (float64, bool)
	LastPressure() float64
}

// WatchShedder exposes the shedder's state: how often this replica was
// over its limits, the new tables it refused, the rate it lets them in
// at (-1 while no rate applies) and the last CPU pressure it read.
func (m *Metrics) WatchShedder(sh ShedView) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "menusync_shed_windows_total", Help: "Half-second windows in which this replica was over its shedding limits."},
			func() float64 { return float64(sh.Sheds()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "menusync_shed_tables_refused_total", Help: "New tables refused with 503 and Retry-After while shedding load."},
			func() float64 { return float64(sh.Refused()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "menusync_shed_admission_rate", Help: "New tables a second let in after an overload; -1 while no rate applies."},
			func() float64 {
				if r, limited := sh.Rate(); limited {
					return r
				}
				return -1
			}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "menusync_shed_cpu_pressure_percent", Help: "CPU pressure (PSI some) of the last window, % of the time; -1 when unknown."},
			sh.LastPressure),
	)
}
