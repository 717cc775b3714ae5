package main

// The dinner rush (-scenario dinner): tables arrive as a Poisson process
// whose rate follows a curve (a 19:00 shape, compressed in time); each
// table is a host and 2-8 people joining over a minute, who open the
// stream (or long-poll, behind a buffering proxy), pick and change dishes
// in bursts, sometimes sleep their phone and come back with Last-Event-ID
// or reload the page, mark themselves done; the host locks the order and
// closes the table, or leaves it to expire. Every client keeps the state
// it applied and checks it against the room's final snapshot. The tool
// reports latency per phase, errors by cause, and the servers' CPU and
// memory over time, as a CSV and a PNG.

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// curvePoint is one point of the arrival curve: at this moment, this
// share of the peak rate (linear in between).
type curvePoint struct {
	at   time.Duration
	rate float64
}

type dinnerConfig struct {
	curve       []curvePoint
	peak        float64 // tables a second at the curve's 1
	people      [2]int
	joinOver    time.Duration
	changes     [2]int
	think       time.Duration // mean pause between bursts
	sleepShare  float64
	sleepFor    [2]time.Duration
	pollShare   float64
	reloadShare float64
	closeShare  float64
	expireTTL   time.Duration
	tail        time.Duration // longest wait for the last tables
	csv, png    string
	replicas    []int
	nginx       []int
	redis       string
	label       string
}

// dinnerFlags declares the scenario's flags on fs.
func dinnerFlags(fs *flag.FlagSet) func() (dinnerConfig, error) {
	var d dinnerConfig
	curve := fs.String("curve", "0s:0.1,90s:1,150s:1,240s:0.1", "dinner: the arrival rate over time as at:share-of-peak points, linear in between (a 19:00 shape, compressed)")
	fs.Float64Var(&d.peak, "peak", 2, "dinner: tables arriving per second at the curve's 1")
	people := fs.String("people", "2-8", "dinner: people per table (uniform)")
	fs.DurationVar(&d.joinOver, "join-over", time.Minute, "dinner: the people of a table join spread over this")
	changes := fs.String("changes", "5-15", "dinner: choices each person makes over the meal (uniform)")
	fs.DurationVar(&d.think, "think", 12*time.Second, "dinner: mean think time between a person's bursts (exponential)")
	fs.Float64Var(&d.sleepShare, "sleep-share", 0.2, "dinner: share of people whose phone sleeps once (stream closed, reopened with Last-Event-ID)")
	sleep := fs.String("sleep", "10s-3m", "dinner: how long a phone sleeps (uniform)")
	fs.Float64Var(&d.pollShare, "poll-share", 0.1, "dinner: share of people behind a buffering proxy, who long-poll")
	fs.Float64Var(&d.reloadShare, "reload-share", 0.05, "dinner: share of people who reload the page once (a new stream without Last-Event-ID)")
	fs.Float64Var(&d.closeShare, "close-share", 0.8, "dinner: share of tables the host closes; the others are left to expire")
	fs.DurationVar(&d.expireTTL, "expire-ttl", 4*time.Minute, "dinner: the TTL of tables left to expire (longer than a phone sleeps, or a table expires mid-meal)")
	fs.DurationVar(&d.tail, "tail", 6*time.Minute, "dinner: after the last arrival, wait at most this long for the tables to end")
	fs.StringVar(&d.csv, "csv", "dinner.csv", "dinner: the time series, one row a second")
	fs.StringVar(&d.png, "png", "dinner.png", "dinner: the plot of load, latency and resources against time")
	replicas := fs.String("replica-pids", "", "dinner: comma list of replica pids (CPU and RSS over time)")
	nginx := fs.String("nginx-pids", "", "dinner: comma list of nginx worker pids")
	fs.StringVar(&d.redis, "redis", "", "dinner: Redis address host:port (its pid, CPU and memory over time, from INFO)")
	fs.StringVar(&d.label, "label", "", "dinner: a title for the plot")
	return func() (dinnerConfig, error) {
		var errs []error
		d.curve, errs = parseCurve(*curve), append(errs, curveErr(*curve))
		d.people, errs = parseRange(*people, &errs)
		d.changes, errs = parseRange(*changes, &errs)
		d.sleepFor, errs = parseDurRange(*sleep, &errs)
		d.replicas, errs = parsePids(*replicas, &errs)
		d.nginx, errs = parsePids(*nginx, &errs)
		for _, e := range errs {
			if e != nil {
				return d, e
			}
		}
		if d.peak <= 0 || d.people[0] < 1 || d.changes[0] < 1 {
			return d, fmt.Errorf("dinner: -peak, -people and -changes must be positive")
		}
		return d, nil
	}
}

func parseCurve(s string) []curvePoint {
	var c []curvePoint
	for _, p := range strings.Split(s, ",") {
		at, share, ok := strings.Cut(strings.TrimSpace(p), ":")
		d, err1 := time.ParseDuration(at)
		r, err2 := strconv.ParseFloat(share, 64)
		if !ok || err1 != nil || err2 != nil || r < 0 || len(c) > 0 && d <= c[len(c)-1].at {
			return nil
		}
		c = append(c, curvePoint{d, r})
	}
	return c
}

func curveErr(s string) error {
	if c := parseCurve(s); len(c) < 2 {
		return fmt.Errorf("-curve %q: want at least two at:share points, times increasing (0s:0.1,90s:1,...)", s)
	}
	return nil
}

func parseRange(s string, errs *[]error) ([2]int, []error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || y < x {
		return [2]int{}, append(*errs, fmt.Errorf("range %q: want lo-hi", s))
	}
	return [2]int{x, y}, *errs
}

func parseDurRange(s string, errs *[]error) ([2]time.Duration, []error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	x, err1 := time.ParseDuration(a)
	y, err2 := time.ParseDuration(b)
	if err1 != nil || err2 != nil || y < x {
		return [2]time.Duration{}, append(*errs, fmt.Errorf("range %q: want lo-hi durations", s))
	}
	return [2]time.Duration{x, y}, *errs
}

func parsePids(s string, errs *[]error) ([]int, []error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, append(*errs, fmt.Errorf("pid %q: %w", p, err))
		}
		out = append(out, n)
	}
	return out, *errs
}

// rateAt is the curve's share of the peak at t (0 past its end).
func (d *dinnerConfig) rateAt(t time.Duration) float64 {
	c := d.curve
	if t < c[0].at || t > c[len(c)-1].at {
		return 0
	}
	for i := 1; i < len(c); i++ {
		if t <= c[i].at {
			f := float64(t-c[i-1].at) / float64(c[i].at-c[i-1].at)
			return c[i-1].rate + f*(c[i].rate-c[i-1].rate)
		}
	}
	return 0
}

// arrivalsEnd is when the last table may arrive.
func (d *dinnerConfig) arrivalsEnd() time.Duration { return d.curve[len(d.curve)-1].at }

// phase names the part of the evening t falls in: rise, peak (the curve
// at its highest), fall, or after (no more arrivals).
func (d *dinnerConfig) phase(t time.Duration) string {
	top := 0.0
	for _, p := range d.curve {
		top = max(top, p.rate)
	}
	first, last := time.Duration(-1), time.Duration(-1)
	for _, p := range d.curve {
		if p.rate == top {
			if first < 0 {
				first = p.at
			}
			last = p.at
		}
	}
	switch {
	case t > d.arrivalsEnd():
		return "after"
	case t < first:
		return "rise"
	case t <= last:
		return "peak"
	}
	return "fall"
}

var phases = []string{"rise", "peak", "fall", "after"}

// arrivals calls arrive at the moments of a Poisson process whose rate is
// peak times the curve (by thinning: draw at the highest rate, keep each
// with the curve's share), until the curve ends or ctx does.
func (d *dinnerConfig) arrivals(ctx context.Context, start time.Time, arrive func()) {
	top := 0.0
	for _, p := range d.curve {
		top = max(top, p.rate)
	}
	lambda := top * d.peak
	t := time.Duration(0)
	for {
		t += time.Duration(rand.ExpFloat64() / lambda * float64(time.Second))
		if t > d.arrivalsEnd() {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(start.Add(t))):
		}
		if rand.Float64()*top < d.rateAt(t) {
			arrive()
		}
	}
}

func uniform(r [2]int) int { return r[0] + rand.IntN(r[1]-r[0]+1) }

func uniformDur(r [2]time.Duration) time.Duration {
	return r[0] + time.Duration(rand.Int64N(int64(r[1]-r[0])+1))
}
