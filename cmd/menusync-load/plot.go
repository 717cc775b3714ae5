package main

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"os"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// seriesOf is one column of the run over time.
type seriesOf struct {
	name string
	at   func(i int) float64 // by row; NaN-free
}

// columns are the CSV's columns and the plot's lines: load, latency,
// then CPU and memory of each process group.
func columns(d *dinner, g groups, rows []sampleRow) []seriesOf {
	sec := func(i int) *second {
		return &d.stats.seconds[min(int(rows[i].at/time.Second)-1, len(d.stats.seconds)-1)]
	}
	msOf := func(t time.Duration) float64 { return float64(t) / 1e6 }
	cols := []seriesOf{
		{"t_s", func(i int) float64 { return rows[i].at.Seconds() }},
		{"arrival_rate_per_s", func(i int) float64 { return d.cfg.peak * d.cfg.rateAt(rows[i].at) }},
		{"arrivals", func(i int) float64 { return float64(sec(i).arrivals.Load()) }},
		{"tables_open", func(i int) float64 { return float64(rows[i].tables) }},
		{"people_connected", func(i int) float64 { return float64(rows[i].people) }},
		{"changes_per_s", func(i int) float64 { return float64(sec(i).changes.Load()) }},
		{"events_delivered_per_s", func(i int) float64 { return float64(sec(i).deliveries.Load()) }},
		{"stream_connects_per_s", func(i int) float64 { return float64(sec(i).connects.Load()) }},
		{"streams_refused_per_s", func(i int) float64 { return float64(sec(i).refused.Load()) }},
		{"tables_waiting", func(i int) float64 { return float64(rows[i].waiting) }},
		{"creates_refused_per_s", func(i int) float64 { return float64(sec(i).admitRefused.Load()) }},
		{"box_cpu_pressure_pct", func(i int) float64 { return rows[i].pressure }},
		{"errors_per_s", func(i int) float64 { return float64(sec(i).errors.Load()) }},
		{"choice_to_screen_p50_ms", func(i int) float64 { return msOf(sec(i).c2s.quantile(0.5)) }},
		{"choice_to_screen_p99_ms", func(i int) float64 { return msOf(sec(i).c2s.quantile(0.99)) }},
	}
	for k, n := range g.names {
		cols = append(cols, seriesOf{n + " CPU %", func(i int) float64 { return rows[i].cpu[k] }},
			seriesOf{n + " RSS MiB", func(i int) float64 { return rows[i].rss[k] }})
	}
	if g.redis != "" {
		cols = append(cols, seriesOf{"redis used_memory MiB", func(i int) float64 { return rows[i].redisUsed }})
	}
	return cols
}

// writeCSV writes one row a second.
func writeCSV(path string, d *dinner, g groups, rows []sampleRow) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	cols := columns(d, g, rows)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.name
	}
	_ = w.Write(head)
	for i := range rows {
		rec := make([]string, len(cols))
		for j, c := range cols {
			rec[j] = strconv.FormatFloat(c.at(i), 'f', 2, 64)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// panel is one of the plot's four panels: a title, a y label and the
// columns it draws.
type panel struct {
	title, y string
	cols     []string
	scale    []float64 // per column (1 when absent)
}

func panels(g groups) []panel {
	cpu, mem := panel{title: "CPU", y: "% of one core"}, panel{title: "Memory (servers)", y: "MiB"}
	for _, n := range g.names {
		cpu.cols = append(cpu.cols, n+" CPU %")
		if n != "load tool" { // its GBs of client state would flatten the servers' lines (it is in the CSV)
			mem.cols = append(mem.cols, n+" RSS MiB")
		}
	}
	if g.redis != "" {
		mem.cols = append(mem.cols, "redis used_memory MiB")
	}
	cpu.cols = append(cpu.cols, "box_cpu_pressure_pct")
	return []panel{
		{title: "Load", y: "count", cols: []string{"tables_open", "people_connected", "changes_per_s", "events_delivered_per_s", "streams_refused_per_s", "tables_waiting", "creates_refused_per_s"},
			scale: []float64{1, 0.1, 1, 0.1, 1, 1, 1}},
		{title: "Choice to others' screens (per second)", y: "ms", cols: []string{"choice_to_screen_p50_ms", "choice_to_screen_p99_ms"}},
		cpu, mem,
	}
}

// plotDinner draws load, latency, CPU and memory against time, one
// panel above the other, into a PNG.
func plotDinner(path, label string, d *dinner, g groups, rows []sampleRow) error {
	byName := map[string]seriesOf{}
	for _, c := range columns(d, g, rows) {
		byName[c.name] = c
	}
	ps := panels(g)
	grid := make([][]*plot.Plot, len(ps))
	for k, pn := range ps {
		p := plot.New()
		p.Title.Text = pn.title
		if k == 0 && label != "" {
			p.Title.Text = label + " - " + pn.title
		}
		p.X.Label.Text, p.Y.Label.Text = "seconds", pn.y
		p.Legend.Top, p.Legend.Left = true, true
		for j, name := range pn.cols {
			scale := 1.0
			if j < len(pn.scale) {
				scale = pn.scale[j]
			}
			line, err := plotter.NewLine(xy(byName[name], rows, scale))
			if err != nil {
				return err
			}
			line.Color, line.Width = plotutil.Color(j), vg.Points(1)
			if j >= 5 || name == "box_cpu_pressure_pct" { // the palette's colours repeat in shades: dash the later lines
				line.Dashes, line.Width = []vg.Length{vg.Points(5), vg.Points(2)}, vg.Points(1.5)
			}
			p.Add(line)
			legend := name
			if scale != 1 {
				legend = fmt.Sprintf("%s x %g", name, scale)
			}
			p.Legend.Add(legend, line)
		}
		if k == 1 {
			p.Add(limitLine(rows))
		}
		grid[k] = []*plot.Plot{p}
	}
	img := vgimg.New(vg.Points(900), vg.Points(1100))
	dc := draw.New(img)
	canvases := plot.Align(grid, draw.Tiles{Rows: len(ps), Cols: 1, PadTop: 4, PadBottom: 4, PadY: 10, PadLeft: 4, PadRight: 8}, dc)
	for k := range grid {
		grid[k][0].Draw(canvases[k][0])
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func xy(c seriesOf, rows []sampleRow, scale float64) plotter.XYs {
	pts := make(plotter.XYs, len(rows))
	for i := range rows {
		pts[i].X, pts[i].Y = rows[i].at.Seconds(), c.at(i)*scale
	}
	return pts
}

// limitLine marks the 100 ms goal on the latency panel.
func limitLine(rows []sampleRow) *plotter.Line {
	end := 1.0
	if len(rows) > 0 {
		end = rows[len(rows)-1].at.Seconds()
	}
	l, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 100}, {X: end, Y: 100}})
	l.Color, l.Dashes = color.Gray{Y: 128}, []vg.Length{vg.Points(4), vg.Points(4)}
	return l
}
