package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// sampleRow is the servers' CPU and memory in one second of the run.
type sampleRow struct {
	at         time.Duration
	tables     int64
	people     int64
	cpu, rss   []float64 // by group: % of one core, MiB
	redisUsed  float64   // Redis used_memory, MiB
	redisCalls int64     // Redis commands processed so far
	waiting    int64     // tables waiting to be let in
	pressure   float64   // the box's CPU pressure: % of the second some runnable task waited for a core (PSI)
}

// cpuStall is the kernel's count of microseconds in which some runnable
// task waited for a CPU (/proc/pressure/cpu "some" total); ok false
// where the kernel has no PSI.
func cpuStall() (us int64, ok bool) {
	b, err := os.ReadFile("/proc/pressure/cpu")
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	_, total, found := strings.Cut(line, "total=")
	n, err := strconv.ParseInt(strings.TrimSpace(total), 10, 64)
	return n, found && err == nil
}

// groups are what the sampler reports on: each replica, nginx's workers
// together, redis-server, and this load tool.
type groups struct {
	names []string
	pids  [][]int
	redis string
}

func newGroups(d dinnerConfig) groups {
	var g groups
	for i, p := range d.replicas {
		g.names, g.pids = append(g.names, fmt.Sprintf("replica %d", i+1)), append(g.pids, []int{p})
	}
	if len(d.nginx) > 0 {
		g.names, g.pids = append(g.names, "nginx"), append(g.pids, d.nginx)
	}
	g.redis = d.redis
	if pid, _, _ := redisInfo(d.redis); pid > 0 {
		g.names, g.pids = append(g.names, "redis"), append(g.pids, []int{int(pid)})
	}
	g.names, g.pids = append(g.names, "load tool"), append(g.pids, []int{os.Getpid()})
	return g
}

// usageOf is a group's CPU seconds so far and RSS in MiB.
func (g *groups) usageOf(i int) (cpu, rss float64) {
	for _, p := range g.pids[i] {
		c, r := procCPU(p)
		cpu += c
		rss += float64(r) / (1 << 20)
	}
	return cpu, rss
}

// sampleEvery samples the groups every second until ctx ends, and
// returns the rows.
func (g *groups) sampleEvery(ctx context.Context, start time.Time, st *dinnerStats) []sampleRow {
	var rows []sampleRow
	prev := make([]float64, len(g.names))
	for i := range g.names {
		prev[i], _ = g.usageOf(i)
	}
	last := time.Now()
	stall, _ := cpuStall()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return rows
		case now := <-tick.C:
			r := sampleRow{at: now.Sub(start), tables: st.tablesOpen.Load(), people: st.people.Load(), waiting: st.waiting.Load()}
			dt := now.Sub(last).Seconds()
			if s, ok := cpuStall(); ok {
				r.pressure, stall = float64(s-stall)/1e4/dt, s
			}
			for i := range g.names {
				c, m := g.usageOf(i)
				r.cpu, r.rss = append(r.cpu, 100*(c-prev[i])/dt), append(r.rss, m)
				prev[i] = c
			}
			_, used, calls := redisInfo(g.redis)
			r.redisUsed, r.redisCalls = float64(used)/(1<<20), calls
			rows, last = append(rows, r), now
		}
	}
}

// redisInfo reads redis-server's pid, used_memory and commands processed
// with one INFO over a plain connection (RESP).
func redisInfo(addr string) (pid, used, calls int64) {
	if addr == "" {
		return 0, 0, 0
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return 0, 0, 0
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("INFO\r\n")); err != nil {
		return 0, 0, 0
	}
	br := bufio.NewReader(c)
	head, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(head, "$") {
		return 0, 0, 0
	}
	for {
		line, err := br.ReadString('\n')
		if err != nil || strings.TrimSpace(line) == "" && pid > 0 && used > 0 && calls > 0 {
			return pid, used, calls
		}
		k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
		n, _ := strconv.ParseInt(v, 10, 64)
		switch k {
		case "process_id":
			pid = n
		case "used_memory":
			used = n
		case "total_commands_processed":
			calls = n
		}
	}
}
