package parser

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/news"
)

// amplifiers are pages under the crawler's 10 MiB body cap built to cost
// the most CPU and memory per byte: the shapes of issue 11.
func amplifiers() []struct{ name, body string } {
	story := "<p>" + strings.Join(storyParas, "</p><p>") + "</p>"
	const size = 9 << 20
	fill := func(unit string) string { return strings.Repeat(unit, size/len(unit)) }
	attrs := func() string {
		var b strings.Builder
		b.WriteString("<div")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, " a%d=1", i)
		}
		return b.String() + ">" + story + "</div>"
	}
	return []struct{ name, body string }{
		{"reopened formatting", reopenedFormatting(500, 10_000)},
		{"60k formatting open", distinctFormatting(60_000) + story},
		// The most a page can cost within the budget.
		{"190k nested divs", strings.Repeat("<div>", 190_000) + story},
		{"190k reopened", reopenedFormatting(95, 950)},
		{"190k attributes", "<div " + strings.Repeat("a ", 190_000) + ">" + story},
		{"2M nested divs", strings.Repeat("<div>", 2_000_000)},
		{"1.25M ul li", strings.Repeat("<ul><li>", 1_250_000)},
		{"9 MB of br", fill("<br>")},
		{"10 MB table", "<table>" + fill("<tr><td>cell</td><td>42</td></tr>") + "</table>" + story},
		{"1M attributes", attrs()},
		{"9 MB text node", "<p>" + fill("lorem ipsum dolor sit amet, ") + "</p>"},
		{"9 MB of one word", "<p>" + fill("x") + "</p>"},
		{"entity flood", "<p>" + fill("&amp;&nbsp;&#x41;&eacute;") + "</p>"},
		{"spans with text", fill("<span>word</span> ") + story},
		{"nested formatting", fill("<b><i>") + story},
	}
}

// reopenedFormatting is a page of formatting elements that a block closes,
// which the tree builder reopens before every text that follows: 500 of
// them and 10,000 short paragraphs built 5 million elements from 44 KB.
func reopenedFormatting(elements, paras int) string {
	var b strings.Builder
	b.WriteString("<p>")
	for i := range elements {
		fmt.Fprintf(&b, "<b class=c%d>", i)
	}
	return b.String() + "</p>" + strings.Repeat("<p>x", paras)
}

// distinctFormatting is n formatting elements left open, each unlike the
// others, so that none is dropped from the list of active formatting
// elements, which the count scans for each new one (see maxFormatting).
func distinctFormatting(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<b class=c%d>", i)
	}
	return b.String()
}

// parseCost is what one parse cost the process: CPU time (all threads,
// including the garbage collector's) and the peak of live heap, sampled.
type parseCost struct {
	cpu      time.Duration
	peakHeap uint64
}

// measureParse parses body once and reports what it cost. The heap is
// sampled every millisecond from runtime/metrics, so the peak is a lower
// bound of the true one, close enough to compare a parse with its input.
func measureParse(t testing.TB, p *Parser, body []byte) (parseCost, error) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	before := cpuTime(t)
	a, err := p.Parse("https://hostile.example/page", body)
	after := cpuTime(t)
	close(stop)
	wg.Wait()
	checkSane(t, a, err)
	runtime.KeepAlive(a)
	return parseCost{cpu: after - before, peakHeap: peak - min(peak, base)}, err
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime(t testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestAmplifiersAreBounded parses each amplifier and checks that the peak
// heap stays linear in the page with a small factor. Run it with -v to
// read CPU time and peak heap of each.
func TestAmplifiersAreBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("amplifiers take seconds")
	}
	p := New(Options{})
	for _, c := range amplifiers() {
		cost, err := measureParse(t, p, []byte(c.body))
		t.Logf("%-20s %5.2f MB: cpu %7s, peak heap %4.0f MB (%4.1fx) err=%.60v", c.name, float64(len(c.body))/1e6,
			cost.cpu.Round(time.Millisecond), float64(cost.peakHeap)/1e6, float64(cost.peakHeap)/float64(len(c.body)), err)
		if limit := uint64(40*len(c.body)) + 64<<20; cost.peakHeap > limit {
			t.Errorf("%s: peak heap %d bytes for a %d-byte page (limit %d)", c.name, cost.peakHeap, len(c.body), limit)
		}
	}
}

// BenchmarkAmplifiers reports CPU time and peak heap per parse of each
// amplifier (go test -run '^$' -bench Amplifiers -benchtime 1x ./parser).
func BenchmarkAmplifiers(b *testing.B) {
	p := New(Options{})
	for _, c := range amplifiers() {
		body := []byte(c.body)
		b.Run(strings.ReplaceAll(c.name, " ", "_"), func(b *testing.B) {
			var cpu time.Duration
			var peak uint64
			for b.Loop() {
				cost, _ := measureParse(b, p, body)
				cpu += cost.cpu
				peak = max(peak, cost.peakHeap)
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
		})
	}
}

// storyPage is a page whose story follows filler, under a title.
func storyPage(filler string) []byte {
	return []byte("<html><head><title>Ferry Terminal to Close</title></head><body>" + filler +
		"<p>" + strings.Join(storyParas, "</p><p>") + "</p></body></html>")
}

// TestOverBudgetKeepsStory: a page over the node budget is read by the
// cheap extraction, which keeps its title and every paragraph of its story
// and says it was degraded.
func TestOverBudgetKeepsStory(t *testing.T) {
	for name, tt := range map[string]struct {
		opts Options
		body []byte
	}{
		"2M nested divs":       {Options{}, storyPage(strings.Repeat("<div>", 2_000_000))},
		"9 MB of br":           {Options{}, storyPage(strings.Repeat("<br>", 2_250_000))},
		"reopened formatting":  {Options{}, storyPage(reopenedFormatting(100, 5000))},
		"2000 formatting open": {Options{}, storyPage(distinctFormatting(2000))},
		"budget of 100 nodes":  {Options{MaxNodes: 100}, storyPage(strings.Repeat("<span>a</span>", 100))},
		"timeout already past": {Options{Timeout: time.Nanosecond}, storyPage("")},
	} {
		t.Run(name, func(t *testing.T) {
			a, err := New(tt.opts).Parse("https://harbourtimes.example/ferry", tt.body)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkSane(t, a, err)
			want := signalOverNodes
			if tt.opts.Timeout > 0 {
				want = signalTimeout
			}
			if !slices.Contains(a.Paywall.Signals, want) {
				t.Errorf("Signals = %q, want %q", a.Paywall.Signals, want)
			}
			if a.Title != "Ferry Terminal to Close" {
				t.Errorf("Title = %q", a.Title)
			}
			for _, para := range storyParas {
				if !strings.Contains(a.Text, para) {
					t.Errorf("Text lacks the paragraph %q", para)
				}
			}
		})
	}
}

// TestWithinBudgetIsFullParse: the same page under the budget is parsed in
// full, without the degraded mark.
func TestWithinBudgetIsFullParse(t *testing.T) {
	a, err := New(Options{MaxNodes: 1000}).Parse("https://harbourtimes.example/ferry", storyPage(strings.Repeat("<span>a</span>", 100)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, s := range a.Paywall.Signals {
		if strings.HasPrefix(s, "parser:degraded") {
			t.Errorf("Signals = %q: a page within the budget was degraded", a.Paywall.Signals)
		}
	}
}

// TestOverBudgetWithoutStory: a hostile page with no text is not an article.
func TestOverBudgetWithoutStory(t *testing.T) {
	_, err := New(Options{}).Parse("https://hostile.example/page", []byte(strings.Repeat("<ul><li>", 1_250_000)))
	if !errors.Is(err, news.ErrNotArticle) || !strings.Contains(err.Error(), "over the parse budget") {
		t.Errorf("Parse error = %v, want news.ErrNotArticle naming the parse budget", err)
	}
}

// TestNodeEstimate: the estimate is at least the elements and attributes
// x/net/html builds (but for the few it implies: html, head, body,
// tbody), reopened formatting elements included, and not far above.
func TestNodeEstimate(t *testing.T) {
	for _, page := range []string{
		`<p class=a>one <b>two</b></p><br>`,
		`<p><b>bold</p>` + strings.Repeat("<p>x", 10),
		`<p><b><b><b><b><b></p>` + strings.Repeat("<p>x", 10),
		`<p><b class=1><b class=2><i><u></p>` + strings.Repeat("<p>x", 10),
		`<ul><li><a href=/>x</a><li><b>y</ul>` + strings.Repeat("<li>x", 10),
		`<table><tr><td><b>x</td><td>y</td></tr></table>` + strings.Repeat("<p>x", 10),
		`<div><font size=2><p>one<p>two</div><div>three</div>`,
		`<!-- <b><b> --><p>x</p><script>if (a<b) { "<i>" }</script><div title="a>b" data-x='<p>'>y</div>`,
		`<DIV CLASS=x><P>one<B>two</DIV><p>three<br/><img src=x alt="">`,
		`<textarea><b>not a tag</b></textarea><p>x < y</p><!doctype html><?xml?></p>`,
	} {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		built := 0
		walk(doc, func(n *html.Node) bool {
			if n.Type == html.ElementNode {
				built += 1 + len(n.Attr)
			}
			return true
		})
		if got := countNodes([]byte(page), 1<<20); got < built-4 || got > built+built/2 {
			t.Errorf("countNodes(%.60q) = %d, the tree has %d", page, got, built)
		}
	}
}

// TestRealPagesWithinBudget checks the budget against the 700 real pages of
// the extraction benchmarks: the largest node estimate must stay far below
// DefaultMaxNodes, so that no real page is ever degraded.
func TestRealPagesWithinBudget(t *testing.T) {
	pages := append(globPages(t, filepath.Join(benchPagesDir, "*.html.gz")),
		globPages(t, "../../shared/bench/trafilatura-dev/pages/*.html")...)
	if len(pages) == 0 {
		t.Skip("skipping: benchmark pages not found in ../../shared/bench beside the checkout")
	}
	largest, name, listed, listedName := 0, "", 0, ""
	for _, pg := range pages {
		if n := countNodes(toUTF8(pg.body), DefaultMaxNodes); n > largest {
			largest, name = n, pg.url
		}
		c := nodeCounter{open: map[string]int{}}
		c.count(toUTF8(pg.body), DefaultMaxNodes)
		if c.longest > listed {
			listed, listedName = c.longest, pg.url
		}
	}
	t.Logf("%d pages, largest node estimate %d (%s), budget %d; most formatting elements listed %d (%s), at most %d",
		len(pages), largest, name, DefaultMaxNodes, listed, listedName, maxFormatting)
	if largest > DefaultMaxNodes/10 {
		t.Errorf("page %s estimates %d nodes, within a factor 10 of the budget %d", name, largest, DefaultMaxNodes)
	}
	if listed > maxFormatting/4 {
		t.Errorf("page %s lists %d formatting elements, within a factor 4 of the limit %d", listedName, listed, maxFormatting)
	}
}

// TestBudgetCountMatchesTokenizer holds the count's own splitting of tags
// and text (nodeCounter.tag) against the plain way, html.Tokenizer, on
// the fixture pages and the real pages of the extraction benchmarks.
// The two agree but where the page repeats an attribute in one tag: the
// tokenizer keeps the first, the count counts each, as it errs high.
func TestBudgetCountMatchesTokenizer(t *testing.T) {
	pages := append(fixturePages(t), globPages(t, filepath.Join(benchPagesDir, "*.html.gz"))...)
	pages = append(pages, globPages(t, "../../shared/bench/trafilatura-dev/pages/*.html")...)
	differ := 0
	for _, pg := range pages {
		body := toUTF8(pg.body)
		got := countNodes(body, DefaultMaxNodes)
		c := nodeCounter{open: map[string]int{}}
		want := c.countTokenized(body, DefaultMaxNodes)
		if got != want {
			differ++
		}
		if got < want || got > want+want/5 {
			t.Errorf("%s: countNodes = %d, counted over html.Tokenizer %d", pg.url, got, want)
		}
	}
	t.Logf("%d pages, %d counted differently", len(pages), differ)
	if differ > len(pages)/5 {
		t.Errorf("%d of %d pages counted differently", differ, len(pages))
	}
}

// countTokenized is count over html.Tokenizer: the plain splitting that
// tag replaces.
func (c *nodeCounter) countTokenized(body []byte, limit int) int {
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		if c.nodes > limit || c.longest > maxFormatting {
			return max(c.nodes, limit+1)
		}
		switch z.Next() {
		case html.ErrorToken:
			return c.nodes
		case html.TextToken:
			c.reopen()
		case html.EndTagToken:
			name, _ := z.TagName()
			c.end(name)
		case html.StartTagToken, html.SelfClosingTagToken:
			raw := z.Raw() // before TagAttr unescapes values in place
			name, more := z.TagName()
			a := atom.Lookup(name)
			var key string
			if formatting[a] && a != atom.A && a != atom.Nobr {
				key = string(bytes.ToLower(raw))
			}
			attrs := 0
			for ; more; attrs++ {
				_, _, more = z.TagAttr()
			}
			c.start(tagName(a, name), a, key, attrs)
		}
	}
}

// globPages reads the pages matching pattern, gunzipping .gz files.
// fixturePages are the parser's own fixture pages: testdata/*.html and the
// paywall pages below testdata/paywall.
func fixturePages(t *testing.T) []benchPage {
	t.Helper()
	return append(globPages(t, filepath.Join("testdata", "*.html")), globPages(t, filepath.Join("testdata", "paywall", "*", "*.html"))...)
}

// fixtureTrees are the fixturePages parsed, each with its file name.
func fixtureTrees(t *testing.T) ([]string, []*html.Node) {
	t.Helper()
	var names []string
	var roots []*html.Node
	for _, pg := range fixturePages(t) {
		root, err := html.Parse(bytes.NewReader(toUTF8(pg.body)))
		if err != nil {
			t.Fatalf("%s: %v", pg.url, err)
		}
		names, roots = append(names, pg.url), append(roots, root)
	}
	return names, roots
}

func globPages(t *testing.T, pattern string) []benchPage {
	t.Helper()
	files, _ := filepath.Glob(pattern)
	var pages []benchPage
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
		pages = append(pages, benchPage{url: filepath.Base(f), body: body})
	}
	return pages
}

// BenchmarkNodeEstimate measures the budget's cost on real pages: the
// estimate over the pages of the extraction benchmark, to compare with
// BenchmarkExtraction/newsdesk (one op is the whole set in both).
func BenchmarkNodeEstimate(b *testing.B) {
	pages, total := loadBenchPages(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, pg := range pages {
			countNodes(pg.body, DefaultMaxNodes)
		}
	}
}
