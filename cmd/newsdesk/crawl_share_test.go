package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/internal/testenv"
)

// TestTwoCrawlersStartedTogetherShareTheSources starts two `newsdesk crawl
// --once` on one real NATS server over four sources: each crawls some of
// them, and every source is crawled exactly once.
func TestTwoCrawlersStartedTogetherShareTheSources(t *testing.T) {
	const sources = 4
	var mu sync.Mutex
	seeds := map[string]int{} // seed path -> requests
	// A seed is answered once seeds of two sources were asked for (or the
	// request ends): the first crawler cannot be done with its first
	// source before the second one has started.
	both := make(chan struct{})
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !regexp.MustCompile(`^/s\d/$`).MatchString(r.URL.Path) {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		seeds[r.URL.Path]++
		if len(seeds) == 2 {
			close(both)
		}
		mu.Unlock()
		select {
		case <-both:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>Section %s</title></head><body><p>No stories yet.</p></body></html>", r.URL.Path)
	}))
	t.Cleanup(site.Close)

	natsURL := testenv.NATS(t)
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "data_dir: %s\nnats:\n  url: %s\ncrawl:\n  delay: 0s\n  allow_private_networks: true\nsources:\n", t.TempDir(), natsURL)
	for i := 1; i <= sources; i++ {
		fmt.Fprintf(&cfg, "  - name: s%d\n    seeds: [%s/s%d/]\n", i, site.URL, i)
	}
	cfgPath := writeConfig(t, cfg.String())

	type run struct {
		code           int
		stdout, stderr string
	}
	runs := make([]run, 2)
	var wg sync.WaitGroup
	for i := range runs {
		wg.Go(func() {
			code, stdout, stderr := runMain(t, "", "crawl", "--once", "--config", cfgPath)
			runs[i] = run{code, stdout, stderr}
		})
	}
	wg.Wait()

	pagesRe := regexp.MustCompile(`\bpages=(\d+)`)
	for i, r := range runs {
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "crawl ok: ") {
			t.Errorf("crawler %d: exit %d, stdout %q; want a pass that crawled some sources\nstderr: %s", i+1, r.code, r.stdout, r.stderr)
			continue
		}
		m := pagesRe.FindStringSubmatch(r.stdout)
		if n, _ := strconv.Atoi(m[1]); n == 0 {
			t.Errorf("crawler %d fetched no page: %s", i+1, r.stdout)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i <= sources; i++ {
		if n := seeds[fmt.Sprintf("/s%d/", i)]; n != 1 {
			t.Errorf("source s%d's seed was fetched %d times by the two crawlers, want 1", i, n)
		}
	}
}

// TestCrawlOnceReportsAStaleLease is the cron run after a crawler crashed:
// the crashed one's lease was last renewed 95 s ago and runs 25 s more.
// The run says so and exits 4, instead of reporting success.
func TestCrawlOnceReportsAStaleLease(t *testing.T) {
	site := newTestSite(t)
	natsURL := testenv.NATS(t)
	cfgPath := cronConfig(t, natsURL, site.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	bus, err := events.Connect(ctx, events.Options{URL: natsURL, Name: "crashed-crawler"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bus.Close)
	past := func() time.Time { return time.Now().Add(-95 * time.Second) }
	state, err := bus.CrawlState(ctx, events.CrawlStateOptions{Instance: "crashed-crawler", Now: past})
	if err != nil {
		t.Fatal(err)
	}
	if lease, _, err := state.Acquire(ctx, "lease.source.ledger", 2*time.Minute); err != nil || lease == nil {
		t.Fatalf("Acquire = %v, %v", lease, err)
	}

	code, stdout, stderr := runMain(t, "", "crawl", "--once", "--source", "ledger", "--config", cfgPath)
	if code != exitLeased || !strings.HasPrefix(stdout, "crawl skipped: ") {
		t.Errorf("exit %d, stdout %q; want exit %d and a skipped summary", code, stdout, exitLeased)
	}
	// 95 s and 25 s when the run takes less than a second to get there.
	want := regexp.MustCompile(`lease on source ledger held by crashed-crawler, last renewed 9\ds ago \(stale, expires in 2\ds\)`)
	if !want.MatchString(stderr) {
		t.Errorf("the log does not match %q:\n%s", want, stderr)
	}
}
