package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/menusync/menusync"
)

// dinner is one run of the scenario.
type dinner struct {
	cfg    dinnerConfig
	base   string
	client *http.Client
	stats  *dinnerStats
	menu   []menusync.MenuItem
}

// dinnerMenu is a Korean restaurant's 24 dishes, in won.
func dinnerMenu() []menusync.MenuItem {
	names := []string{"비빔밥", "김치찌개", "된장찌개", "불고기", "갈비찜", "삼겹살", "냉면", "잡채", "떡볶이", "순두부찌개",
		"해물파전", "제육볶음", "닭갈비", "갈비탕", "설렁탕", "육개장", "칼국수", "만두", "김밥", "보쌈", "족발", "감자탕", "오징어볶음", "공기밥"}
	menu := make([]menusync.MenuItem, len(names))
	for i, n := range names {
		price := int64(8000 + 1000*(i%12))
		menu[i] = menusync.MenuItem{ID: fmt.Sprintf("d%d", i+1), Name: n, PriceMinor: &price}
	}
	return menu
}

func (d *dinner) phaseOf(t time.Time) string { return d.cfg.phase(t.Sub(d.stats.start)) }

// runDinner runs the evening: arrivals along the curve, every table to
// its end (or the tail's limit), then the report, the CSV and the plot.
func runDinner(ctx context.Context, base config, cfg dinnerConfig, out io.Writer) error {
	base.posters = max(base.posters, 512) // idle keep-alive connections for the POSTs
	l, err := newLoad(base)
	if err != nil {
		return err
	}
	start := time.Now()
	span := cfg.arrivalsEnd() + cfg.tail
	d := &dinner{cfg: cfg, base: base.url, client: l.client, stats: newDinnerStats(start, span), menu: dinnerMenu()}
	g := newGroups(cfg)
	sctx, stopSampling := context.WithCancel(context.Background())
	rowsc := make(chan []sampleRow, 1)
	go func() { rowsc <- g.sampleEvery(sctx, start, d.stats) }()
	rctx, cancel := context.WithDeadline(ctx, start.Add(span))
	defer cancel()
	var wg sync.WaitGroup
	cfg.arrivals(rctx, start, func() { wg.Go(func() { d.dine(rctx) }) })
	wg.Wait()
	elapsed := time.Since(start)
	stopSampling()
	rows := <-rowsc
	if err := writeCSV(cfg.csv, d, g, rows); err != nil {
		return err
	}
	if err := plotDinner(cfg.png, cfg.label, d, g, rows); err != nil {
		return err
	}
	return d.report(out, g, rows, elapsed)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }

// report prints the run's figures; an error when a client ended stale
// or lost a delta.
func (d *dinner) report(out io.Writer, g groups, rows []sampleRow, elapsed time.Duration) error {
	st := d.stats
	fmt.Fprintf(out, "dinner: %d tables (%d people) arrived over %v, %d ended, run %v\n", st.tablesTotal.Load(), st.peopleTotal.Load(),
		d.cfg.arrivalsEnd(), st.tablesDone.Load(), elapsed.Round(time.Second))
	fmt.Fprintf(out, "join (create or join POST): p50 %s, p99 %s\n", ms(st.join.quantile(0.5)), ms(st.join.quantile(0.99)))
	fmt.Fprintf(out, "first snapshot (from the first attempt): p50 %s, p99 %s\n", ms(st.firstSnap.quantile(0.5)), ms(st.firstSnap.quantile(0.99)))
	fmt.Fprintf(out, "choice POST: p50 %s, p99 %s\n", ms(st.post.quantile(0.5)), ms(st.post.quantile(0.99)))
	fmt.Fprintf(out, "choice -> others' screens: p50 %s, p99 %s, p99.9 %s\n", ms(st.c2s.quantile(0.5)), ms(st.c2s.quantile(0.99)), ms(st.c2s.quantile(0.999)))
	d.reportPhases(out, g, rows)
	var told int64
	for i := range st.seconds {
		told += st.seconds[i].admitFirst.Load()
	}
	if told > 0 {
		fmt.Fprintf(out, "admission: %d new tables told to wait (503 + Retry-After), let in after p50 %s, p99 %s (%d); %d still waiting at the end\n",
			told, ms(st.admitWait.quantile(0.5)), ms(st.admitWait.quantile(0.99)), st.admitWait.count(), st.waiting.Load())
	}
	fmt.Fprintf(out, "checked %d clients against the final snapshot: %d stale, %d deltas lost; %d saw their table end\n",
		st.checked.Load(), st.stale.Load(), st.lost.Load(), st.closedSeen.Load())
	if n := st.expiredEarly.Load(); n > 0 {
		fmt.Fprintf(out, "%d tables left to expire expired mid-meal (a quiet spell longer than -expire-ttl less a quarter: a 404 told their people), not compared\n", n)
	}
	causes := st.causes()
	if len(causes) == 0 {
		fmt.Fprintln(out, "errors: none")
	}
	for _, c := range causes {
		fmt.Fprintf(out, "errors: %d x %s\n", st.errors[c], c)
	}
	fmt.Fprintf(out, "csv %s, plot %s\n", d.cfg.csv, d.cfg.png)
	if st.stale.Load()+st.lost.Load() > 0 {
		return errors.New("clients ended stale or lost deltas")
	}
	return nil
}

// reportPhases prints each phase of the evening: arrivals, tables and
// people at once (median of the seconds), changes and deliveries a
// second, choice-to-screen latency, refused streams, and each process's
// CPU (mean) and memory (at the end of the phase).
func (d *dinner) reportPhases(out io.Writer, g groups, rows []sampleRow) {
	for _, ph := range phases {
		from, to := -1, -1
		for i := range d.stats.seconds {
			if d.cfg.phase(time.Duration(i)*time.Second) == ph {
				if from < 0 {
					from = i
				}
				to = i + 1
			}
		}
		to = min(to, len(rows)+1) // the run may end before the tail
		w := d.stats.window(from, to)
		if from < 0 || w.secs == 0 {
			continue
		}
		var tables, people []int64
		cpu := make([]float64, len(g.names))
		var in []sampleRow
		for _, r := range rows {
			if s := int(r.at / time.Second); s > from && s <= to {
				in = append(in, r)
				tables, people = append(tables, r.tables), append(people, r.people)
				for i := range cpu {
					cpu[i] += r.cpu[i]
				}
			}
		}
		h := d.stats.c2sPhase[ph]
		var pressure float64
		for _, r := range in {
			pressure += r.pressure
		}
		fmt.Fprintf(out, "phase %-5s %3.0fs-%3.0fs: arrivals %.2f/s, tables %d, people %d (medians), changes %.1f/s, events delivered %.0f/s, stream connects %.1f/s, refused %d; new tables told to wait %d (creates refused %d); choice->screen p50 %s p99 %s (%d)\n",
			ph, float64(from), float64(to), w.rate(w.arrivals), median(tables), median(people), w.rate(w.changes), w.rate(w.deliveries),
			w.rate(w.connects), w.refused, w.admitFirst, w.admitRefused, ms(h.quantile(0.5)), ms(h.quantile(0.99)), h.count())
		if len(in) > 0 {
			fmt.Fprintf(out, "  box CPU pressure (PSI some) %.1f%% (mean)\n", pressure/float64(len(in)))
		}
		for i, n := range g.names {
			if len(in) > 0 {
				fmt.Fprintf(out, "  %-10s CPU %5.1f%% of a core (mean), RSS %6.1f MiB (end)\n", n, cpu[i]/float64(len(in)), in[len(in)-1].rss[i])
			}
		}
		if len(in) > 0 && g.redis != "" {
			calls := in[len(in)-1].redisCalls - in[0].redisCalls
			fmt.Fprintf(out, "  redis used_memory %.1f MiB (end), %.0f commands/s\n", in[len(in)-1].redisUsed, float64(calls)/max(float64(len(in)-1), 1))
		}
	}
}

func median(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func (h *histogram) count() int64 {
	var n int64
	for i := range h.buckets {
		n += h.buckets[i].Load()
	}
	return n
}
