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
	// TCP sockets in TIME_WAIT as the storm began (an earlier run's, any
	// program's): on the server's port, and in all. They crowd the
	// ephemeral ports (28,000 here), and every connect of the storm
	// must find a free 4-tuple among them: at 15,000 streams right
	// after another 15,000-stream run, the kernel's connect() took 5 s
	// of this tool's CPU instead of ~1-2 s.
	TimeWait, TimeWaitAll int64
}

// timeWaits counts the IPv4 TCP sockets in TIME_WAIT whose local or
// remote port is port, and all of them.
func timeWaits(port int) (onPort, all int64) {
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	return countTimeWaits(f, port)
}

// countTimeWaits reads /proc/net/tcp's text: "sl local rem st ...",
// addresses as hex IP:port, state 06 TIME_WAIT.
func countTimeWaits(r io.Reader, port int) (onPort, all int64) {
	p := fmt.Sprintf(":%04X", port)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 3 && f[3] == "06" {
			all++
			if strings.HasSuffix(f[1], p) || strings.HasSuffix(f[2], p) {
				onPort++
			}
		}
	}
	return onPort, all
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
	s.TimeWait = max(s.TimeWait, o.TimeWait)
	s.TimeWaitAll = max(s.TimeWaitAll, o.TimeWaitAll)
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
	if s.TimeWaitAll > 1000 {
		fmt.Fprintf(&b, "; %d TCP sockets in TIME_WAIT at the start, %d of the server's port (earlier runs': connects were slower and costlier; wait a minute between runs)", s.TimeWaitAll, s.TimeWait)
	}
	b.WriteByte('\n')
	_, _ = out.Write(b.Bytes())
}
