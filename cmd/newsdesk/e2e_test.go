package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/config"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// buildSite lays out the test site (see demosite.md) in a temporary
// directory: the demo's bundled site, whose stories are the parser's own
// fixtures (TestDemoSiteStoriesAreTheParserFixtures keeps them equal), so
// the pipeline crawls exactly the pages whose extraction the parser tests
// pin down.
func buildSite(t *testing.T) string {
	t.Helper()
	site, err := fs.Sub(demoSite, "demosite")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, site); err != nil {
		t.Fatal(err)
	}
	return dir
}

// testSite serves the test site and records every path requested, so a
// test can prove what the crawler never fetched.
type testSite struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

func newTestSite(t *testing.T) *testSite {
	t.Helper()
	s := &testSite{}
	files := http.FileServer(http.Dir(buildSite(t)))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.Path)
		s.mu.Unlock()
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *testSite) requested(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.requests {
		if p == path {
			return true
		}
	}
	return false
}

// testConfig is the configuration of one end-to-end run: a source on the
// test site, no politeness delay, everything on loopback and in temp dirs.
func testConfig(t *testing.T, siteURL, esURL string) *config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.NATS.Embedded = config.EmbeddedNATS{Host: "127.0.0.1", Port: -1}
	cfg.HTTP.Addr = "127.0.0.1:0"
	cfg.Crawl.Delay = 0                   // no delay: it is our own test site
	cfg.Crawl.AllowPrivateNetworks = true // which listens on 127.0.0.1
	cfg.Crawl.Timeout = config.Duration(10 * time.Second)
	cfg.Sources = []config.Source{{Name: "ledger", Seeds: []string{siteURL + "/"}, MaxDepth: 3}}
	if esURL != "" {
		cfg.Elasticsearch.URLs = []string{esURL}
		cfg.Elasticsearch.Index = "newsdesk-e2e-" + randomSuffix(t)
		t.Cleanup(func() {
			testenv.DropElasticsearchIndex(t, esURL, cfg.Elasticsearch.Index)
		})
	}
	return cfg
}

func randomSuffix(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func searchAPIFor(t *testing.T, base string, params url.Values) news.Results {
	t.Helper()
	res, err := searchAPI(context.Background(), base, params)
	if err != nil {
		t.Fatalf("search %v: %v", params, err)
	}
	return res
}

func TestEndToEndEmbeddedIndex(t *testing.T) {
	runEndToEnd(t, "")
}

func TestIntegrationEndToEndElasticsearch(t *testing.T) {
	runEndToEnd(t, testenv.ElasticsearchURL(t))
}

// runEndToEnd crawls the test site through the real parser, embedded NATS
// JetStream and the index, then checks what a reporter would see through the
// search API, twice: a second crawl must not duplicate anything.
func runEndToEnd(t *testing.T, esURL string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	site := newTestSite(t)
	cfg := testConfig(t, site.URL, esURL)
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))

	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		t.Fatalf("starting pipeline: %v", err)
	}
	defer p.Close()

	sum, err := p.crawlOnce(ctx)
	if err != nil {
		t.Fatalf("crawl: %v (%s)", err, sum)
	}
	if sum.Articles != 3 || sum.Paywalls != 2 || sum.Errors != 0 || sum.Skipped < 1 {
		t.Errorf("first crawl: %s; want 3 articles, 2 paywalls, 0 errors, the private page skipped", sum)
	}
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatal(err)
	}

	want := []struct {
		word, path, title string
		kind              news.PaywallKind
		truncated         bool
	}{
		{"Grabert", "/articles/meta-netflix.html", "Lawsuit Alleges Meta Allowed Netflix Access to Facebook Users’ Messages", news.PaywallSoft, false},
		{"Harbourne", "/articles/encryption-law.html", "Parliament Passes Encryption Law That Keeps End-to-End Messaging Intact", news.PaywallNone, false},
		{"Brightwater", "/articles/tracking-fine.html", "Regulator Fines Ad-Tech Firm €18 Million Over Covert Location Tracking", news.PaywallHard, true},
	}
	for _, w := range want {
		res := searchAPIFor(t, p.URL(), url.Values{"q": {w.word}})
		if res.Total != 1 || len(res.Hits) != 1 {
			t.Errorf("search %q: %d hits, want 1: %+v", w.word, res.Total, res.Hits)
			continue
		}
		h := res.Hits[0]
		if h.Title != w.title || h.URL != site.URL+w.path || h.Source != "ledger" {
			t.Errorf("search %q: hit %q at %s from %q; want %q at %s", w.word, h.Title, h.URL, h.Source, w.title, site.URL+w.path)
		}
		if h.Paywall.Kind != w.kind || h.Paywall.Truncated != w.truncated || h.Paywall.Detected != (w.kind != news.PaywallNone) {
			t.Errorf("search %q: paywall %+v, want kind %s truncated %v", w.word, h.Paywall, w.kind, w.truncated)
		}
		if !strings.Contains(h.Snippet, news.HighlightPre+w.word+news.HighlightPost) {
			t.Errorf("search %q: snippet %q does not highlight the word", w.word, h.Snippet)
		}
	}

	// The seed story's clean text, exactly: the parser's golden file is
	// itself checked against the seed.
	seed := readGoldenText(t, "../../parser/testdata/seed-meta-netflix.golden.json")
	stored, err := p.index.Get(ctx, news.DocID(site.URL+"/articles/meta-netflix.html"))
	if err != nil {
		t.Fatalf("getting the seed article: %v", err)
	}
	if stored.Text != seed {
		t.Errorf("stored seed text differs from the golden text:\n got: %q\nwant: %q", stored.Text, seed)
	}
	if strings.Contains(stored.Text, "Subscribe Now") || strings.Contains(stored.Text, "Become a Subscriber") {
		t.Error("the subscription prompt was indexed as story text")
	}

	// robots.txt: the private page was never requested, so never indexed.
	if site.requested("/private/secret-memo.html") {
		t.Error("the crawler fetched a page robots.txt disallows")
	}
	if res := searchAPIFor(t, p.URL(), url.Values{"q": {"Quillfeather"}}); res.Total != 0 {
		t.Errorf("the disallowed page is searchable: %+v", res.Hits)
	}
	// Filters reach the backend.
	if res := searchAPIFor(t, p.URL(), url.Values{"paywall": {"hard"}}); res.Total != 1 || res.Hits[0].Title != want[2].title {
		t.Errorf("paywall=hard: %+v", res)
	}

	// The same crawl again: every story is revisited, found unchanged and
	// not published again.
	if sum, err := p.crawlOnce(ctx); err != nil || sum.Articles != 0 || sum.Unchanged != 3 {
		t.Fatalf("second crawl: %s, %v; want 0 articles, 3 unchanged", sum, err)
	}
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatal(err)
	}
	if res := searchAPIFor(t, p.URL(), url.Values{}); res.Total != 3 {
		t.Errorf("after a second crawl the index holds %d articles, want 3", res.Total)
	}
	for _, w := range want {
		if res := searchAPIFor(t, p.URL(), url.Values{"q": {w.word}}); res.Total != 1 {
			t.Errorf("after a second crawl, %q finds %d articles, want 1", w.word, res.Total)
		}
	}
	// The terminal search asks the same API.
	code, stdout, stderr := runMain(t, "", "search", "--api", p.URL(), "Grabert")
	if code != exitOK || !strings.Contains(stdout, "1 article(s)") || !strings.Contains(stdout, want[0].title) || !strings.Contains(stdout, "soft paywall") {
		t.Errorf("newsdesk search: exit %d\n%s%s", code, stdout, stderr)
	}
	t.Logf("end-to-end: %d articles indexed, %d paywalled, crawl: %s", 3, 2, sum)
}

func readGoldenText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var a news.Article
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if a.Text == "" {
		t.Fatalf("%s has no text", path)
	}
	return a.Text
}

// testWriter sends log lines to the test log, where they show on failure.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
