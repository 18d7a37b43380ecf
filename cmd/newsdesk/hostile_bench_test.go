package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/config"
	"newsdesk/crawler"
)

// BenchmarkHostileCrawlRealParser is crawler.BenchmarkHostilePass with the
// real parser, wired by newCrawlerWith with the default body limit and
// memory budget: gzip bombs of 1 GiB (as pages and as a .xml.gz sitemap),
// an endless body, six deep pages just under crawl.max_body_bytes, and a
// sitemap index of 1,000 children, each publisher on its own loopback
// address, beside a good one. It reports the pass's peak heap (live and
// unswept objects, the servers' included), which must stay under
// crawl.memory_budget. Not part of `make test` (seconds per pass); run it
// with: go test -run '^$' -bench BenchmarkHostileCrawlRealParser ./cmd/newsdesk
func BenchmarkHostileCrawlRealParser(b *testing.B) {
	cfg := config.Default()
	cfg.Crawl.Delay = 0
	cfg.Crawl.AllowPrivateNetworks = true
	cfg.Crawl.HeaderTimeout = config.Duration(time.Second)
	cfg.Topics.Required = false
	var peak uint64
	for b.Loop() {
		sources := hostileWeb(b, cfg.Crawl.MaxBodyBytes)
		var pub countingPublisher
		c, err := newCrawlerWith(cfg, nil, &pub, newMapState(), nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := samplePeakHeap()
		sum, err := c.Crawl(context.Background(), sources)
		peak = max(peak, stop())
		if err != nil || sum.TooLarge < 3 {
			b.Fatalf("crawl: %s, %v", sum, err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	if peak >= uint64(cfg.Crawl.MemoryBudget) {
		b.Errorf("peak heap %.1f MiB, over crawl.memory_budget (%d MiB)", float64(peak)/(1<<20), cfg.Crawl.MemoryBudget>>20)
	}
}

// hostileWeb starts the publishers and returns them as sources.
func hostileWeb(b *testing.B, bodyLimit int) []crawler.Source {
	var member bytes.Buffer // 1 MiB of spaces, gzipped; members concatenate
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(bytes.Repeat([]byte(" "), 1<<20))
	zw.Close()
	bomb := func(ct, ce string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Content-Encoding", ce)
			for range 1024 {
				if _, err := w.Write(member.Bytes()); err != nil {
					return
				}
			}
		}
	}
	var deep strings.Builder
	deep.WriteString(`<html><head><title>Deep</title></head><body><article>`)
	for deep.Len() < bodyLimit-64<<10 {
		deep.WriteString(strings.Repeat("<div>", 32) + "<p>Privacy text, data protection.</p>" + strings.Repeat("</div>", 32))
	}
	deep.WriteString(`</article></body></html>`)
	deepPage := deep.String()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, body)
		}
	}
	links := func(hrefs ...string) string {
		var s strings.Builder
		s.WriteString(`<html><body>`)
		for _, h := range hrefs {
			fmt.Fprintf(&s, `<a href="%s">x</a>`, h)
		}
		s.WriteString(`</body></html>`)
		return s.String()
	}

	var fanURL string
	fan := map[string]http.HandlerFunc{"/sitemap.xml": func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for i := range 1000 {
			fmt.Fprintf(w, "<sitemap><loc>%s/child-%d.xml</loc></sitemap>", fanURL, i)
		}
		io.WriteString(w, `</sitemapindex>`)
	}}
	for i := range 1000 {
		fan[fmt.Sprintf("/child-%d.xml", i)] = func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for j := range 5000 {
				fmt.Fprintf(w, "<url><loc>%s/news/%d/%d</loc></url>", fanURL, i, j)
			}
			io.WriteString(w, `</urlset>`)
		}
	}
	deepRoutes := map[string]http.HandlerFunc{"/": page(links("/d/1", "/d/2", "/d/3", "/d/4", "/d/5", "/d/6"))}
	for i := 1; i <= 6; i++ {
		deepRoutes[fmt.Sprintf("/d/%d", i)] = page(deepPage)
	}
	good := serveOn(b, 2, map[string]http.HandlerFunc{
		"/":  page(links("/a")),
		"/a": page(`<html><head><title>Good story</title></head><body><article><p>A privacy regulator fined a data broker.</p></article></body></html>`),
	})
	bombs := serveOn(b, 3, map[string]http.HandlerFunc{
		"/":       page(links("/gzip", "/x-gzip", "/endless")),
		"/gzip":   bomb("text/html", "gzip"),
		"/x-gzip": bomb("text/html", "x-gzip"),
		"/endless": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			chunk := bytes.Repeat([]byte("<p>more "), 4<<10)
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		},
	})
	gz := serveOn(b, 4, map[string]http.HandlerFunc{"/sitemap.xml.gz": bomb("application/x-gzip", "identity")})
	deepSite := serveOn(b, 5, deepRoutes)
	fanSite := serveOn(b, 6, fan)
	fanURL = fanSite
	return []crawler.Source{
		{Name: "good", Seeds: []string{good + "/"}},
		{Name: "bombs", Seeds: []string{bombs + "/"}},
		{Name: "gz", Sitemaps: []string{gz + "/sitemap.xml.gz"}},
		{Name: "deep", Seeds: []string{deepSite + "/"}},
		{Name: "fan", Sitemaps: []string{fanSite + "/sitemap.xml"}},
	}
}

// serveOn serves routes on 127.0.0.n, its own domain, and returns its URL.
func serveOn(b *testing.B, n int, routes map[string]http.HandlerFunc) string {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", n))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := routes[r.URL.Path]; h != nil {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	b.Cleanup(srv.Close)
	return srv.URL
}

// samplePeakHeap samples the heap every millisecond until stop is called.
func samplePeakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak.Store(max(peak.Load(), sample[0].Value.Uint64()))
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak.Load()
	}
}
