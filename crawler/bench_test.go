package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"

	"newsdesk/news"
)

// benchSite serves a listing of n article pages, all on 127.0.0.1.
func benchSite(tb testing.TB, n int) *httptest.Server {
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
	tb.Cleanup(srv.Close)
	return srv
}

// discardPublisher drops events.
type discardPublisher struct{}

func (discardPublisher) Publish(context.Context, news.ArticleEvent) error { return nil }

const benchParallelism = 16

// BenchmarkCrawlVsBareColly crawls a local site of pages (1,000 and
// 10,000) with politeness off, with the whole crawler (normalisation,
// in-memory crawl state, the fake parser of the tests, publishing to a
// publisher that drops events) and with a bare colly collector that only
// fetches the same pages, in the same run. The real parser is measured in
// cmd/newsdesk (BenchmarkCrawlRealParser), where it can be wired.
//
// Each iteration runs bare, ours, ours, bare: on a shared machine the load
// drifts, and the symmetric order cancels a linear drift out of the ratio
// (bare time / our time; 1 means no overhead). Run it with -count and take
// the median.
func BenchmarkCrawlVsBareColly(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		srv := benchSite(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var ours, bare time.Duration
			for b.Loop() {
				bare += timed(func() { bareCollyCrawl(b, srv.URL) })
				ours += timed(func() { oursCrawl(b, srv.URL, n) })
				ours += timed(func() { oursCrawl(b, srv.URL, n) })
				bare += timed(func() { bareCollyCrawl(b, srv.URL) })
			}
			pages := 2 * float64(n+1) * float64(b.N)
			b.ReportMetric(pages/ours.Seconds(), "pages/s")
			b.ReportMetric(pages/bare.Seconds(), "bare-pages/s")
			b.ReportMetric(bare.Seconds()/ours.Seconds(), "ratio")
		})
	}
}

// BenchmarkCrawlPeakRSS runs each crawler alone in a child process (this
// test binary again, see TestBenchCrawlChild) against a site served from
// here, so that neither the server nor the other crawler counts. It reports
// each child's peak RSS (VmHWM, read by the child at its end: getrusage's
// maxrss of a child would include this process, which the child shares
// memory with until it execs), that of a child that crawls nothing (the
// test binary's own floor), and the CPU seconds each crawl took above that
// floor, which a shared machine's load disturbs far less than wall time.
func BenchmarkCrawlPeakRSS(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		srv := benchSite(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var idle, ours, bare child
			for b.Loop() {
				idle = runChild(b, "idle", srv.URL, n)
				bare = runChild(b, "bare", srv.URL, n)
				ours = runChild(b, "ours", srv.URL, n)
			}
			b.ReportMetric(ours.rssMB, "rss-MB")
			b.ReportMetric(bare.rssMB, "bare-rss-MB")
			b.ReportMetric(idle.rssMB, "idle-rss-MB")
			b.ReportMetric(ours.cpu.Seconds()-idle.cpu.Seconds(), "cpu-s")
			b.ReportMetric(bare.cpu.Seconds()-idle.cpu.Seconds(), "bare-cpu-s")
		})
	}
}

// childEnv names the crawl a child process runs: "idle", "bare" or "ours",
// then the site's URL and its number of articles.
const childEnv = "NEWSDESK_BENCH_CRAWL_CHILD"

// TestBenchCrawlChild is the body of BenchmarkCrawlPeakRSS's children; it
// skips unless childEnv is set.
func TestBenchCrawlChild(t *testing.T) {
	spec := os.Getenv(childEnv)
	if spec == "" {
		t.Skip("runs only as a child of BenchmarkCrawlPeakRSS")
	}
	var mode, url string
	var n int
	if _, err := fmt.Sscan(spec, &mode, &url, &n); err != nil {
		t.Fatalf("%s=%q: %v", childEnv, spec, err)
	}
	switch mode {
	case "bare":
		bareCollyCrawl(t, url)
	case "ours":
		oursCrawl(t, url, n)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(status)) {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Printf("%s %s", hwmMark, strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")))
			fmt.Println()
		}
	}
}

// hwmMark precedes the child's peak RSS on its output.
const hwmMark = "newsdesk-bench-vmhwm"

type child struct {
	rssMB float64
	cpu   time.Duration
}

func runChild(b *testing.B, mode, url string, n int) child {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchCrawlChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s %d", childEnv, mode, url, n))
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child %s: %v\n%s", mode, err, out)
	}
	_, after, ok := strings.Cut(string(out), hwmMark+" ")
	var kB float64
	if _, err := fmt.Sscanf(after, "%g kB", &kB); !ok || err != nil {
		b.Fatalf("child %s printed no VmHWM: %v\n%s", mode, err, out)
	}
	return child{rssMB: kB / 1024, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
}

func timed(f func()) time.Duration {
	t0 := time.Now()
	f()
	return time.Since(t0)
}

// oursCrawl crawls the bench site with the whole crawler.
func oursCrawl(tb testing.TB, base string, n int) {
	opts := testOptions()
	opts.Parallelism = benchParallelism
	opts.MaxPages = n + 10
	opts.State = newMemState()
	c, err := New(opts, &fakeTextParser{}, discardPublisher{})
	if err != nil {
		tb.Fatal(err)
	}
	sum, err := c.Crawl(context.Background(), []Source{{Name: "bench", Seeds: []string{base + "/"}, MaxDepth: 1}})
	if err != nil || sum.Articles != n {
		tb.Fatalf("crawl: %s, %v", sum, err)
	}
}

var linkRE = regexp.MustCompile(`^/a/\d+$`)

// bareCollyCrawl is the baseline: an async colly collector with the same
// per-domain parallelism that fetches the listing and every page it links.
func bareCollyCrawl(tb testing.TB, base string) {
	col := &colly.Collector{}
	col.Init()
	col.Async = true
	col.MaxDepth = 2
	col.IgnoreRobotsTxt = true
	if err := col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: benchParallelism}); err != nil {
		tb.Fatal(err)
	}
	col.OnHTML("a[href]", func(e *colly.HTMLElement) {
		if linkRE.MatchString(e.Attr("href")) {
			e.Request.Visit(e.Attr("href"))
		}
	})
	col.Visit(base + "/")
	col.Wait()
}
