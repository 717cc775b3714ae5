package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// result is what one process measured; a run over several processes adds
// them up (histograms bucket by bucket).
type result struct {
	Streams, Connected            int64
	Establish, Elapsed            time.Duration
	Posted, Delivered, HTTPErrors int64
	Skipped                       int64 // POSTs due while the cap on POSTs in flight was reached
	Lost, Duplicated, Reordered   int64
	Disconnects, BadSnapshots     int64
	Retried                       int64
	Storm                         storm   // the storm's CPU (summed) and kernel queue drops
	LoadCPU                       float64 // CPU seconds the load processes used over the window
	Latency, FirstSnap, Dialed    [256]int64
	Errors                        map[string]int64 // failed streams by message
}

func (r *result) add(o result) {
	r.Streams += o.Streams
	r.Connected += o.Connected
	r.Establish = max(r.Establish, o.Establish)
	r.Elapsed = max(r.Elapsed, o.Elapsed)
	r.Posted += o.Posted
	r.Skipped += o.Skipped
	r.Delivered += o.Delivered
	r.HTTPErrors += o.HTTPErrors
	r.Lost += o.Lost
	r.Duplicated += o.Duplicated
	r.Reordered += o.Reordered
	r.Disconnects += o.Disconnects
	r.BadSnapshots += o.BadSnapshots
	r.Retried += o.Retried
	r.LoadCPU += o.LoadCPU
	r.Storm.add(o.Storm)
	if r.Errors == nil {
		r.Errors = map[string]int64{}
	}
	for k, v := range o.Errors {
		r.Errors[k] += v
	}
	for i := range r.Latency {
		r.Latency[i] += o.Latency[i]
		r.FirstSnap[i] += o.FirstSnap[i]
		r.Dialed[i] += o.Dialed[i]
	}
}

// usage is a process's CPU seconds and RSS at one moment.
type usage struct {
	cpu float64
	rss int64
}

func sample(pids []int) []usage {
	u := make([]usage, len(pids))
	for i, p := range pids {
		u[i].cpu, u[i].rss = procCPU(p)
	}
	return u
}

func quantile(b *[256]int64, q float64) time.Duration {
	var h histogram
	for i := range b {
		h.buckets[i].Store(b[i])
	}
	return h.quantile(q)
}

func report(out io.Writer, cfg config, r result, before, after []usage) error {
	if cfg.procs > 1 {
		fmt.Fprintf(out, "streams: %d of %d established in %v over %d processes\n", r.Connected, r.Streams, r.Establish.Round(time.Millisecond), cfg.procs)
	}
	fmt.Fprintf(out, "first snapshot (GET sent to snapshot read): p50 %v, p99 %v, p99.9 %v; wrong snapshots %d\n",
		quantile(&r.FirstSnap, 0.5), quantile(&r.FirstSnap, 0.99), quantile(&r.FirstSnap, 0.999), r.BadSnapshots)
	if quantile(&r.Dialed, 0.5) > 0 {
		fmt.Fprintf(out, "  of which connecting (GET sent to connection up): p50 %v, p99 %v\n", quantile(&r.Dialed, 0.5), quantile(&r.Dialed, 0.99))
	}
	r.Storm.report(out, r)
	secs := r.Elapsed.Seconds()
	if cfg.rate > 0 {
		fmt.Fprintf(out, "posted: %d choices in %v (%.0f/s of %.0f/s asked; %d due while the cap on POSTs in flight was reached), HTTP errors %d\n",
			r.Posted, r.Elapsed.Round(time.Millisecond), float64(r.Posted)/secs, cfg.rate, r.Skipped, r.HTTPErrors)
		fmt.Fprintf(out, "delivered: %d events (%.0f/s)\n", r.Delivered, float64(r.Delivered)/secs)
		fmt.Fprintf(out, "latency (POST sent to event read): p50 %v, p99 %v, p99.9 %v\n",
			quantile(&r.Latency, 0.5), quantile(&r.Latency, 0.99), quantile(&r.Latency, 0.999))
	} else {
		fmt.Fprintf(out, "held idle for %v\n", r.Elapsed.Round(time.Millisecond))
	}
	if r.Retried > 0 {
		fmt.Fprintf(out, "stream attempts retried: %d\n", r.Retried)
	}
	for msg, n := range r.Errors {
		fmt.Fprintf(out, "failed streams (after 5 attempts): %d x %s\n", n, msg)
	}
	fmt.Fprintf(out, "lost %d, duplicated %d, out of order %d, streams ended by the server %d\n", r.Lost, r.Duplicated, r.Reordered, r.Disconnects)
	for i, p := range cfg.pids {
		if i < len(before) && i < len(after) {
			reportPid(out, p, before[i], after[i], r, cfg.rate > 0)
		}
	}
	fmt.Fprintf(out, "load tool: CPU %.1f%% of one core over the window\n", 100*r.LoadCPU/secs)
	if r.Lost+r.Duplicated+r.Reordered+r.BadSnapshots > 0 {
		return errors.New("streams saw lost, duplicated or reordered versions, or a wrong snapshot")
	}
	return nil
}

// reportPid prints a process's RSS at the start and end of the window
// and its CPU over it: as a share of one core, and, under POSTs, in µs per
// accepted choice and per delivered event.
func reportPid(out io.Writer, pid int, before, after usage, r result, posting bool) {
	secs := r.Elapsed.Seconds()
	cpu := after.cpu - before.cpu
	perStream := func(u usage) float64 { return float64(u.rss) / 1024 / float64(max(r.Connected, 1)) }
	fmt.Fprintf(out, "pid %d: RSS %.1f MiB (%.1f KiB per stream of %d; %.1f KiB at the window's start), CPU %.1f%% of one core over the %v", pid,
		float64(after.rss)/(1<<20), perStream(after), r.Connected, perStream(before),
		100*cpu/secs, map[bool]string{true: "POSTs", false: "idle hold"}[posting])
	if posting && r.Posted > 0 && r.Delivered > 0 {
		fmt.Fprintf(out, ": %.1f µs per choice, %.2f µs per delivery", cpu*1e6/float64(r.Posted), cpu*1e6/float64(r.Delivered))
	}
	fmt.Fprintln(out)
}

// runChild is one process of a multi-process run: connect, say "ready",
// wait for "go" on stdin, drive, print the result as JSON.
func (l *load) runChild(ctx context.Context, in io.Reader, out io.Writer) error {
	lessGC()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	establish, err := l.connect(sctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "ready")
	if _, err := bufio.NewReader(in).ReadString('\n'); err != nil {
		return err
	}
	self := sample([]int{os.Getpid()})
	elapsed := l.drive(sctx)
	res := l.result(establish, elapsed)
	res.LoadCPU = sample([]int{os.Getpid()})[0].cpu - self[0].cpu
	cancel()
	return json.NewEncoder(out).Encode(res)
}

// runProcs splits the run over cfg.procs copies of this program (each
// process may hold at most 20,000 open files here), starts the POSTs in
// all of them at once, and adds up what they measured.
func runProcs(ctx context.Context, cfg config, args []string, out io.Writer) error {
	var kids []child
	kernel0 := stormSample()
	defer func() {
		for _, k := range kids {
			_ = k.cmd.Process.Kill()
			_ = k.cmd.Wait()
		}
	}()
	for i := range cfg.procs {
		n := cfg.streams / cfg.procs
		if i < cfg.streams%cfg.procs {
			n++
		}
		childArgs := append(append([]string{}, args...), "-child", "-procs", "1", "-streams", strconv.Itoa(n),
			"-rate", strconv.FormatFloat(cfg.rate/float64(cfg.procs), 'f', -1, 64), "-pid", "")
		if cfg.prof.prefix != "" {
			// each child profiles itself; the server once, from the first
			childArgs = append(childArgs, "-profile", fmt.Sprintf("%s.p%d", cfg.prof.prefix, i))
			if i > 0 {
				childArgs = append(childArgs, "-pprof", "")
			}
		}
		k, err := startChild(ctx, childArgs)
		if err != nil {
			return err
		}
		kids = append(kids, k)
	}
	for i, k := range kids {
		if !k.lines.Scan() || k.lines.Text() != "ready" {
			return fmt.Errorf("process %d did not get its streams up: %q", i, k.lines.Text())
		}
	}
	kernel := stormSample().sub(kernel0) // over every process's storm (and their rooms' setup)
	settle(ctx, cfg.settle)
	before := sample(cfg.pids)
	for _, k := range kids {
		fmt.Fprintln(k.stdin, "go")
	}
	total, err := collect(kids)
	after := sample(cfg.pids)
	if err != nil {
		return err
	}
	kernel.CPU = total.Storm.CPU // the children's; this process only waited
	kernel.TimeWait, kernel.TimeWaitAll = total.Storm.TimeWait, total.Storm.TimeWaitAll
	total.Storm = kernel
	return report(out, cfg, total, before, after)
}

// child is one process of a run over several.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *bufio.Scanner
}

// startChild starts this program again with args; it says "ready" once
// its streams are up, starts on "go", and prints its result as JSON.
func startChild(ctx context.Context, args []string) (child, error) {
	self, err := os.Executable()
	if err != nil {
		return child{}, err
	}
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return child{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return child{}, err
	}
	if err := cmd.Start(); err != nil {
		return child{}, err
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return child{cmd: cmd, stdin: stdin, lines: sc}, nil
}

// collect adds up the children's results as they finish.
func collect(kids []child) (result, error) {
	var mu sync.Mutex
	var total result
	var errs []error
	var wg sync.WaitGroup
	for i, k := range kids {
		wg.Go(func() {
			var r result
			if !k.lines.Scan() {
				mu.Lock()
				errs = append(errs, fmt.Errorf("process %d ended without a result", i))
				mu.Unlock()
				return
			}
			err := json.Unmarshal(k.lines.Bytes(), &r)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			total.add(r)
		})
	}
	wg.Wait()
	return total, errors.Join(errs...)
}
