package parser

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkParserGrowth parses the scrapinghub pages NEWSDESK_BENCH_REPEAT
// times per op (default 1), each pass under URLs of its own, as a crawl of
// that many distinct pages would. `make bench` runs it at 1×, 10× and 100×,
// each in a process of its own, and compares the time per page and the
// process's peak RSS: anything the parser kept from one page to the next (a
// cache, a leak) would show there as growth. One untimed pass first, so the
// 1× figure is not one-time set-up. cpu-µs/page is the process's CPU time
// per page (the garbage collector's included), which a busy machine
// disturbs less than the wall time behind µs/page.
func BenchmarkParserGrowth(b *testing.B) {
	repeat := 1
	if s := os.Getenv("NEWSDESK_BENCH_REPEAT"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("NEWSDESK_BENCH_REPEAT=%q: want a number of passes over the corpus, 1 or more", s)
		}
		repeat = n
	}
	pages, total := loadBenchPages(b)
	p := New(Options{})
	for _, pg := range pages {
		_, _ = p.Parse(pg.url, pg.body)
	}
	b.SetBytes(total * int64(repeat))
	b.ReportAllocs()
	before := cpuTime(b)
	pass := 0
	for b.Loop() {
		for range repeat {
			pass++
			prefix := "https://bench.example/" + strconv.Itoa(pass) + "/"
			for _, pg := range pages {
				_, _ = p.Parse(prefix+strings.TrimPrefix(pg.url, "https://bench.example/"), pg.body)
			}
		}
	}
	parsed := float64(b.N * repeat * len(pages))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/parsed, "µs/page")
	b.ReportMetric(float64((cpuTime(b)-before).Nanoseconds())/1e3/parsed, "cpu-µs/page")
	b.ReportMetric(float64(repeat*len(pages)), "pages/op")
}
