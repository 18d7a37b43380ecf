package main

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"newsdesk/crawler"
)

// TestRunEmptyPageSaysTheLastCrawlFailed: `run`'s search page over an
// empty index says that nothing is indexed, that the last crawl failed
// and why, and when the next one starts, after a scheduled pass whose
// only seed is unreachable. Real pipeline: embedded NATS, index, crawler.
func TestRunEmptyPageSaysTheLastCrawlFailed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // its port now refuses connections
	cfg := testConfig(t, gone.URL, "")
	cfg.Crawl.Retries = 0
	p, err := startPipeline(ctx, cfg, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError})))
	if err != nil {
		t.Fatalf("starting pipeline: %v", err)
	}
	defer p.Close()

	body := fetchPage(ctx, t, p.URL()+"/")
	if !strings.Contains(body, "Nothing indexed yet") || !strings.Contains(body, "No crawl has run yet") {
		t.Errorf("before any crawl the page says:\n%s", body)
	}

	sched := crawler.Every(time.Hour)
	_, crawlErr := p.scheduledPass(ctx, sched)
	if crawlErr == nil {
		t.Fatal("a pass whose only seed refuses connections did not fail")
	}
	body = html.UnescapeString(fetchPage(ctx, t, p.URL()+"/?q=privacy"))
	for _, want := range []string{"Nothing indexed yet", "failed: " + crawlErr.Error(), "Next crawl at"} {
		if !strings.Contains(body, want) {
			t.Errorf("after the failed crawl the page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "Check the spelling") {
		t.Errorf("an empty index suggests other words:\n%s", body)
	}
}

func fetchPage(ctx context.Context, t *testing.T, url string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v", url, resp.StatusCode, err)
	}
	return string(b)
}
