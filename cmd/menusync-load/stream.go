package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The streams are read over raw TCP, not net/http: the tool runs on the
// cores of the server it measures, and a Transport per stream (dial, a
// read and a write goroutine, a persistConn and two buffers) cost about
// as much CPU in a 10,000-stream storm as the server's own work. A stream
// here is one goroutine, one socket and one 4 KiB bufio.Reader.

// target is where the streams connect, from -url.
type target struct {
	addr   string // host:port to dial
	host   string // the Host header
	prefix string // the URL's path, before /v1/...
}

func parseTarget(raw string) (target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return target{}, err
	}
	if u.Scheme != "http" || u.Host == "" {
		return target{}, fmt.Errorf("-url %q: streams are read over plain TCP, so an http:// URL with a host", raw)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return target{addr: addr, host: u.Host, prefix: strings.TrimSuffix(u.Path, "/")}, nil
}

// streamRequest is the GET a browser's EventSource sends, less what the
// server does not look at.
func (t target) streamRequest(roomID, token string) []byte {
	return []byte("GET " + t.prefix + "/v1/rooms/" + roomID + "/events HTTP/1.1\r\nHost: " + t.host +
		"\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n")
}

// readHead reads a response's status line and headers. status is what
// follows the protocol ("200 OK"). The server answers a stream with
// Connection: close and neither a length nor chunks (the body runs until
// the connection closes); a proxy may chunk it. Any other framing of a
// 200 is an error: this reader would misread it.
func readHead(br *bufio.Reader) (code int, status string, chunked bool, err error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, "", false, err
	}
	proto, rest, ok := bytes.Cut(trimCRLF(line), []byte(" "))
	if !ok || !bytes.HasPrefix(proto, []byte("HTTP/1.")) || len(rest) < 3 {
		return 0, "", false, fmt.Errorf("stream: bad status line %q", line)
	}
	if code, err = strconv.Atoi(string(rest[:3])); err != nil {
		return 0, "", false, fmt.Errorf("stream: bad status line %q", line)
	}
	status = string(rest)
	length := false
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return 0, "", false, fmt.Errorf("stream: reading headers: %w", err)
		}
		line = trimCRLF(line)
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, "", false, fmt.Errorf("stream: bad header line %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if !bytes.EqualFold(value, []byte("chunked")) {
				return 0, "", false, fmt.Errorf("stream: Transfer-Encoding %q not read here", value)
			}
			chunked = true
		case bytes.EqualFold(name, []byte("Content-Length")):
			length = true
		}
	}
	if code == 200 && length && !chunked {
		return 0, "", false, errors.New("stream: a 200 with a Content-Length; an event stream has none")
	}
	return code, status, chunked, nil
}

func trimCRLF(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// openOnce dials, sends the GET and reads the answer's head. On a 200 it
// returns the body's reader; a cancelled ctx closes the connection (no
// goroutine waits for that: context.AfterFunc), and so does close.
func (l *load) openOnce(ctx context.Context, r *loadRoom, token string, began time.Time, first bool) (body *bufio.Reader, close func(), err error) {
	conn, err := l.dial(ctx, "tcp", l.target.addr)
	if err != nil {
		return nil, nil, err
	}
	if first {
		l.dialed.add(time.Since(began))
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		// Closed with a reset, at the run's end or the process's exit: a
		// FIN would leave the socket in TIME_WAIT for a minute, and
		// 10,000 of those make the next run's connects scan the port
		// range, slower and costlier (see storm.TimeWait). Nothing is
		// measured after the streams close.
		_ = tc.SetLinger(0)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	close = func() {
		stop()
		_ = conn.Close()
	}
	if _, err := conn.Write(l.target.streamRequest(r.id, token)); err != nil {
		close()
		return nil, nil, err
	}
	br := bufio.NewReaderSize(conn, 4096)
	code, status, chunked, err := readHead(br)
	if err == nil && code != 200 {
		err = errors.New("stream status " + status)
	}
	if err != nil {
		close()
		return nil, nil, err
	}
	if chunked {
		br = bufio.NewReaderSize(httputil.NewChunkedReader(br), 4096)
	}
	return br, close, nil
}

// open opens a stream. Like EventSource, it tries again when the
// connection is refused or times out (a storm overflows accept queues);
// the first snapshot's time still counts from the first attempt.
func (l *load) open(ctx context.Context, r *loadRoom, token string, began time.Time) (*bufio.Reader, func()) {
	for attempt := 1; ; attempt++ {
		body, close, err := l.openOnce(ctx, r, token, began, attempt == 1)
		if err == nil {
			return body, close
		}
		if attempt == 5 || ctx.Err() != nil {
			l.httpErrors.Add(1)
			l.noteError(err.Error())
			return nil, nil
		}
		l.retried.Add(1)
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(attempt) * time.Second):
		}
	}
}

// stream reads one event stream: it needs one goroutine and one small
// buffer, and keeps only the last position it saw.
func (l *load) stream(ctx context.Context, r *loadRoom, token string, up chan<- struct{}) {
	began := time.Now()
	br, close := l.open(ctx, r, token, began)
	if br == nil {
		up <- struct{}{}
		return
	}
	defer close()
	l.readEvents(ctx, br, r, began, up)
}

// readLine reads one line without its "\n" or "\r\n" (SSE allows both).
// A line longer than the reader's buffer (the snapshot of a long menu) is
// gathered in *long.
func readLine(br *bufio.Reader, long *[]byte) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		*long = append((*long)[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = br.ReadSlice('\n')
			*long = append(*long, line...)
		}
		line = *long
	}
	if err != nil {
		return nil, err
	}
	return trimCRLF(line), nil
}

// readEvents parses the stream's events: the first must be the room's
// snapshot; then every choice is counted and timed, and every position
// checked.
func (l *load) readEvents(ctx context.Context, br *bufio.Reader, r *loadRoom, began time.Time, up chan<- struct{}) {
	var t tracker
	var id uint64
	var event, epoch string
	var data []byte
	first := true
	var long []byte
	for {
		line, err := readLine(br, &long)
		if err != nil {
			if ctx.Err() == nil {
				l.disconnects.Add(1)
			}
			if first {
				up <- struct{}{}
			}
			return
		}
		switch {
		case bytes.HasPrefix(line, []byte("id: ")):
			// "<epoch>.<version>"
			e, v, _ := bytes.Cut(line[4:], []byte("."))
			if string(e) != epoch { // compared without a copy; copied when it changes
				epoch = string(e)
			}
			id, _ = strconv.ParseUint(string(v), 10, 64)
		case bytes.HasPrefix(line, []byte("event: ")):
			event = eventName(line[7:])
		case bytes.HasPrefix(line, []byte("data: ")) && event == "snapshot" && first:
			if len(data) > 0 {
				data = append(data, '\n') // data lines join with a line break
			}
			data = append(data, line[6:]...)
		case len(line) == 0 && event == "heartbeat":
			event = ""
		case len(line) == 0 && event != "":
			now := time.Now()
			if first {
				if event != "snapshot" {
					l.badSnaps.Add(1)
				} else {
					l.checkLater(r, id, data)
				}
				l.firstSnap.add(now.Sub(began))
				l.connected.Add(1)
				first, data = false, nil
				up <- struct{}{}
			}
			l.count(t.see(event, epoch, id))
			if event == "choice" {
				l.delivered.Add(1)
				r.sends.delivered(id, now, r.streams, &l.latency)
			}
			event = ""
		}
	}
}

// eventName is an event's type without a copy for the usual ones.
func eventName(b []byte) string {
	switch string(b) {
	case "snapshot":
		return "snapshot"
	case "choice":
		return "choice"
	case "heartbeat":
		return "heartbeat"
	}
	return string(b)
}

// firstSnap is a stream's first snapshot, kept to be checked once the
// storm is over: decoding 10,000 snapshots during the storm would take
// CPU from the server being measured.
type firstSnap struct {
	room *loadRoom
	id   uint64
	data []byte
}

func (l *load) checkLater(r *loadRoom, id uint64, data []byte) {
	l.snapMu.Lock()
	l.snaps = append(l.snaps, firstSnap{room: r, id: id, data: data})
	l.snapMu.Unlock()
}

// checkSnapshots checks the first snapshots kept so far (goodSnapshot)
// and counts the wrong ones.
func (l *load) checkSnapshots() {
	l.snapMu.Lock()
	snaps := l.snaps
	l.snaps = nil
	l.snapMu.Unlock()
	for _, s := range snaps {
		if !goodSnapshot(s.data, s.room.id, s.id, l.cfg.roomSize) {
			l.badSnaps.Add(1)
		}
	}
}
