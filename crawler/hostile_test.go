package crawler

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"newsdesk/news"
)

// The hostile-server suite: publishers that try, on purpose or not, to
// crash or stall the crawler. Each serves from its own loopback address
// (127.0.0.N), so each is its own domain as a real publisher would be, and
// all are crawled in one pass beside a good source, which must come
// through whole.

// hostileBodyLimit is the suite's crawl.max_body_bytes; hostileBudget its
// memory budget, which the pass's peak heap must stay under.
const (
	hostileBodyLimit = 2 << 20
	hostileBudget    = 256 << 20
)

// loopbackSite is a testSite on 127.0.0.n.
func loopbackSite(t testing.TB, n int, routes map[string]http.HandlerFunc) *testSite {
	t.Helper()
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", n))
	if err != nil {
		t.Fatalf("listening on 127.0.0.%d: %v", n, err)
	}
	s := &testSite{routes: routes}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Listener.Close()
	s.Listener = ln
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// zeros1M is 1 MiB of spaces, gzipped: a gzip reader reads concatenated
// members as one stream, so n copies of it decode to n MiB.
var zeros1M = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(bytes.Repeat([]byte(" "), 1<<20))
	zw.Close()
	return b.Bytes()
})

// gzipBomb writes a gzip stream that decodes to mib MiB.
func gzipBomb(w io.Writer, mib int) {
	for range mib {
		if _, err := w.Write(zeros1M()); err != nil {
			return // the client gave up, as it should
		}
	}
}

// bomb serves a compression bomb of mib MiB under a Content-Encoding
// (empty: none, for a gzipped file), wrapped as the encoding says.
func bomb(contentType, encoding string, mib int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		if encoding != "" {
			w.Header().Set("Content-Encoding", encoding)
		}
		switch encoding {
		case "deflate", "raw-deflate":
			// zlib (or raw deflate) of mib MiB of spaces, compressed as it
			// is sent: deflate streams cannot be concatenated.
			var zw io.WriteCloser
			if encoding == "deflate" {
				zw, _ = zlib.NewWriterLevel(w, flate.BestSpeed)
			} else {
				w.Header().Set("Content-Encoding", "deflate")
				zw, _ = flate.NewWriter(w, flate.BestSpeed)
			}
			chunk := bytes.Repeat([]byte(" "), 1<<20)
			for range mib {
				if _, err := zw.Write(chunk); err != nil {
					return
				}
			}
			zw.Close()
		case "gzip, gzip":
			zw := gzip.NewWriter(w)
			gzipBomb(zw, mib)
			zw.Close()
		default: // gzip, x-gzip, "gzip, identity", a gzipped file
			gzipBomb(w, mib)
		}
	}
}

// endless writes until the client hangs up.
func endless(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	chunk := bytes.Repeat([]byte("<p>and on "), 4<<10)
	for r.Context().Err() == nil {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// trickle sends its status line, then one header byte every 50 ms, for
// ever: only the header timeout can end it.
func trickle(w http.ResponseWriter, r *http.Request) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	buf.WriteString("HTTP/1.1 200 OK\r\nX-Slow: ")
	buf.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := conn.Write([]byte("a")); err != nil {
			return
		}
	}
}

// fanOut is a sitemap index of n child sitemaps, each a url set of m
// pages, all generated on request: its entries would spend the pass's
// page budget at once if one source could take all of it.
func fanOut(base *string, n, m int) map[string]http.HandlerFunc {
	routes := map[string]http.HandlerFunc{
		"/sitemap.xml": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for i := range n {
				fmt.Fprintf(w, "<sitemap><loc>%s/child-%d.xml</loc></sitemap>\n", *base, i)
			}
			io.WriteString(w, `</sitemapindex>`)
		},
	}
	for i := range n {
		routes[fmt.Sprintf("/child-%d.xml", i)] = func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for j := range m {
				fmt.Fprintf(w, "<url><loc>%s/news/%d/%d</loc></url>\n", *base, i, j)
			}
			io.WriteString(w, `</urlset>`)
		}
	}
	return routes
}

// bigPage is an HTML page of about size bytes: nested blocks of many
// small elements, the kind whose DOM is many times the page.
func bigPage(size int) http.HandlerFunc {
	var b strings.Builder
	b.WriteString(`<html><head><title>Big</title></head><body>`)
	for b.Len() < size {
		b.WriteString(strings.Repeat("<div>", 32) + "<b>x</b><i>y</i>" + strings.Repeat("</div>", 32))
	}
	b.WriteString(`</body></html>`)
	return htmlPage(b.String())
}

// domParser parses every page into a DOM, as the real parser does, so
// that the memory of parses counts, then hands it to fakeParser.
type domParser struct{ fakeParser }

func (d *domParser) Parse(pageURL string, body []byte) (news.Article, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return news.Article{}, err
	}
	runtime.KeepAlive(doc)
	return d.fakeParser.Parse(pageURL, body)
}

// peakHeap samples the heap (live and unswept objects) until stop is
// called, and returns the highest figure seen.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
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

// hostileLog is a log sink for a pass's many goroutines.
type hostileLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *hostileLog) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *hostileLog) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// hostileWeb is the suite's publishers: one good, the others hostile.
type hostileWeb struct {
	good, bombs, gzSitemap, slow, deep, sloppy, fan *testSite
	sources                                         []Source
}

// newHostileWeb starts the publishers; deep pages are just under
// bodyLimit.
func newHostileWeb(t testing.TB, bodyLimit int) *hostileWeb {
	good := loopbackSite(t, 2, map[string]http.HandlerFunc{
		"/":       listing("/news/a", "/news/b", "/news/c"),
		"/news/a": story("A", ""),
		"/news/b": story("B", ""),
		"/news/c": story("C", ""),
	})
	const bombMiB = 1024 // 1 GiB once decoded
	bombs := loopbackSite(t, 3, map[string]http.HandlerFunc{
		"/":              listing("/gzip", "/x-gzip", "/gzip-identity", "/gzip-gzip", "/deflate", "/raw-deflate", "/endless"),
		"/gzip":          bomb("text/html", "gzip", bombMiB),
		"/x-gzip":        bomb("text/html", "x-gzip", bombMiB),
		"/gzip-identity": bomb("text/html", "gzip, identity", bombMiB),
		"/gzip-gzip":     bomb("text/html", "gzip, gzip", bombMiB),
		"/deflate":       bomb("text/html", "deflate", 64),
		"/raw-deflate":   bomb("text/html", "raw-deflate", 64),
		"/endless":       endless,
	})
	gzSitemap := loopbackSite(t, 4, map[string]http.HandlerFunc{
		"/sitemap.xml.gz":    bomb("application/x-gzip", "", bombMiB),
		"/sitemap-ce.xml.gz": bomb("application/xml", "gzip", bombMiB),
	})
	slow := loopbackSite(t, 5, map[string]http.HandlerFunc{"/": trickle})
	deepRoutes := map[string]http.HandlerFunc{"/": listing("/d/1", "/d/2", "/d/3", "/d/4", "/d/5", "/d/6")}
	page := bigPage(bodyLimit - 64<<10)
	for i := 1; i <= 6; i++ {
		deepRoutes[fmt.Sprintf("/d/%d", i)] = page
	}
	deep := loopbackSite(t, 7, deepRoutes)
	sloppy := loopbackSite(t, 8, map[string]http.HandlerFunc{
		"/robots.txt": text("Disallow: /private\nCrawl-delay: soon\nSitemap: /nowhere.xml\nUser-agent: *\nDisallow: /secret\nCrawl-delay: ten\nnonsense line\n"),
		"/":           listing("/news/s", "/secret"),
		"/news/s":     story("S", ""),
		"/secret":     story("Secret", ""),
	})

	var fanBase string
	fan := loopbackSite(t, 6, fanOut(&fanBase, 1000, 5000))
	fanBase = fan.URL
	return &hostileWeb{good: good, bombs: bombs, gzSitemap: gzSitemap, slow: slow, deep: deep, sloppy: sloppy, fan: fan,
		sources: []Source{
			{Name: "good", Seeds: []string{good.URL + "/"}},
			{Name: "bombs", Seeds: []string{bombs.URL + "/"}},
			{Name: "gzsitemap", Sitemaps: []string{gzSitemap.URL + "/sitemap.xml.gz", gzSitemap.URL + "/sitemap-ce.xml.gz"}},
			{Name: "slow", Seeds: []string{slow.URL + "/"}},
			{Name: "fan", Sitemaps: []string{fan.URL + "/sitemap.xml"}},
			{Name: "deep", Seeds: []string{deep.URL + "/"}},
			{Name: "sloppy", Seeds: []string{sloppy.URL + "/"}},
		}}
}

// hostileOptions are the suite's options: the SSRF guard off for loopback,
// a short header timeout for the trickling server, small sitemap and page
// budgets for the fan-out.
func hostileOptions(bodyLimit int, budget int64, logs io.Writer) Options {
	opts := testOptions()
	opts.MaxBodyBytes = bodyLimit
	opts.MemoryBudget = budget
	opts.HeaderTimeout = 300 * time.Millisecond
	opts.MaxSitemaps = 20
	opts.MaxPages = 400
	opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return opts
}

func TestHostileServersCannotCrashOrStallThePass(t *testing.T) {
	web := newHostileWeb(t, hostileBodyLimit)
	bombs, gzSitemap, slow, deep, sloppy, fan := web.bombs, web.gzSitemap, web.slow, web.deep, web.sloppy, web.fan
	var logs hostileLog
	opts := hostileOptions(hostileBodyLimit, hostileBudget, &logs)
	runtime.GC()
	stop := peakHeap()
	parser, pub := &domParser{}, &memPublisher{}
	sum, err := crawlWith(t, opts, parser, pub, web.sources...)
	peak := stop()
	t.Logf("summary %s; peak heap %.1f MiB (budget %d MiB)", sum, float64(peak)/(1<<20), hostileBudget>>20)
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	if peak >= hostileBudget {
		t.Errorf("peak heap %.1f MiB, over the budget of %d MiB", float64(peak)/(1<<20), hostileBudget>>20)
	}

	titles := pub.titles()
	for _, want := range []string{"A", "B", "C", "S"} {
		if titles[want] != 1 {
			t.Errorf("article %q published %d times, want once (published %v)", want, titles[want], titles)
		}
	}
	if titles["Secret"] != 0 || sloppy.count("/secret") != 0 {
		t.Errorf("the sloppy robots.txt's readable Disallow was not honoured: %v", sloppy.log())
	}

	log := logs.String()
	if testing.Verbose() {
		t.Log(log)
	}
	for _, u := range []string{"/gzip", "/x-gzip", "/gzip-identity", "/gzip-gzip", "/deflate", "/raw-deflate", "/endless"} {
		if !strings.Contains(log, `url=`+bombs.URL+u+` `) {
			t.Errorf("no log line names the oversized body %s", u)
		}
	}
	for _, u := range []string{"/sitemap.xml.gz", "/sitemap-ce.xml.gz"} {
		if !strings.Contains(log, `url=`+gzSitemap.URL+u+` `) {
			t.Errorf("no log line names the oversized sitemap %s", u)
		}
	}
	if got := strings.Count(log, "response body too large"); got != 9 {
		t.Errorf("%d bodies reported too large, want 9:\n%s", got, log)
	}
	if sum.TooLarge != 9 {
		t.Errorf("summary counts %d bodies too large, want 9: %s", sum.TooLarge, sum)
	}
	if !strings.Contains(log, slow.URL) {
		t.Errorf("the trickling server's failure is not logged:\n%s", log)
	}

	children := 0
	for _, r := range fan.log() {
		if strings.HasPrefix(r, "/child-") {
			children++
		}
	}
	if children > opts.MaxSitemaps {
		t.Errorf("%d child sitemaps fetched, want at most MaxSitemaps=%d", children, opts.MaxSitemaps)
	}
	if sum.Pages > opts.MaxPages {
		t.Errorf("%d pages fetched, over MaxPages=%d", sum.Pages, opts.MaxPages)
	}
	for i := 1; i <= 6; i++ {
		if parser.body(fmt.Sprintf("%s/d/%d", deep.URL, i)) == nil {
			t.Errorf("deep page %d was not parsed", i)
		}
	}
}

// BenchmarkHostilePass runs the hostile suite's pass at the default body
// limit and memory budget and reports its peak heap (live and unswept
// objects, servers included), which must stay under the budget.
func BenchmarkHostilePass(b *testing.B) {
	var peak uint64
	for b.Loop() {
		web := newHostileWeb(b, DefaultMaxBodyBytes) // fresh servers and counts each time
		opts := hostileOptions(DefaultMaxBodyBytes, DefaultMemoryBudget, io.Discard)
		c, err := New(opts, &domParser{}, &memPublisher{})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := peakHeap()
		sum, err := c.Crawl(context.Background(), web.sources)
		peak = max(peak, stop())
		if err != nil || sum.Articles < 4 {
			b.Fatalf("crawl: %s, %v", sum, err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	if peak >= DefaultMemoryBudget {
		b.Errorf("peak heap %.1f MiB, over the default budget", float64(peak)/(1<<20))
	}
}
