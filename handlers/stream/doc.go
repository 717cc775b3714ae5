// Package stream is the engine of one Server-Sent Events stream after its
// connection was taken over from net/http.
//
// net/http would otherwise keep, per idle stream, a 4 KiB read buffer, a
// 4 KiB write buffer, a goroutine reading in the background, and the
// handler goroutine whose stack grew while it read the snapshot: about
// 70 KiB of RSS per stream, measured. Taken over, a stream is one
// goroutine started with a small stack that both waits and writes, and
// writes frames straight from the shared bytes (writev), with no buffer
// of its own (BENCHMARKS.md has the figures).
//
// The goroutine waits in Read on the connection, which is how it learns
// the client left. Its read deadline is its timer: the next heartbeat,
// the age limit or its drain moment. New deltas wake it by moving the
// deadline to the past (Kick, through the Source's OnWake); it then
// writes what is queued and waits again. It sets the deadline before it
// looks at the queue, so a wake in between is never lost.
//
// Nothing here needs a network: the tests run a Stream on net.Pipe.
package stream
