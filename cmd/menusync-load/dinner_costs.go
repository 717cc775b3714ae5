package main

// -scenario costs measures the capacity model's unit costs through the
// same stack (nginx, the replicas, Redis), in phases whose only
// difference is the thing being priced: create and join (Redis memory
// per room), open every stream (CPU per connect and snapshot, RSS per
// stream), hold them idle (CPU per heartbeat), choices into rooms where
// all 8 stream, then into the same rooms with 1 streaming (the
// difference prices a delivery).

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// costsRun holds the rooms and the process groups of a costs run.
type costsRun struct {
	d      *dinner
	g      groups
	tables []*table
	out    io.Writer
}

// snap is every group's CPU seconds and RSS (MiB) and Redis's memory.
type snap struct {
	at       time.Time
	cpu, rss []float64
	redis    float64
}

func (c *costsRun) snap() snap {
	s := snap{at: time.Now()}
	for i := range c.g.names {
		cpu, rss := c.g.usageOf(i)
		s.cpu, s.rss = append(s.cpu, cpu), append(s.rss, rss)
	}
	_, used, _ := redisInfo(c.g.redis)
	s.redis = float64(used) / (1 << 20)
	return s
}

// perUnit prints each group's CPU between a and b per unit (µs) and, if
// perRSS, its RSS growth per unit (KiB).
func (c *costsRun) perUnit(what string, a, b snap, units float64, perRSS bool) []float64 {
	out := make([]float64, len(c.g.names))
	fmt.Fprintf(c.out, "%s (%.0f in %.1fs):", what, units, b.at.Sub(a.at).Seconds())
	var sum, rss float64
	for i, n := range c.g.names {
		out[i] = (b.cpu[i] - a.cpu[i]) * 1e6 / units
		fmt.Fprintf(c.out, " %s %.1f µs", n, out[i])
		if perRSS {
			fmt.Fprintf(c.out, " %.1f KiB", (b.rss[i]-a.rss[i])*1024/units)
		}
		if strings.HasPrefix(n, "replica") {
			sum, rss = sum+out[i], rss+(b.rss[i]-a.rss[i])*1024/units
		}
	}
	fmt.Fprintf(c.out, "; all replicas %.1f µs", sum)
	if perRSS {
		fmt.Fprintf(c.out, " %.1f KiB", rss)
	}
	fmt.Fprintln(c.out)
	return out
}

func runCosts(ctx context.Context, base config, cfg dinnerConfig, out io.Writer) error {
	base.posters = max(base.posters, 512)
	l, err := newLoad(base)
	if err != nil {
		return err
	}
	d := &dinner{cfg: cfg, base: base.url, client: l.client, stats: newDinnerStats(time.Now(), time.Hour), menu: dinnerMenu()}
	d.cfg.pollShare = 0
	c := &costsRun{d: d, g: newGroups(cfg), out: out}
	rooms := max(base.streams/8, 1)
	s0 := c.snap()
	if err := c.create(ctx, rooms); err != nil {
		return err
	}
	s1 := c.snap()
	c.perUnit("create + 7 joins, per room", s0, s1, float64(rooms), false)
	c.connect(ctx, func(p *person, i int) bool { return true })
	s2 := c.snap()
	c.perUnit("stream connect + first snapshot, per stream", s1, s2, float64(rooms*8), true)
	settle(ctx, 15*time.Second) // the storm's presence events and GC settle
	s3 := c.snap()
	fmt.Fprintf(out, "redis used_memory per room of 8 with 8 streams (no choices): %.1f KiB\n", (s3.redis-s0.redis)*1024/float64(rooms))
	settle(ctx, base.duration)
	s4 := c.snap()
	idle := c.perUnit("idle stream-second (heartbeats, presence renewal)", s3, s4, float64(rooms*8)*s4.at.Sub(s3.at).Seconds(), false)
	all := c.choices(ctx, base.rate, base.duration)
	s5 := c.snap()
	fmt.Fprintf(out, "redis used_memory per room after %d choices: %.1f KiB\n", all, (s5.redis-s0.redis)*1024/float64(rooms))
	eight := c.net("choices, 8 streams a room, per choice net of idle", s4, s5, float64(all), idle, rooms*8)
	for _, t := range c.tables {
		for _, p := range t.people[1:] {
			p.stopWatch()
		}
	}
	settle(ctx, 15*time.Second) // presence grace, then the offline events
	s6 := c.snap()
	one := c.choices(ctx, base.rate, base.duration)
	s7 := c.snap()
	single := c.net("choices, 1 stream a room, per choice net of idle", s6, s7, float64(one), idle, rooms)
	del, ch := make([]float64, len(eight)), make([]float64, len(eight))
	for i := range eight {
		del[i] = (eight[i] - single[i]) / 7
		ch[i] = single[i] - del[i]
	}
	c.print("so: per delivered event", del)
	c.print("so: per choice before delivery", ch)
	return nil
}

// print prints one figure per group, and the replicas' sum.
func (c *costsRun) print(what string, v []float64) {
	fmt.Fprintf(c.out, "%s:", what)
	var sum float64
	for i, n := range c.g.names {
		fmt.Fprintf(c.out, " %s %.1f µs", n, v[i])
		if strings.HasPrefix(n, "replica") {
			sum += v[i]
		}
	}
	fmt.Fprintf(c.out, "; all replicas %.1f µs\n", sum)
}

// net prints CPU per unit between a and b less what the open streams
// cost idle over the same time.
func (c *costsRun) net(what string, a, b snap, units float64, idle []float64, streams int) []float64 {
	secs := b.at.Sub(a.at).Seconds()
	out := make([]float64, len(c.g.names))
	for i := range c.g.names {
		out[i] = ((b.cpu[i]-a.cpu[i])*1e6 - idle[i]*float64(streams)*secs) / units
	}
	c.print(fmt.Sprintf("%s (%.0f in %.1fs)", what, units, secs), out)
	return out
}

// create opens the rooms, each with a host and 7 guests, 64 at a time.
func (c *costsRun) create(ctx context.Context, rooms int) error {
	c.tables = make([]*table, rooms)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := range rooms {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			t := &table{d: c.d, sent: map[uint64]time.Time{}, pending: map[uint64][]time.Time{}}
			host := newPerson(t, "host")
			if !t.create(ctx, host) {
				return
			}
			t.people = []*person{host}
			for g := 1; g < 8; g++ {
				p := newPerson(t, fmt.Sprintf("guest %d", g))
				var out struct {
					Member struct{ ID string } `json:"member"`
					Token  string              `json:"token"`
				}
				if c.d.change(ctx, t, "join", "POST", "/v1/rooms/"+t.id+"/members", "", map[string]string{"name": p.name}, &out) {
					p.id, p.token = out.Member.ID, out.Token
					t.people = append(t.people, p)
				}
			}
			c.tables[i] = t
		})
	}
	wg.Wait()
	for _, t := range c.tables {
		if t == nil || len(t.people) < 8 {
			return fmt.Errorf("costs: a room could not be set up (%v)", c.d.stats.causes())
		}
	}
	return nil
}

// connect opens every chosen stream, 200 at a time, and waits for their
// first snapshots.
func (c *costsRun) connect(ctx context.Context, which func(*person, int) bool) {
	sem := make(chan struct{}, 200)
	for _, t := range c.tables {
		for i, p := range t.people {
			if which(p, i) {
				sem <- struct{}{}
				p.startWatch(ctx, false)
				go func() {
					select {
					case <-p.ready:
					case <-ctx.Done():
					}
					<-sem
				}()
			}
		}
	}
	for range cap(sem) {
		sem <- struct{}{}
	}
}

// choices POSTs choices at rate for d into random rooms, as their host
// (whose stream stays open in both phases); it returns how many went.
func (c *costsRun) choices(ctx context.Context, rate float64, d time.Duration) int64 {
	before := c.d.stats.post.count()
	tick := time.NewTicker(time.Duration(float64(time.Second) / max(rate, 1)))
	defer tick.Stop()
	end := time.After(d)
	var wg sync.WaitGroup
	for {
		select {
		case <-ctx.Done():
		case <-end:
		case <-tick.C:
			t := c.tables[rand.IntN(len(c.tables))]
			wg.Go(func() { t.people[0].pick(ctx) })
			continue
		}
		break
	}
	wg.Wait()
	return c.d.stats.post.count() - before
}
