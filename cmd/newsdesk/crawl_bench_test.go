package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"

	"newsdesk/config"
	"newsdesk/crawler"
	"newsdesk/news"
	"newsdesk/parser"
)

// realArticleSite serves a listing of n articles, each a copy of a real
// page of the parser's corpus (4 KB, a free article), its og:url made
// unique so that each is its own document.
func realArticleSite(b *testing.B, n int) *httptest.Server {
	page, err := os.ReadFile("../../parser/testdata/free-encryption-law.html")
	if err != nil {
		b.Fatal(err)
	}
	var list strings.Builder
	list.WriteString("<html><head><title>Latest</title></head><body><ul>")
	for i := range n {
		fmt.Fprintf(&list, `<li><a href="/a/%d">story %d</a></li>`, i, i)
	}
	list.WriteString("</ul></body></html>")
	listing := []byte(list.String())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" {
			w.Write(listing)
			return
		}
		w.Write(bytes.Replace(page, []byte(`content="encryption-law.html"`), []byte(`content="`+r.URL.Path+`"`), 1))
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkCrawlRealParser is crawler.BenchmarkCrawlVsBareColly with what
// the crawler cannot import: the real parser and topic classifier, wired by
// newCrawlerWith as `newsdesk crawl` wires them, over 1,000 pages of a real
// article, politeness off, crawl state in memory, events dropped. Two
// baselines run in the same iterations: bare colly fetching the pages
// ("ratio": what the whole crawler costs against a fetch-only crawl, the
// parser's cost included), and bare colly calling the same parser on each
// page ("ratio-vs-parsing"): what our crawler adds around the parser.
// Each iteration runs the three in the order A B C C B A.
func BenchmarkCrawlRealParser(b *testing.B) {
	n := benchPages()
	srv := realArticleSite(b, n)
	cfg := config.Default()
	cfg.Crawl.Delay = 0
	cfg.Crawl.Parallelism = 16
	cfg.Crawl.MaxPages = n + 10
	cfg.Crawl.AllowPrivateNetworks = true
	cfg.Topics.Required = false // every article becomes an event
	pageParser := parser.New(parser.Options{})

	ours := func() {
		var pub countingPublisher
		c, err := newCrawlerWith(cfg, nil, &pub, newMapState(), nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		sum, err := c.Crawl(context.Background(), []crawler.Source{{Name: "bench", Seeds: []string{srv.URL + "/"}, MaxDepth: 1}})
		if err != nil || sum.Articles != n || pub.n != n {
			b.Fatalf("crawl: %s, %d events, %v", sum, pub.n, err)
		}
	}
	var tOurs, tBare, tParsing time.Duration
	for b.Loop() {
		tBare += measure(func() { bareColly(b, srv.URL, nil) })
		tParsing += measure(func() { bareColly(b, srv.URL, pageParser) })
		tOurs += measure(ours)
		tOurs += measure(ours)
		tParsing += measure(func() { bareColly(b, srv.URL, pageParser) })
		tBare += measure(func() { bareColly(b, srv.URL, nil) })
	}
	pages := 2 * float64(n+1) * float64(b.N)
	b.ReportMetric(pages/tOurs.Seconds(), "pages/s")
	b.ReportMetric(pages/tBare.Seconds(), "bare-pages/s")
	b.ReportMetric(pages/tParsing.Seconds(), "bare-parsing-pages/s")
	b.ReportMetric(tBare.Seconds()/tOurs.Seconds(), "ratio")
	b.ReportMetric(tParsing.Seconds()/tOurs.Seconds(), "ratio-vs-parsing")
}

func measure(f func()) time.Duration {
	t0 := time.Now()
	f()
	return time.Since(t0)
}

var benchLinkRE = regexp.MustCompile(`^/a/\d+$`)

// bareColly fetches the listing and its articles with a bare async
// collector, and hands each article to p when p is not nil.
func bareColly(b *testing.B, base string, p *parser.Parser) {
	col := &colly.Collector{}
	col.Init()
	col.Async = true
	col.MaxDepth = 2
	col.IgnoreRobotsTxt = true
	if err := col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 16}); err != nil {
		b.Fatal(err)
	}
	col.OnHTML("a[href]", func(e *colly.HTMLElement) {
		if benchLinkRE.MatchString(e.Attr("href")) {
			e.Request.Visit(e.Attr("href"))
		}
	})
	if p != nil {
		col.OnResponse(func(r *colly.Response) {
			if r.Request.Depth > 1 {
				if _, err := p.Parse(r.Request.URL.String(), r.Body); err != nil {
					b.Errorf("parsing %s: %v", r.Request.URL, err)
				}
			}
		})
	}
	col.Visit(base + "/")
	col.Wait()
}

// countingPublisher counts the events it drops.
type countingPublisher struct {
	mu sync.Mutex
	n  int
}

func (c *countingPublisher) Publish(context.Context, news.ArticleEvent) error {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return nil
}

// mapState is crawl state in a map: the benchmark measures the crawler,
// not NATS.
type mapState struct {
	mu sync.Mutex
	kv map[string][]byte
}

func newMapState() *mapState { return &mapState{kv: make(map[string][]byte)} }

func (m *mapState) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.kv[key], nil
}

func (m *mapState) Put(_ context.Context, key string, v []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.kv[key] = v
	return nil
}

// benchPages is the number of articles of BenchmarkCrawlRealParser: 1,000,
// or NEWSDESK_BENCH_PAGES (a smaller number for a quick profile).
func benchPages() int {
	if n, err := strconv.Atoi(os.Getenv("NEWSDESK_BENCH_PAGES")); err == nil && n > 0 {
		return n
	}
	return 1000
}
