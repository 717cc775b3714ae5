package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"time"
)

// profiler takes CPU profiles of the phases of a run: the storm (every
// stream connecting) and the window (POSTs or the idle hold), of a
// server through its pprof address (MENUSYNC_DEBUG_ADDR) and of this
// process, into files named <prefix>.<who>-<phase>.pprof.
type profiler struct {
	addr   string // host:port of the server's debug listener; "" for none
	prefix string // "" turns profiling off
}

// start begins profiling a phase that lasts about d; the returned
// function ends it (and waits for the server's profile).
func (p profiler) start(phase string, d time.Duration) func() {
	if p.prefix == "" {
		return func() {}
	}
	var self *os.File
	if f, err := os.Create(p.prefix + ".load-" + phase + ".pprof"); err == nil && pprof.StartCPUProfile(f) == nil {
		self = f
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if p.addr != "" {
			p.fetch(phase, d)
		}
	}()
	return func() {
		if self != nil {
			pprof.StopCPUProfile()
			self.Close()
		}
		<-done
	}
}

// fetch saves the server's CPU profile over d.
func (p profiler) fetch(phase string, d time.Duration) {
	secs := max(int(d.Round(time.Second)/time.Second), 1)
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	url := fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", p.addr, secs)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "menusync-load: profile:", err)
		return
	}
	defer resp.Body.Close()
	f, err := os.Create(p.prefix + ".server-" + phase + ".pprof")
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = io.Copy(f, resp.Body)
}
