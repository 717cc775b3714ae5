package main

import (
	"strings"
	"testing"
)

func TestStormKernelCounters(t *testing.T) {
	netstat := "TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPReqQFullDoCookies TCPReqQFullDrop\n" +
		"TcpExt: 1 20 30 4 5\n" +
		"IpExt: InNoRoutes ListenOverflows\n" +
		"IpExt: 0 99\n"
	var s storm
	s.setKernel(strings.NewReader(netstat))
	if s.ListenOverflows != 20 || s.ListenDrops != 30 || s.SYNCookies != 4 || s.SYNQueueDrops != 5 {
		t.Fatalf("%+v", s)
	}
	d := s.sub(storm{ListenOverflows: 15, ListenDrops: 30})
	if d.ListenOverflows != 5 || d.ListenDrops != 0 {
		t.Fatalf("difference %+v", d)
	}
}

func TestCountTimeWaits(t *testing.T) {
	tcp := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:46AB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:8A3C 0100007F:46AB 06 00000000:00000000 03:00000F2A 00000000     0        0 0 3 0000000000000000
   2: 0100007F:46AB 0100007F:9000 06 00000000:00000000 03:00000F2A 00000000     0        0 0 3 0000000000000000
   3: 0100007F:8A3D 0100007F:46AC 06 00000000:00000000 03:00000F2A 00000000     0        0 0 3 0000000000000000
   4: 0100007F:8A3E 0100007F:46AB 01 00000000:00000000 00:00000000 00000000     0        0 0 3 0000000000000000
`
	if n, all := countTimeWaits(strings.NewReader(tcp), 0x46AB); n != 2 || all != 3 {
		t.Fatalf("%d in TIME_WAIT on port 18091 of %d, want 2 of 3", n, all)
	}
}
