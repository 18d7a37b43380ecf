package topics

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"newsdesk/news"
	"newsdesk/parser"
)

// benchSets are the shared bench pages, parsed once: the articles the
// rules see in the crawler and in `newsdesk import`.
var benchSets = sync.OnceValues(func() (map[string][]news.Article, error) {
	p := parser.New(parser.Options{})
	sets := map[string][]news.Article{}
	for name, glob := range map[string]string{
		"scrapinghub":     "../../shared/bench/scrapinghub/html/*.html.gz",
		"trafilatura-dev": "../../shared/bench/trafilatura-dev/pages/*.html",
	} {
		files, err := filepath.Glob(glob)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			if filepath.Ext(f) == ".gz" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					return nil, err
				}
				if body, err = io.ReadAll(zr); err != nil {
					return nil, err
				}
			}
			if a, err := p.Parse("https://bench.example/"+filepath.Base(f), body); err == nil {
				sets[name] = append(sets[name], a)
			}
		}
	}
	return sets, nil
})

// BenchmarkClassifyBench runs the default rules over every article of a
// bench set per op (pages/op says how many), to set against the parser's
// time per page (BenchmarkExtraction in parser, 181 scrapinghub pages/op).
func BenchmarkClassifyBench(b *testing.B) {
	sets, err := benchSets()
	if err != nil {
		b.Fatal(err)
	}
	if len(sets) == 0 {
		b.Skip("no bench pages in ../../shared/bench")
	}
	c, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"scrapinghub", "trafilatura-dev"} {
		arts := sets[name]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				for _, a := range arts {
					c.Classify(a)
				}
			}
			b.ReportMetric(float64(len(arts)), "pages/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(arts)), "ns/page")
		})
	}
}
