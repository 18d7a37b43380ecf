package parser

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// BenchmarkParse measures one parse of each fixture page.
func BenchmarkParse(b *testing.B) {
	p := New(Options{})
	for _, f := range fixtures {
		body, err := os.ReadFile(filepath.Join("testdata", f.file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f.file, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				_, _ = p.Parse(f.url, body)
			}
		})
	}
}

// BenchmarkParseLarge parses a page of about half a megabyte, deep and full
// of links, to show that the cost grows with the page, not its square.
func BenchmarkParseLarge(b *testing.B) {
	body := largePage()
	p := New(Options{})
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := p.Parse("https://example.com/large", body); err != nil {
			b.Fatal(err)
		}
	}
}

func largePage() []byte {
	var sb strings.Builder
	sb.WriteString(`<html><head><title>Large</title></head><body><nav>`)
	for i := range 500 {
		fmt.Fprintf(&sb, `<a href="/s/%d">Section %d</a> `, i, i)
	}
	sb.WriteString(`</nav><main><article><h1>Large page</h1>`)
	for i := range 400 {
		sb.WriteString(strings.Repeat("<div>", 8))
		fmt.Fprintf(&sb, "<p>%s <a href=\"/x/%d\">link</a> %s</p>", storyParas[i%len(storyParas)], i, storyParas[(i+1)%len(storyParas)])
		sb.WriteString(strings.Repeat("</div>", 8))
	}
	sb.WriteString(`</article><ul class="related">`)
	for i := range 300 {
		fmt.Fprintf(&sb, `<li><a href="/r/%d">Related story %d with a headline</a></li>`, i, i)
	}
	sb.WriteString(`</ul></main></body></html>`)
	return []byte(sb.String())
}

// benchPagesDir holds the scrapinghub benchmark pages, beside the checkout.
const benchPagesDir = "../../shared/bench/scrapinghub/html"

// benchPage is one page of the extraction benchmark.
type benchPage struct {
	url  string
	body []byte
}

// loadBenchPages reads every page of the extraction benchmark, or skips the
// benchmark when the shared folder is not beside the checkout.
func loadBenchPages(b *testing.B) ([]benchPage, int64) {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(benchPagesDir, "*.html.gz"))
	if len(files) == 0 {
		b.Skipf("skipping: benchmark pages not found at %s: they live in ../shared/bench beside the checkout", benchPagesDir)
	}
	var pages []benchPage
	var total int64
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			b.Fatal(err)
		}
		// The URL only resolves relative links; the page's own address is
		// in the ground truth, which this benchmark does not need.
		pages = append(pages, benchPage{url: "https://bench.example/" + filepath.Base(f), body: body})
		total += int64(len(body))
	}
	return pages, total
}

// BenchmarkExtraction measures, in one run, newsdesk's Parse, readeck's
// go-readability (the baseline of `make eval`) wired two ways (FromReader,
// and html.Parse + ParseAndMutate: the fair one) and bare HTML parsing with
// golang.org/x/net/html (the floor every extractor stands on) over the 181
// pages of the extraction benchmark. One op is the whole set, so MB/s of
// the four sub-benchmarks compare directly; the figures worth quoting are
// their ratios, which a busy machine disturbs less than the absolute speeds,
// and cpu-ms/op, the process's CPU time per op, which it disturbs less
// than the wall time behind ns/op and MB/s.
func BenchmarkExtraction(b *testing.B) {
	pages, total := loadBenchPages(b)
	b.Run("newsdesk", func(b *testing.B) {
		p := New(Options{})
		b.SetBytes(total)
		b.ReportAllocs()
		defer reportCPU(b, cpuTime(b))
		for b.Loop() {
			for _, pg := range pages {
				_, _ = p.Parse(pg.url, pg.body)
			}
		}
	})
	// readeck-fromreader is readeck's one-call wiring: FromReader runs
	// charset detection, a decoding transform and NFC normalisation on
	// every page before parsing.
	b.Run("readeck-fromreader", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		defer reportCPU(b, cpuTime(b))
		for b.Loop() {
			for _, pg := range pages {
				u, _ := url.Parse(pg.url)
				if art, err := readability.FromReader(bytes.NewReader(pg.body), u); err == nil && art.Node != nil {
					_ = art.RenderText(io.Discard)
				}
			}
		}
	})
	// readeck-parse is readeck's cheapest wiring, the fair baseline: the
	// page parsed once by x/net/html (as newsdesk gets its text, already
	// UTF-8 from the crawler) and extracted in place by ParseAndMutate.
	b.Run("readeck-parse", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		defer reportCPU(b, cpuTime(b))
		rp := readability.NewParser()
		for b.Loop() {
			for _, pg := range pages {
				u, _ := url.Parse(pg.url)
				doc, err := html.Parse(bytes.NewReader(pg.body))
				if err != nil {
					b.Fatal(err)
				}
				if art, err := rp.ParseAndMutate(doc, u); err == nil && art.Node != nil {
					_ = art.RenderText(io.Discard)
				}
			}
		}
	})
	b.Run("x-net-html", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		defer reportCPU(b, cpuTime(b))
		for b.Loop() {
			for _, pg := range pages {
				if _, err := html.Parse(bytes.NewReader(pg.body)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// reportCPU reports the process's CPU time per op since before (cpuTime),
// the garbage collector's included.
func reportCPU(b *testing.B, before time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-before)/float64(b.N)/1e6, "cpu-ms/op")
}
