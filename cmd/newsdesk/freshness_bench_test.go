package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsdesk/config"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// BenchmarkFreshness measures publish → searchable: stories published as
// article events at a steady rate into `newsdesk run`'s pipeline (embedded
// NATS, the indexer consumer with its defaults, the index, the search API),
// and the time from each publish until a search through the API first
// finds it. One poller asks every freshPoll for all the stories not found
// yet (one OR query), as a reader refreshing a page would, so the figure's
// resolution is freshPoll, not its load. It reports p50, p95 and p99 in ms
// (goals: p99 under 300 ms embedded, under 1 s on Elasticsearch).
//
// NEWSDESK_BENCH_STORIES sets the stories (default 200, at 5 a second);
// NEWSDESK_BENCH_REFRESH sets the Elasticsearch refresh interval
// (elasticsearch.refresh_interval, default 1s).
func BenchmarkFreshness(b *testing.B) {
	b.Run("embedded", func(b *testing.B) { benchFreshness(b, "") })
	b.Run("elasticsearch", func(b *testing.B) { benchFreshness(b, testenv.ElasticsearchURL(b)) })
}

const (
	freshRate = 5 // stories a second
	freshPoll = 10 * time.Millisecond
)

func benchFreshness(b *testing.B, esURL string) {
	n := 200
	if v, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_STORIES")); err == nil && v > 0 {
		n = v
	}
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.NATS.Embedded = config.EmbeddedNATS{Host: "127.0.0.1", Port: -1}
	cfg.HTTP.Addr = "127.0.0.1:0"
	cfg.Sources = []config.Source{{Name: "wire", Seeds: []string{"http://127.0.0.1:1/"}}} // never crawled
	if esURL != "" {
		cfg.Elasticsearch.URLs = []string{esURL}
		cfg.Elasticsearch.Index = fmt.Sprintf("newsdesk-bench-fresh-%d", time.Now().UnixNano())
		if v := os.Getenv("NEWSDESK_BENCH_REFRESH"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				b.Fatalf("NEWSDESK_BENCH_REFRESH: %v", err)
			}
			cfg.Elasticsearch.RefreshInterval = config.Duration(d)
		}
		b.Cleanup(func() { testenv.DropElasticsearchIndex(b, esURL, cfg.Elasticsearch.Index) })
	}
	ctx := context.Background()
	p, err := startPipeline(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()

	docs := benchArticles(n + 1)
	var lat []time.Duration
	for iter := 0; b.Loop(); iter++ {
		// A first story, waited for, so the consumer exists and the index
		// has answered a search before anything is timed.
		warm := freshStory(docs[n], iter, n)
		if _, err := publishAndWait(ctx, b, p, []news.Article{warm}); err != nil {
			b.Fatal(err)
		}
		stories := make([]news.Article, n)
		for i := range stories {
			stories[i] = freshStory(docs[i], iter, i)
		}
		got, err := publishAndWait(ctx, b, p, stories)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, got...)
	}
	slices.Sort(lat)
	pct := func(q float64) float64 {
		return float64(lat[min(int(q*float64(len(lat))), len(lat)-1)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}

// freshStory is a with an id, URL and a word of its own (what the poller
// searches for), new in each iteration.
func freshStory(a news.Article, iter, i int) news.Article {
	a.URL = fmt.Sprintf("https://wire.example/fresh/%d/%d", iter, i)
	a.ID = news.DocID(a.URL)
	a.Text = freshWord(iter, i) + " " + a.Text
	a.FetchedAt, a.Revision = time.Now().UTC(), 1
	return a
}

// freshWord is a token no other story holds and no analyzer splits or stems.
func freshWord(iter, i int) string { return fmt.Sprintf("zqfresh%dx%d", iter, i) }

// publishAndWait publishes stories at freshRate and returns, for each, how
// long after its publish began a search first found it.
func publishAndWait(ctx context.Context, b *testing.B, p *pipeline, stories []news.Article) ([]time.Duration, error) {
	published := make(chan int, len(stories))
	start := make([]time.Time, len(stories))
	go func() {
		tick := time.NewTicker(time.Second / freshRate)
		defer tick.Stop()
		for i, a := range stories {
			start[i] = time.Now()
			if err := p.nats.Publish(ctx, news.NewArticleEvent(news.ArticleCreated, a, a.FetchedAt)); err != nil {
				b.Error(err)
			}
			published <- i
			if i < len(stories)-1 {
				<-tick.C
			}
		}
	}()
	byID := map[string]int{}
	for i, a := range stories {
		byID[a.ID] = i
	}
	lat := make([]time.Duration, len(stories))
	waiting := map[int]bool{}
	deadline := time.Now().Add(time.Duration(len(stories))*time.Second/freshRate + time.Minute) // a hung run, not a measurement
	for found := 0; found < len(stories); {
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%d of %d stories never became searchable", len(stories)-found, len(stories))
		}
	drain:
		for {
			select {
			case i := <-published:
				waiting[i] = true
			default:
				break drain
			}
		}
		if len(waiting) == 0 {
			time.Sleep(freshPoll)
			continue
		}
		var words []string
		for i := range waiting {
			words = append(words, strings.Fields(stories[i].Text)[0])
		}
		res, err := searchAPI(ctx, p.URL(), url.Values{"q": {strings.Join(words, " OR ")}, "size": {strconv.Itoa(len(words))}})
		if err != nil {
			return nil, err
		}
		now := time.Now()
		for _, h := range res.Hits {
			if i, ok := byID[h.ID]; ok && waiting[i] {
				lat[i] = now.Sub(start[i])
				delete(waiting, i)
				found++
			}
		}
		time.Sleep(freshPoll)
	}
	return lat, nil
}
