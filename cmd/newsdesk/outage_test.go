package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// TestIntegrationIndexerRidesOutAnElasticsearchOutage runs the pipeline's
// indexer against the real Elasticsearch behind a proxy that can drop
// every connection, as a cluster that goes away does. Articles published
// during the outage must all be indexed once it is back, none dead-lettered
// and none lost.
func TestIntegrationIndexerRidesOutAnElasticsearchOutage(t *testing.T) {
	esURL := testenv.ElasticsearchURL(t)
	target, err := url.Parse(esURL)
	if err != nil {
		t.Fatal(err)
	}
	var down atomic.Bool
	var refused atomic.Int64
	forward := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !down.Load() {
			forward.ServeHTTP(w, r)
			return
		}
		refused.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // no answer at all
		}
	}))
	defer proxy.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := testConfig(t, "http://127.0.0.1:1", esURL) // nothing is crawled
	cfg.Elasticsearch.URLs = []string{proxy.URL}
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		t.Fatalf("starting pipeline: %v", err)
	}
	defer p.Close()

	publishArticle(ctx, t, p, "before", "an aardvark story filed before the outage")
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatal(err)
	}

	down.Store(true)
	const during = 5
	for i := range during {
		publishArticle(ctx, t, p, fmt.Sprintf("during%d", i), "an aardvark story filed while Elasticsearch is away")
	}
	// The indexer tries, and fails, to store them.
	for refused.Load() == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("the indexer never tried to reach Elasticsearch during the outage")
		case <-time.After(50 * time.Millisecond):
		}
	}
	// A few failed deliveries and retries: every event redelivered at least
	// once, and still pending.
	for redelivered(ctx, t, p) < during {
		select {
		case <-ctx.Done():
			t.Fatalf("the events were never redelivered during the outage (%d redelivered)", redelivered(ctx, t, p))
		case <-time.After(50 * time.Millisecond):
		}
	}
	if n, err := p.nats.Pending(ctx, news.IndexerConsumer); err != nil || n != during {
		t.Fatalf("during the outage: %d events pending (%v), want the %d not yet indexed", n, err, during)
	}

	down.Store(false)
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
	if got := esCount(t, esURL, cfg.Elasticsearch.Index); got != 1+during {
		t.Errorf("index holds %d articles, want %d", got, 1+during)
	}
	dead, err := p.nats.DeadLetters(ctx, news.IndexerConsumer, 10)
	if err != nil || len(dead) != 0 {
		t.Errorf("dead letters after the outage: %v, %v; want none", dead, err)
	}
	t.Logf("requests refused during the outage: %d", refused.Load())
}

// redelivered is how many events the indexer's consumer delivered more than
// once and has not had acknowledged.
func redelivered(ctx context.Context, t *testing.T, p *pipeline) uint64 {
	t.Helper()
	stats, err := p.nats.ConsumerStats(ctx)
	if err != nil {
		t.Fatalf("reading consumer stats: %v", err)
	}
	for _, st := range stats {
		if st.Name == news.IndexerConsumer {
			return st.Redelivered
		}
	}
	return 0
}
