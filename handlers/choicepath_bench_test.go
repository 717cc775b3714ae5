package handlers_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/app"
	"github.com/menusync/menusync/internal/testproc"
)

// BenchmarkChoicePath is one choice through the whole replica, as a phone
// makes it: the POST over HTTP (JSON decode, the token, the rate limits),
// the Lua write and its PUBLISH in one EVALSHA to a real redis-server, the
// hub's subscription receiving it, framing, fan-out to the 8 streams of
// the table, and each stream's frame written to its (loopback) connection
// and read by its client. One op is one choice until all 8 have read it,
// so ns/op is the end-to-end latency on an idle box, not throughput.
// redis-cpu-µs/op is redis-server's CPU per choice.
func BenchmarkChoicePath(b *testing.B) {
	rd := testproc.StartRedis(b)
	c := app.Defaults()
	c.RedisURL, c.Secret, c.TokenTTL = rd.URL(), strings.Repeat("k", 32), time.Hour
	c.HTTP.Replica = "bench"
	c.HTTP.Limits = app.Defaults().HTTP.Limits
	c.HTTP.Limits.MemberRate, c.HTTP.Limits.IPRate = 0, 0
	a, err := app.New(c, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(a.Close)
	ts := httptest.NewServer(a.Server.Routes())
	b.Cleanup(ts.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

	post := func(path, token, body string) []byte {
		req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode/100 != 2 {
			b.Fatalf("%s: %d %s", path, resp.StatusCode, out)
		}
		return out
	}
	var room struct {
		ID      string `json:"id"`
		Creator struct {
			Token string `json:"token"`
		} `json:"creator"`
	}
	var menu []string
	for i := range 30 {
		menu = append(menu, `{"id":"d`+strconv.Itoa(i)+`","name":"Dish `+strconv.Itoa(i)+`","price":"12.50"}`)
	}
	if err := json.Unmarshal(post("/v1/rooms", "", `{"name":"Bench","currency":"EUR","creatorName":"Host","menu":[`+strings.Join(menu, ",")+`]}`), &room); err != nil {
		b.Fatal(err)
	}
	tokens := []string{room.Creator.Token}
	for i := range 7 {
		var j struct{ Token string }
		_ = json.Unmarshal(post("/v1/rooms/"+room.ID+"/members", "", `{"name":"Guest `+strconv.Itoa(i)+`"}`), &j)
		tokens = append(tokens, j.Token)
	}
	// 8 streams, each reporting every choice event it reads
	got := make(chan struct{}, 1024)
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	for _, tok := range tokens {
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/v1/rooms/"+room.ID+"/events", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := (&http.Client{}).Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("stream: %v", err)
		}
		b.Cleanup(func() { resp.Body.Close() })
		go func() {
			br := bufio.NewReader(resp.Body)
			for {
				line, err := br.ReadSlice('\n')
				if err != nil {
					return
				}
				if bytes.Equal(line, []byte("event: choice\n")) {
					got <- struct{}{}
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond) // snapshots and presence events out of the way
	b.ReportAllocs()
	cpu := rd.CPUTime()
	i := 0
	for b.Loop() {
		i++
		post("/v1/rooms/"+room.ID+"/choices", tokens[i%8], `{"menuId":"d`+strconv.Itoa(i%30)+`","quantity":`+strconv.Itoa(i%50+1)+`}`)
		for range 8 {
			select {
			case <-got:
			case <-time.After(5 * time.Second):
				b.Fatal("a stream did not get the choice")
			}
		}
	}
	if used := rd.CPUTime() - cpu; used > 0 && b.N > 0 {
		b.ReportMetric(float64(used.Microseconds())/float64(b.N), "redis-cpu-µs/op")
	}
}
