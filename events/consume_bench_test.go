package events_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/news"
)

// BenchmarkConsume measures how fast Consume works off a backlog, isolated
// from Elasticsearch: the sink takes a fixed time per batch (store=...), as
// the index's bulk request and refresh do, and accepts every doc. The
// articles are like BenchmarkIndexThroughput's (300 words of text), in the
// default batches of 500. With store=0 it is the consumer's own cost
// (fetching, decoding, acking); with a store time it shows how much of that
// cost is hidden behind the sink's. NEWSDESK_BENCH_DOCS sets the number of
// articles (default 5000).
func BenchmarkConsume(b *testing.B) {
	n := 5000
	if v := os.Getenv("NEWSDESK_BENCH_DOCS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(b.Context(), 10*time.Minute) // a bound on a hung run
	defer cancel()
	srv := startServer(b, b.TempDir())
	bus := connect(ctx, b, srv.ClientURL())
	publish(ctx, b, bus, benchEvents(n)...)

	durables := 0 // each run reads the whole stream on a fresh durable
	for _, perBatch := range []time.Duration{0, 30 * time.Millisecond, 100 * time.Millisecond} {
		b.Run(fmt.Sprintf("store=%v", perBatch), func(b *testing.B) {
			var secs float64
			for b.Loop() {
				sink := &sleepySink{perBatch: perBatch, want: int64(n), done: make(chan struct{})}
				durables++
				durable := fmt.Sprintf("bench-%d", durables)
				start := time.Now()
				stop := consume(ctx, b, bus, events.ConsumeOptions{Durable: durable}, sink)
				select {
				case <-sink.done:
				case <-ctx.Done():
					b.Fatal("the backlog was not consumed")
				}
				secs += time.Since(start).Seconds()
				stop()
			}
			b.ReportMetric(float64(n*b.N)/secs, "docs/s")
		})
	}
}

// sleepySink accepts every doc after sleeping perBatch per Store call, and
// closes done once it accepted want docs.
type sleepySink struct {
	perBatch time.Duration
	stored   atomic.Int64
	want     int64
	once     sync.Once
	done     chan struct{}
}

func (s *sleepySink) Store(_ context.Context, docs []news.Article) []error {
	time.Sleep(s.perBatch)
	if s.stored.Add(int64(len(docs))) >= s.want {
		s.once.Do(func() { close(s.done) })
	}
	return make([]error, len(docs))
}

// benchEvents are n creation events of distinct articles of 300 words.
func benchEvents(n int) []news.ArticleEvent {
	r := rand.New(rand.NewPCG(1, 2))
	vocabulary := strings.Fields("privacy data broker police facial recognition encryption spyware " +
		"hospital lawsuit settlement regulator fine children online safety court ruling company users")
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = vocabulary[r.IntN(len(vocabulary))]
		}
		return strings.Join(w, " ")
	}
	evs := make([]news.ArticleEvent, n)
	for i := range evs {
		a := article("wire", fmt.Sprintf("https://wire.example/story/%d", i), words(300))
		a.Title, a.Language, a.WordCount = words(8), "en", 300
		a.Authors, a.Topics = []string{fmt.Sprintf("Reporter %d", r.IntN(200))}, []string{vocabulary[r.IntN(12)]}
		a.Published = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(3*365*24)) * time.Hour)
		evs[i] = event(news.ArticleCreated, a)
	}
	return evs
}
