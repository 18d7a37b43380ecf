package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/testenv"
)

// A NATS restart in the middle of `crawl --once` (shorter than the retry
// budget) delays publishes and crawl-state reads and writes; it must not
// fail any page. Before the crawl state was retried a state request caught
// by the outage never returned and this pass hung until its deadline (in
// `make reliability` it ended "errors=5" and exit 0). A page lost this way
// now shows in the exit status (TestCrawlOnceWithFailedPagesExitsThree), so
// the pass must end with exit 0, errors=0 and every story published once.
func TestCrawlOnceRidesOutANATSRestart(t *testing.T) {
	const stories, gateAt = 12, 4
	srv := testenv.RestartableNATS(t)
	site := newGatedSite(t, stories, gateAt)
	cfgPath := cronConfig(t, srv.URL(), site.URL)

	// A bound on a hung pass, not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	crawl := crawlToGate(ctx, t, site, cfgPath)
	srv.Stop()
	site.open() // the rest of the pass fetches, reads state and publishes while NATS is down
	// The outage is felt once the crawl's client has lost the server and a
	// story was fetched after it: its state read and its event can only
	// go through NATS. The client retries a lost server every 2 s, so it is
	// still cut off a while after the restart.
	pollUntil(ctx, t, "the crawl to log that NATS is gone", func() bool {
		return strings.Contains(crawl.stderr.String(), "disconnected from NATS")
	})
	select {
	case <-site.heldServed:
	case <-ctx.Done():
		t.Fatal("no story was fetched while NATS was down")
	}
	srv.Start()

	r := crawl.wait()
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "crawl ok: ") ||
		!strings.Contains(r.stdout, fmt.Sprintf("articles=%d ", stories)) || !strings.Contains(r.stdout, " errors=0 ") {
		t.Fatalf("exit %d, stdout %q; want exit 0, articles=%d and errors=0\nstderr: %s", r.code, r.stdout, stories, r.stderr)
	}
	if !strings.Contains(r.stderr, "reconnected to NATS") {
		t.Errorf("the crawl never logged its reconnection to NATS; stderr:\n%s", r.stderr)
	}
	if n := streamMessages(t, srv.URL()); n != stories {
		t.Errorf("the stream holds %d events, want %d", n, stories)
	}
}

// A pass that reaches its end but could not fetch a page exits 3 with a
// summary that says so, not "crawl ok" and 0: cron mails it, and the log
// names the page.
func TestCrawlOnceWithFailedPagesExitsThree(t *testing.T) {
	page, err := os.ReadFile("../../parser/testdata/free-encryption-law.html")
	if err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			io.WriteString(w, `<html><head><title>Latest</title></head><body><a href="/a/ok">ok</a> <a href="/a/broken">broken</a></body></html>`)
		case "/a/ok":
			w.Write(page)
		case "/a/broken":
			http.Error(w, "database on fire", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(site.Close)
	natsURL := testenv.NATS(t)
	cfgPath := writeConfig(t, fmt.Sprintf(`
data_dir: %s
nats:
  url: %s
crawl:
  delay: 0s
  retries: 0
  allow_private_networks: true
sources:
  - name: ledger
    seeds: [%s/]
`, t.TempDir(), natsURL, site.URL))

	code, stdout, stderr := runMain(t, "", "crawl", "--once", "--config", cfgPath)
	if code != exitErrors || !strings.HasPrefix(stdout, "crawl done with errors: ") ||
		!strings.Contains(stdout, " articles=1 ") || !strings.Contains(stdout, " errors=1 ") {
		t.Fatalf("exit %d, stdout %q; want exit %d, articles=1 and errors=1\nstderr: %s", code, stdout, exitErrors, stderr)
	}
	if !strings.Contains(stderr, "/a/broken") {
		t.Errorf("the log does not name the page that failed:\n%s", stderr)
	}
}
