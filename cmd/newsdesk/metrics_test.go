package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"newsdesk/events"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// scrapeMetrics fetches a /metrics URL as Prometheus does and parses the
// exposition.
func scrapeMetrics(t *testing.T, metricsURL string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(metricsURL)
	if err != nil {
		t.Fatalf("scraping %s: %v", metricsURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scraping %s: %s", metricsURL, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the exposition of %s does not parse: %v", metricsURL, err)
	}
	return fams
}

// metricValue is the value (a histogram's sample count) of the series of
// name whose labels include the given pairs; ok is false when none exists.
func metricValue(fams map[string]*dto.MetricFamily, name string, labels ...string) (v float64, ok bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			v += m.Counter.GetValue()
		case m.Gauge != nil:
			v += m.Gauge.GetValue()
		case m.Histogram != nil:
			v += float64(m.Histogram.GetSampleCount())
		}
		ok = true
	}
	return v, ok
}

// TestMetricsMoveInEndToEndRun crawls the test site with `newsdesk run`'s
// pipeline, searches, and reads /metrics on the search listener: every
// counter of the pass has moved by what the pass did.
func TestMetricsMoveInEndToEndRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	site := newTestSite(t)
	cfg := testConfig(t, site.URL, "")
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		t.Fatalf("starting pipeline: %v", err)
	}
	defer p.Close()
	if sum, err := p.crawlOnce(ctx); err != nil || sum.Articles != 3 {
		t.Fatalf("crawl: %s, %v; want 3 articles", sum, err)
	}
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatal(err)
	}
	if res := searchAPIFor(t, p.URL(), url.Values{"q": {"Grabert"}}); res.Total != 1 {
		t.Fatalf("search Grabert: %d hits, want 1", res.Total)
	}

	fams := scrapeMetrics(t, p.URL()+"/metrics")
	exact := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"newsdesk_articles_published_total", []string{"source", "ledger", "event", "created"}, 3},
		{"newsdesk_articles_published_total", []string{"source", "ledger", "paywall", "hard"}, 1},
		{"newsdesk_articles_published_total", []string{"source", "ledger", "paywall", "soft"}, 1},
		{"newsdesk_articles_published_total", []string{"source", "ledger", "paywall", "none"}, 1},
		{"newsdesk_publish_seconds", nil, 3},
		{"newsdesk_index_documents_total", []string{"result", "stored"}, 3},
		{"newsdesk_index_documents_total", []string{"result", "rejected"}, 0},
		{"newsdesk_consumer_pending", []string{"consumer", events.DefaultDurable}, 0},
		{"newsdesk_consumer_ack_pending", []string{"consumer", events.DefaultDurable}, 0},
		{"newsdesk_dlq_messages", nil, 0},
		{"newsdesk_queue_stats_up", nil, 1},
		{"newsdesk_search_requests_total", []string{"code", "200"}, 1},
		{"newsdesk_search_seconds", nil, 1},
	}
	for _, w := range exact {
		if got, ok := metricValue(fams, w.name, w.labels...); !ok || got != w.want {
			t.Errorf("%s%v = %v (present %v), want %v", w.name, w.labels, got, ok, w.want)
		}
	}
	// The section page and the three articles at least, all 200.
	atLeast := []struct {
		name   string
		labels []string
		min    float64
	}{
		{"newsdesk_crawl_requests_total", []string{"source", "ledger", "status", "200"}, 4},
		{"newsdesk_crawl_pages_total", []string{"source", "ledger", "kind", "page"}, 4},
		{"newsdesk_index_batch_seconds", nil, 1},
	}
	for _, w := range atLeast {
		if got, ok := metricValue(fams, w.name, w.labels...); !ok || got < w.min {
			t.Errorf("%s%v = %v (present %v), want at least %v", w.name, w.labels, got, ok, w.min)
		}
	}
	// The pass had no errors, so no crawled URL is counted as one (the
	// redirect of /index.html to / is a duplicate, not an error).
	if got, _ := metricValue(fams, "newsdesk_crawl_pages_total", "source", "ledger", "kind", "error"); got != 0 {
		t.Errorf("newsdesk_crawl_pages_total{kind=error} = %v after a pass without errors", got)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if fams[name] == nil {
			t.Errorf("%s missing: the Go and process collectors are not registered", name)
		}
	}
}

// TestIndexServesMetricsAndTellsTheTruthAboutReadiness runs `newsdesk index
// --metrics-addr`: /healthz answers, /metrics parses and shows the
// consumer, and /readyz is 200 while NATS is up and 503 naming NATS once
// the server is gone.
func TestIndexServesMetricsAndTellsTheTruthAboutReadiness(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := events.StartEmbedded(events.EmbeddedOptions{DataDir: filepath.Join(t.TempDir(), "nats"), Port: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	addr := closedPort(t)
	cfgPath := writeConfig(t, fmt.Sprintf("data_dir: %s\nnats:\n  url: %s\n", t.TempDir(), srv.ClientURL()))
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	stderr := &lockedBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- Main(runCtx, []string{"index", "--alerts=false", "--metrics-addr", addr, "--config", cfgPath},
			IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderr})
	}()
	base := "http://" + addr
	status := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	pollUntil(ctx, t, "/readyz to answer 200", func() bool {
		select {
		case code := <-exit:
			t.Fatalf("newsdesk index exited %d:\n%s", code, stderr)
		default:
		}
		code, _ := status("/readyz")
		return code == http.StatusOK
	})
	if code, body := status("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: %d %s", code, body)
	}
	pollUntil(ctx, t, "the indexer consumer in /metrics", func() bool {
		_, ok := metricValue(scrapeMetrics(t, base+"/metrics"), "newsdesk_consumer_pending", "consumer", events.DefaultDurable)
		return ok
	})

	srv.Shutdown()
	pollUntil(ctx, t, "/readyz to answer 503 naming NATS", func() bool {
		code, body := status("/readyz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "nats")
	})
	if code, body := status("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz with NATS down: %d %s; the process is alive", code, body)
	}
	stop()
	if code := <-exit; code != exitOK {
		t.Errorf("newsdesk index exited %d after Ctrl-C, want %d:\n%s", code, exitOK, stderr)
	}
}

// TestRunIsNotReadyWithoutNATS: `newsdesk run`'s /readyz answers 200 while
// NATS is up and 503 naming NATS once it is gone, though the index still
// answers; /healthz stays 200.
func TestRunIsNotReadyWithoutNATS(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := testConfig(t, "http://127.0.0.1:1", "")
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		t.Fatalf("starting pipeline: %v", err)
	}
	defer p.Close()
	status := func(path string) (int, string) {
		resp, err := http.Get(p.URL() + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := status("/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz with NATS up: %d %s", code, body)
	}
	p.nats.server.Shutdown()
	pollUntil(ctx, t, "/readyz to answer 503 naming NATS", func() bool {
		code, body := status("/readyz")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "nats")
	})
	if code, body := status("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz with NATS down: %d %s", code, body)
	}
}

// TestCrawlEveryServesMetrics runs `newsdesk crawl --every 1h
// --metrics-addr`: the first pass's requests and published articles show
// on /metrics, and /readyz is 200 with NATS up.
func TestCrawlEveryServesMetrics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	site := newTestSite(t)
	cfgPath := cronConfig(t, testenv.NATS(t), site.URL)
	addr := closedPort(t)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	stderr := &lockedBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- Main(runCtx, []string{"crawl", "--every", "1h", "--metrics-addr", addr, "--config", cfgPath},
			IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderr})
	}()
	base := "http://" + addr
	pollUntil(ctx, t, "the first pass's three articles in /metrics", func() bool {
		select {
		case code := <-exit:
			t.Fatalf("newsdesk crawl exited %d:\n%s", code, stderr)
		default:
		}
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			return false
		}
		resp.Body.Close()
		n, _ := metricValue(scrapeMetrics(t, base+"/metrics"), "newsdesk_articles_published_total", "source", "ledger")
		return n == 3
	})
	fams := scrapeMetrics(t, base+"/metrics")
	if n, _ := metricValue(fams, "newsdesk_crawl_requests_total", "source", "ledger", "status", "200"); n < 4 {
		t.Errorf("newsdesk_crawl_requests_total{status=200} = %v, want at least 4", n)
	}
	resp, err := http.Get(base + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz: %v %v", resp, err)
	}
	if resp != nil {
		resp.Body.Close()
	}
	stop()
	if code := <-exit; code != exitOK {
		t.Errorf("newsdesk crawl exited %d after Ctrl-C:\n%s", code, stderr)
	}
}

func TestCrawlMetricsAddrNeedsEvery(t *testing.T) {
	code, _, stderr := runMain(t, "", "crawl", "--once", "--metrics-addr", "127.0.0.1:9464")
	if code != exitUsage || !strings.Contains(stderr, "--metrics-addr needs --every") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestIndexResultFollowsTheConsumer: what the consumer dead-letters
// (news.ErrPermanent, wrapped or not) counts as dead_lettered, any other
// error as rejected.
func TestIndexResultFollowsTheConsumer(t *testing.T) {
	cases := map[error]string{
		nil: "stored",
		fmt.Errorf("doc 3: %w", news.ErrPermanent): "dead_lettered",
		news.ErrPermanent:                          "dead_lettered",
		errors.New("es: 503 unavailable"):          "rejected",
	}
	for err, want := range cases {
		if got := indexResult(err); got != want {
			t.Errorf("indexResult(%v) = %q, want %q", err, got, want)
		}
	}
}

// TestServeServesMetrics: `newsdesk serve` answers /metrics on its search
// listener, counting the searches it answered.
func TestServeServesMetrics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t.Setenv("NEWSDESK_DATA_DIR", t.TempDir())
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- Main(runCtx, []string{"serve", "-addr", "127.0.0.1:0"}, IO{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr})
	}()
	pollUntil(ctx, t, "serve to listen", func() bool {
		select {
		case code := <-exit:
			t.Fatalf("newsdesk serve exited %d:\n%s", code, stderr)
		default:
		}
		return strings.Contains(stdout.String(), "serving search on http://")
	})
	base := strings.TrimSpace(strings.TrimPrefix(stdout.String(), "serving search on "))
	searchAPIFor(t, base, url.Values{"q": {"privacy"}})
	if n, ok := metricValue(scrapeMetrics(t, base+"/metrics"), "newsdesk_search_requests_total", "code", "200"); !ok || n != 1 {
		t.Errorf("newsdesk_search_requests_total{code=200} = %v (present %v), want 1", n, ok)
	}
	stop()
	if code := <-exit; code != exitOK {
		t.Errorf("newsdesk serve exited %d:\n%s", code, stderr)
	}
}
