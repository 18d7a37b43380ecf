package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"newsdesk/archive"
	"newsdesk/internal/testenv"
)

// TestImportPeakRSS is a measured run, not part of the suite: with
// NEWSDESK_IMPORT_RSS=10000,30000,100000 it builds the binary, writes a
// gzipped WARC directory of that many records for each figure (the
// scrapinghub pages beside the checkout, each a story of its own), and runs
// `/usr/bin/time -v newsdesk import DIR` with its own embedded NATS on a
// fresh data dir, logging the peak RSS. The import's memory should not
// grow with the number of records: it fails when the largest run peaks
// at more than twice the smallest. With NEWSDESK_IMPORT_RSS_NATS=external
// the import connects to a fresh NATS server of the test's instead, so the
// figure is the import's own memory without the JetStream server's (which
// keeps an index entry per crawl-state key and each event id of the
// duplicate window in memory).
func TestImportPeakRSS(t *testing.T) {
	spec := os.Getenv("NEWSDESK_IMPORT_RSS")
	if spec == "" {
		t.Skip("set NEWSDESK_IMPORT_RSS=10000,30000,100000 to measure the import's peak RSS")
	}
	external := os.Getenv("NEWSDESK_IMPORT_RSS_NATS") == "external"
	pages := scrapinghubPages(t)
	bin := filepath.Join(t.TempDir(), "newsdesk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var peaks []int
	for _, field := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 {
			t.Fatalf("NEWSDESK_IMPORT_RSS: %q is not a number of records", field)
		}
		dir := t.TempDir()
		writeBenchRecords(t, dir, pages, n)
		natsURL, mode := "", "embedded"
		if external {
			natsURL, mode = testenv.NATS(t), "external"
		}
		kib, cpu, summary := importRSS(t, bin, dir, natsURL)
		t.Logf("records=%d nats=%s peak RSS %.1f MiB, CPU %.1f s (%.2f ms a record); %s", n, mode, float64(kib)/1024, cpu, 1000*cpu/float64(n), summary)
		peaks = append(peaks, kib)
	}
	if len(peaks) > 1 && peaks[len(peaks)-1] > 2*peaks[0] {
		t.Errorf("peak RSS grows with the records: %v KiB", peaks)
	}
}

// scrapinghubPages reads the benchmark pages beside the checkout.
func scrapinghubPages(t *testing.T) map[string][]byte {
	files, _ := filepath.Glob("../../../shared/bench/scrapinghub/html/*.html.gz")
	if len(files) == 0 {
		t.Skip("skipping: the scrapinghub pages are not in ../shared/bench beside the checkout")
	}
	pages := make(map[string][]byte, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		pages[filepath.Base(f)] = body
	}
	return pages
}

// writeBenchRecords writes n response records to WARC files in dir with
// the archive package's writer, cycling through the pages, each a
// distinct story.
func writeBenchRecords(t *testing.T, dir string, pages map[string][]byte, n int) {
	w, err := archive.NewWriter(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(pages))
	for name := range pages {
		names = append(names, name)
	}
	for i := range n {
		name := names[i%len(names)]
		u := fmt.Sprintf("https://bench.example/%d/%s", i/len(names), name)
		// A canonical link of its own first (the parser takes the first):
		// each record is a story of its own, as in a real backfill.
		body := append([]byte(`<link rel="canonical" href="`+u+`">`), pages[name]...)
		if _, err := w.Write(archive.Exchange{URL: u, Status: 200, Body: body,
			ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

var (
	maxRSS  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
	cpuTime = regexp.MustCompile(`(?:User|System) time \(seconds\): ([0-9.]+)`)
)

// importRSS runs the import of dir under /usr/bin/time -v, with an
// embedded NATS server or connected to natsURL, and returns its peak RSS
// in KiB, its CPU time (user and system) in seconds, and the import's
// summary line.
func importRSS(t *testing.T, bin, dir, natsURL string) (int, float64, string) {
	nats := "embedded:\n    port: -1"
	if natsURL != "" {
		nats = "url: " + natsURL
	}
	cfg := writeConfig(t, fmt.Sprintf(`
data_dir: %s
nats:
  %s
topics:
  required: false
sources:
  - name: bench
    seeds: [https://bench.example/]
`, t.TempDir(), nats))
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("/usr/bin/time", "-v", bin, "import", "--config", cfg, dir)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("newsdesk import: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	m := maxRSS.FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no peak RSS in /usr/bin/time's output:\n%s", stderr.String())
	}
	kib, _ := strconv.Atoi(m[1])
	var cpu float64
	for _, c := range cpuTime.FindAllStringSubmatch(stderr.String(), -1) {
		s, _ := strconv.ParseFloat(c[1], 64)
		cpu += s
	}
	return kib, cpu, strings.TrimSpace(stdout.String())
}
