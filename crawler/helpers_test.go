package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/news"
)

const testUA = "newsdesk-test/0.1 (+https://example.org/contact)"

var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// testSite is a news site on a loopback server that logs every request.
type testSite struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string // paths (with query) in arrival order, robots.txt included
	agents   []string
	routes   map[string]http.HandlerFunc
}

// newSite serves routes by path; any other path is a 404.
func newSite(t *testing.T, routes map[string]http.HandlerFunc) *testSite {
	t.Helper()
	s := &testSite{routes: routes}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *testSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.URL.RequestURI())
	s.agents = append(s.agents, r.UserAgent())
	h := s.routes[r.URL.Path]
	s.mu.Unlock()
	if h == nil {
		http.NotFound(w, r)
		return
	}
	h(w, r)
}

// count is how many times uri (path and query) was requested.
func (s *testSite) count(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r == uri {
			n++
		}
	}
	return n
}

// pages is the number of requests other than robots.txt.
func (s *testSite) pages() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r != "/robots.txt" {
			n++
		}
	}
	return n
}

func (s *testSite) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func (s *testSite) userAgents() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.agents...)
}

// listing serves a section page linking to hrefs.
func listing(hrefs ...string) http.HandlerFunc {
	return htmlPage(`<html><head><title>Section</title></head><body>` + anchors(hrefs) + `</body></html>`)
}

// story serves an article page; canonical may be empty.
func story(title, canonical string, hrefs ...string) http.HandlerFunc {
	head := `<title>` + title + `</title>`
	if canonical != "" {
		head += `<link rel="canonical" href="` + canonical + `">`
	}
	return htmlPage(`<html><head>` + head + `</head><body><article data-kind="article"><p>Text of ` +
		title + `.</p></article>` + anchors(hrefs) + `</body></html>`)
}

func anchors(hrefs []string) string {
	var b strings.Builder
	for _, h := range hrefs {
		fmt.Fprintf(&b, `<a href="%s">link</a>`, h)
	}
	return b.String()
}

func htmlPage(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func text(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, body)
	}
}

// fakeParser stands in for the real parser: a page with data-kind="article"
// is an article titled by its <title>; a paywall marker sets the verdict.
type fakeParser struct {
	mu     sync.Mutex
	bodies map[string][]byte // by page URL
	onPage func(pageURL string)
}

var (
	titleRE     = regexp.MustCompile(`<title>([^<]*)</title>`)
	canonicalRE = regexp.MustCompile(`<link rel="canonical" href="([^"]+)">`)
)

func (f *fakeParser) Parse(pageURL string, body []byte) (news.Article, error) {
	f.mu.Lock()
	if f.bodies == nil {
		f.bodies = make(map[string][]byte)
	}
	f.bodies[pageURL] = body
	onPage := f.onPage
	f.mu.Unlock()
	if onPage != nil {
		onPage(pageURL)
	}
	s := string(body)
	if strings.Contains(s, "parser-error") {
		return news.Article{}, errors.New("cannot parse")
	}
	if !strings.Contains(s, `data-kind="article"`) {
		return news.Article{}, news.ErrNotArticle
	}
	a := news.Article{URL: pageURL}
	if m := titleRE.FindStringSubmatch(s); m != nil {
		a.Title = m[1]
	}
	if m := canonicalRE.FindStringSubmatch(s); m != nil {
		a.CanonicalURL = m[1]
	}
	if strings.Contains(s, "paywalled") {
		a.Paywall = news.Paywall{Detected: true, Kind: news.PaywallHard, Truncated: true}
	}
	return a, nil
}

func (f *fakeParser) body(pageURL string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bodies[pageURL]
}

// memPublisher records events; err, when set, refuses them all.
type memPublisher struct {
	mu     sync.Mutex
	events []news.ArticleEvent
	err    error
}

func (m *memPublisher) Publish(ctx context.Context, ev news.ArticleEvent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	m.events = append(m.events, ev)
	return nil
}

func (m *memPublisher) titles() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]int)
	for _, ev := range m.events {
		out[ev.Data.Title]++
	}
	return out
}

func (m *memPublisher) all() []news.ArticleEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]news.ArticleEvent(nil), m.events...)
}

// testOptions crawl fast: no delay, short timeouts, quick retries, and the
// SSRF guard off, since the test sites listen on 127.0.0.1.
func testOptions() Options {
	return Options{
		UserAgent:            testUA,
		Delay:                -1,
		Timeout:              10 * time.Second,
		RetryBase:            time.Millisecond,
		AllowPrivateNetworks: true,
		Now:                  func() time.Time { return testNow },
	}
}

// crawl runs one bounded pass with a fresh parser and publisher.
func crawl(t *testing.T, opts Options, sources ...Source) (Summary, *fakeParser, *memPublisher, error) {
	t.Helper()
	parser, pub := &fakeParser{}, &memPublisher{}
	sum, err := crawlWith(t, opts, parser, pub, sources...)
	return sum, parser, pub, err
}

func crawlWith(t *testing.T, opts Options, parser PageParser, pub Publisher, sources ...Source) (Summary, error) {
	t.Helper()
	c, err := New(opts, parser, pub)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum, err := c.Crawl(ctx, sources)
	if ctx.Err() != nil {
		t.Fatalf("pass did not finish within the test's bound: %v", ctx.Err())
	}
	return sum, err
}
