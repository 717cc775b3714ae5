package pubsub

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/rooms"
)

func BenchmarkEncodeFrame(b *testing.B) {
	data := []byte(`{"menuId":"bibimbap","memberId":"0123456789abcdef","quantity":2,"version":12345}`)
	b.ReportAllocs()
	for b.Loop() {
		_ = NewFrame(menusync.Position{Epoch: "AAAAAAAAAAA", Version: 12345}, menusync.TypeChoice, data, time.Time{})
	}
}

// benchHub is a hub with one room of n listeners and no Redis behind it:
// dispatch is pure in-process fan-out.
func benchHub(b *testing.B, n int) (*Hub, []*Listener) {
	b.Helper()
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // never dialled
	b.Cleanup(func() { _ = c.Close() })
	h := New(Config{Client: c, BufferSize: 32})
	b.Cleanup(func() { h.cancel() })
	id := "AAAAAAAAAAAAAAAAAAAAAA"
	r := &room{id: id, listeners: map[*Listener]struct{}{}, ready: make(chan struct{}), isReady: true}
	h.rooms[id] = r
	ls := make([]*Listener, n)
	for i := range ls {
		ls[i] = newListener(h, r, 32)
		r.listeners[ls[i]] = struct{}{}
	}
	return h, ls
}

// BenchmarkFanOut measures one delta from the Redis message to every
// local listener's queue: parse once, frame once, n non-blocking sends.
// Listeners are drained every 16 deltas (part of the cost, as a real
// stream's receive would be).
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("listeners=%d", n), func(b *testing.B) {
			h, ls := benchHub(b, n)
			msgs := make([]*redis.Message, 1024)
			b.ReportAllocs()
			v := uint64(0)
			for b.Loop() {
				v++
				m := msgs[v%1024]
				if m == nil {
					m = &redis.Message{Channel: rooms.Channel("AAAAAAAAAAAAAAAAAAAAAA")}
					msgs[v%1024] = m
				}
				m.Payload = "AAAAAAAAAAA\n" + strconv.FormatUint(v, 10) + "\nchoice\n1700000000000000\n{\"menuId\":\"a\",\"memberId\":\"0123456789abcdef\",\"quantity\":2,\"version\":" + strconv.FormatUint(v, 10) + "}"
				h.dispatch(m)
				if v%16 == 0 {
					for _, l := range ls {
						for len(l.ch) > 0 {
							<-l.ch
						}
					}
				}
			}
			b.ReportMetric(float64(n), "deliveries/op")
			if d := h.Stats.Dropped.Load(); d > 0 {
				b.Fatalf("%d deltas dropped: the benchmark's listeners fell behind", d)
			}
		})
	}
}
