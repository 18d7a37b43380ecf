package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"

	"newsdesk/news"
)

// benchSite serves a listing of n article pages, all on 127.0.0.1.
func benchSite(b *testing.B, n int) *httptest.Server {
	var list strings.Builder
	list.WriteString("<html><body>")
	for i := range n {
		fmt.Fprintf(&list, `<a href="/a/%d">story %d</a>`, i, i)
	}
	list.WriteString("</body></html>")
	listing := []byte(list.String())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" {
			w.Write(listing)
			return
		}
		fmt.Fprintf(w, `<html><head><title>Story %s</title></head><body><article data-kind="article"><p>%s</p></article><a href="/">home</a></body></html>`,
			r.URL.Path, strings.Repeat("Privacy regulators fined the tracker. ", 40))
	}))
	b.Cleanup(srv.Close)
	return srv
}

// discardPublisher counts events.
type discardPublisher struct{}

func (discardPublisher) Publish(context.Context, news.ArticleEvent) error { return nil }

// heapMB samples the live heap: the benchmark's stand-in for RSS growth,
// comparable between the two crawlers in one process (peak RSS is not).
func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapInuse) / (1 << 20)
}

const benchParallelism = 16

// BenchmarkCrawlVsBareColly crawls a local site of pages (1,000 and
// 10,000) with politeness off, with the whole crawler (normalisation,
// state, parsing by the fake parser, publishing) and with a bare colly
// collector that only fetches the same pages, in the same run. It reports
// pages/s of each, their ratio, and the live heap after each crawl.
func BenchmarkCrawlVsBareColly(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		srv := benchSite(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var ours, bare time.Duration
			var oursHeap, bareHeap float64
			for b.Loop() {
				t0 := time.Now()
				bareCollyCrawl(b, srv.URL)
				bare += time.Since(t0)
				bareHeap = heapMB()

				opts := testOptions()
				opts.Parallelism = benchParallelism
				opts.MaxPages = n + 10
				opts.State = newMemState()
				c, err := New(opts, &fakeTextParser{}, discardPublisher{})
				if err != nil {
					b.Fatal(err)
				}
				t0 = time.Now()
				sum, err := c.Crawl(context.Background(), []Source{{Name: "bench", Seeds: []string{srv.URL + "/"}, MaxDepth: 1}})
				ours += time.Since(t0)
				if err != nil || sum.Articles != n {
					b.Fatalf("crawl: %s, %v", sum, err)
				}
				oursHeap = heapMB()
			}
			pages := float64(n+1) * float64(b.N)
			b.ReportMetric(pages/ours.Seconds(), "pages/s")
			b.ReportMetric(pages/bare.Seconds(), "bare-pages/s")
			b.ReportMetric(bare.Seconds()/ours.Seconds(), "ratio")
			b.ReportMetric(oursHeap, "heap-MB")
			b.ReportMetric(bareHeap, "bare-heap-MB")
		})
	}
}

var linkRE = regexp.MustCompile(`^/a/\d+$`)

// bareCollyCrawl is the baseline: an async colly collector with the same
// per-domain parallelism that fetches the listing and every page it links.
func bareCollyCrawl(b *testing.B, base string) {
	col := &colly.Collector{}
	col.Init()
	col.Async = true
	col.MaxDepth = 2
	col.IgnoreRobotsTxt = true
	if err := col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: benchParallelism}); err != nil {
		b.Fatal(err)
	}
	col.OnHTML("a[href]", func(e *colly.HTMLElement) {
		if linkRE.MatchString(e.Attr("href")) {
			e.Request.Visit(e.Attr("href"))
		}
	})
	col.Visit(base + "/")
	col.Wait()
}
