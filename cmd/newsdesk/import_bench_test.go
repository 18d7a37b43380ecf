package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"newsdesk/archive"
	"newsdesk/config"
	"newsdesk/events"
	"newsdesk/internal/testenv"
)

// benchWARC packs the scrapinghub benchmark pages (beside the checkout)
// into a gzipped WARC, each page copies times under its own URL, and
// returns the file and the pages.
func benchWARC(b *testing.B, copies int) (string, []archive.Record) {
	b.Helper()
	files, _ := filepath.Glob("../../../shared/bench/scrapinghub/html/*.html.gz")
	if len(files) == 0 {
		b.Skip("skipping: the scrapinghub pages are not in ../shared/bench beside the checkout")
	}
	dir := b.TempDir()
	w, err := archive.NewWriter(dir, 0)
	if err != nil {
		b.Fatal(err)
	}
	var pages []archive.Record
	for c := range copies {
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(zr)
			u := fmt.Sprintf("https://bench.example/%d/%s", c, filepath.Base(f))
			if _, err := w.Write(archive.Exchange{URL: u, Status: 200, Body: body,
				ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}}}); err != nil {
				b.Fatal(err)
			}
			pages = append(pages, archive.Record{URL: u, Body: body})
		}
	}
	w.Close()
	names, _ := archive.Files(dir)
	return names[0], pages
}

// benchCopies is NEWSDESK_BENCH_COPIES, how many copies of the 181 pages
// the benchmark archive holds (default 3): the bench harness's growth rows
// run 1, 3, 10 and, with -full, 100 copies.
func benchCopies(b *testing.B) int {
	v := os.Getenv("NEWSDESK_BENCH_COPIES")
	if v == "" {
		return 3
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("NEWSDESK_BENCH_COPIES=%q: want a number of copies, 1 or more", v)
	}
	return n
}

// BenchmarkImportWARC measures `newsdesk import` on one worker (pages/s per
// core): reading a local gzipped WARC of the scrapinghub pages, parsing,
// topic rules, crawl state in JetStream KV and publishing to embedded
// JetStream (topics not required, so every article is published), against
// the parser alone on the same pages in the same run (order A B C C B A;
// C is parser plus topic rules, to show where the difference lies).
// Report the ratio import/parser; each import starts with empty crawl
// state (a fresh bucket), so every page is a new story. The reader and the
// JetStream server run beside the worker, on the second core if free.
func BenchmarkImportWARC(b *testing.B) { benchImport(b, 1) }

// BenchmarkImportWARCOneCore is the same with the whole process on one
// core (GOMAXPROCS 1: reader, workers, JetStream server, and the parser
// alone too) and import's default of two workers a core, so one page's
// parse fills the other's wait for JetStream's replies: what one core
// imports, all costs counted.
func BenchmarkImportWARCOneCore(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	benchImport(b, workersPerCore)
}

func benchImport(b *testing.B, workers int) {
	warc, pages := benchWARC(b, benchCopies(b))
	natsURL := testenv.NATS(b)
	cfg := config.Default()
	cfg.NATS.URL = natsURL
	cfg.DataDir = b.TempDir()
	cfg.Topics.Required = false
	cfg.Sources = []config.Source{{Name: "bench", Seeds: []string{"https://bench.example/"}}}
	logger := slog.New(slog.DiscardHandler)
	ctx := context.Background()
	bus, err := connectNATS(ctx, cfg, logger, "crawl", false)
	if err != nil {
		b.Fatal(err)
	}
	defer bus.Close()
	sources, _ := crawlSources(cfg, "")
	pp, err := newPageParser(cfg)
	if err != nil {
		b.Fatal(err)
	}

	var importTime, parseTime, classifyTime time.Duration
	var imported, parsed, classified, bucket int
	runImport := func() {
		bucket++
		state, err := bus.CrawlState(ctx, events.CrawlStateOptions{Bucket: fmt.Sprintf("BENCH_%d_%d", time.Now().UnixNano(), bucket)})
		if err != nil {
			b.Fatal(err)
		}
		bf, err := newBackfill(ctx, cfg, logger, bus, state, sources)
		if err != nil {
			b.Fatal(err)
		}
		im := &importer{bf: bf, log: logger, workers: workers, maxBody: cfg.Crawl.MaxBodyBytes}
		start := time.Now()
		sum, err := im.run(ctx, []string{warc})
		importTime += time.Since(start)
		bf.Close()
		if err != nil || sum.HTML != len(pages) {
			b.Fatalf("import: %s, %v; want %d pages", sum, err, len(pages))
		}
		imported += sum.HTML
	}
	runParser := func() {
		start := time.Now()
		for _, pg := range pages {
			_, _ = pp.parser.Parse(pg.URL, pg.Body)
		}
		parseTime += time.Since(start)
		parsed += len(pages)
	}
	runClassify := func() { // parser and topic rules: the import minus WARC, state and publishing
		start := time.Now()
		for _, pg := range pages {
			_, _ = pp.Parse(pg.URL, pg.Body)
		}
		classifyTime += time.Since(start)
		classified += len(pages)
	}
	for b.Loop() {
		runImport()
		runParser()
		runClassify()
		runClassify()
		runParser()
		runImport()
	}
	importRate := float64(imported) / importTime.Seconds()
	parseRate := float64(parsed) / parseTime.Seconds()
	b.ReportMetric(importRate, "import-pages/s")
	b.ReportMetric(parseRate, "parser-pages/s")
	b.ReportMetric(float64(classified)/classifyTime.Seconds(), "parser+topics-pages/s")
	b.ReportMetric(importRate/parseRate, "ratio")
}
