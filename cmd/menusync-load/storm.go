package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// storm is what the storm (every stream connecting at once) cost this
// tool, and what the kernel's listen queues dropped meanwhile: a storm
// slowed by a full accept queue (somaxconn) or SYN queue
// (tcp_max_syn_backlog) shows there, with the connects retried. The
// kernel's counters are the network namespace's, so another program's
// connections in the same seconds count too.
type storm struct {
	CPU float64 // CPU seconds of this process
	// /proc/net/netstat TcpExt counters
	ListenOverflows int64 // a connection completed while the accept queue was full
	ListenDrops     int64 // SYNs and completions dropped at a listener, all causes
	SYNQueueDrops   int64 // TCPReqQFullDrop: SYNs dropped, the SYN queue full
	SYNCookies      int64 // TCPReqQFullDoCookies: SYN cookies sent, the SYN queue full
}

func stormSample() storm {
	s := storm{}
	s.CPU, _ = procCPU(os.Getpid())
	if f, err := os.Open("/proc/net/netstat"); err == nil {
		defer f.Close()
		s.setKernel(f)
	}
	return s
}

// setKernel reads the TcpExt counters from /proc/net/netstat's text: a
// line of names, then a line of values.
func (s *storm) setKernel(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 16<<10), 1<<20)
	var names []string
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "TcpExt:") {
			names = nil
			continue
		}
		fields := strings.Fields(line)[1:]
		if names == nil || len(fields) == 0 || fields[0][0] < '0' || fields[0][0] > '9' {
			names = fields
			continue
		}
		for i, name := range names {
			if i >= len(fields) {
				break
			}
			v, _ := strconv.ParseInt(fields[i], 10, 64)
			switch name {
			case "ListenOverflows":
				s.ListenOverflows = v
			case "ListenDrops":
				s.ListenDrops = v
			case "TCPReqQFullDrop":
				s.SYNQueueDrops = v
			case "TCPReqQFullDoCookies":
				s.SYNCookies = v
			}
		}
		names = nil
	}
}

func (s storm) sub(o storm) storm {
	return storm{CPU: s.CPU - o.CPU, ListenOverflows: s.ListenOverflows - o.ListenOverflows, ListenDrops: s.ListenDrops - o.ListenDrops,
		SYNQueueDrops: s.SYNQueueDrops - o.SYNQueueDrops, SYNCookies: s.SYNCookies - o.SYNCookies}
}

// add sums the processes' CPU; their kernel counts are the same
// machine's over overlapping storms, so the largest is kept (a
// multi-process run measures them itself, over all the storms).
func (s *storm) add(o storm) {
	s.CPU += o.CPU
	s.ListenOverflows = max(s.ListenOverflows, o.ListenOverflows)
	s.ListenDrops = max(s.ListenDrops, o.ListenDrops)
	s.SYNQueueDrops = max(s.SYNQueueDrops, o.SYNQueueDrops)
	s.SYNCookies = max(s.SYNCookies, o.SYNCookies)
}

// report is the storm's line of the report.
func (s storm) report(out io.Writer, r result) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "storm: load tool CPU %.2f s (%.0f%% of one core over %v); connects retried %d; kernel listen queues: overflows %d, drops %d, SYN queue full: dropped %d, cookies %d",
		s.CPU, 100*s.CPU/max(r.Establish.Seconds(), 1e-3), r.Establish.Round(1e6), r.Retried,
		s.ListenOverflows, s.ListenDrops, s.SYNQueueDrops, s.SYNCookies)
	if s.ListenOverflows+s.ListenDrops+s.SYNQueueDrops+s.SYNCookies > 0 {
		b.WriteString(" (the kernel's queues overflowed: the storm waited on them)")
	}
	b.WriteByte('\n')
	_, _ = out.Write(b.Bytes())
}
