// Command newsdesk-bench runs each stage's benchmark against its nearest
// alternative in the same run and writes BENCHMARKS.md: one row per figure
// with newsdesk's value, the baseline's, their ratio, the command that
// measured it, the date and the commit. Ratios from one run are what to
// quote: on a shared machine absolute speeds drift, ratios much less.
//
// Each package's test binary is built once and run directly, so the peak
// RSS reported is that of the benchmark process itself (not of `go test`).
//
//	go run ./cmd/newsdesk-bench            # short run, a few minutes
//	go run ./cmd/newsdesk-bench -full      # full sizes: 50k docs, 10k pages, medians of 5
//
// The indexing rows need Elasticsearch (NEWSDESK_TEST_ES_URL); without it
// they are reported as skipped.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	out := flag.String("out", "BENCHMARKS.md", "file to write the table to")
	full := flag.Bool("full", false, "full sizes: indexing at 5k and 50k docs, crawl at 1k and 10k pages, -count 5")
	count := flag.Int("count", 0, "runs of each benchmark, medians reported (default 1, 5 with -full)")
	only := flag.String("only", "", "comma-separated stages to run (parser,crawl,index,import); default all")
	indexDocs := flag.String("index-docs", "", "comma-separated document counts of the indexing benchmark (default 5000; 5000,50000 with -full)")
	verbose := flag.Bool("v", false, "copy the benchmarks' output to stderr")
	flag.Parse()

	if *count == 0 {
		*count = 1
		if *full {
			*count = 5
		}
	}
	docs := []string{"5000"}
	if *full {
		docs = []string{"5000", "50000"}
	}
	if *indexDocs != "" {
		docs = strings.Split(*indexDocs, ",")
	}
	crawlSizes := "1000"
	if *full {
		crawlSizes = "(1000|10000)"
	}
	r := &runner{count: *count, verbose: *verbose, bin: mustTempDir(), esURL: os.Getenv("NEWSDESK_TEST_ES_URL")}
	defer os.RemoveAll(r.bin)

	want := func(stage string) bool {
		return *only == "" || slices.Contains(strings.Split(*only, ","), stage)
	}
	var rows []row
	if want("parser") {
		rows = append(rows, r.parser()...)
	}
	if want("crawl") {
		rows = append(rows, r.crawl(crawlSizes)...)
	}
	if want("index") {
		for _, n := range docs {
			rows = append(rows, r.index(n)...)
		}
	}
	if want("import") {
		rows = append(rows, r.importWARC()...)
	}
	rows = append(rows, row{Figure: "Freshness p50/p95/p99 (publish → searchable)", Note: "not measured: no benchmark measures it yet"})

	if err := os.WriteFile(*out, []byte(render(rows, *count, *full)), 0o644); err != nil {
		log.Fatalf("writing %s: %v", *out, err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%d rows)\n", *out, len(rows))
}

func mustTempDir() string {
	d, err := os.MkdirTemp("", "newsdesk-bench-")
	if err != nil {
		log.Fatal(err)
	}
	return d
}

// row is one figure of the table. A row with only Note says why the figure
// is missing.
type row struct {
	Figure        string
	Newsdesk      float64
	Baseline      float64
	BaselineName  string
	Unit          string
	Ratio         float64 // newsdesk / baseline, higher is better for newsdesk
	RatioInverted bool    // the unit is a cost (µs, MB): baseline / newsdesk is reported instead
	Command       string
	Note          string
	PeakRSSMB     float64 // of the whole benchmark process
}

// runner builds and runs the test binaries.
type runner struct {
	count   int
	verbose bool
	bin     string
	esURL   string
}

// result is the median of each metric of each benchmark (by name without
// the -GOMAXPROCS suffix), and the process's peak RSS.
type result struct {
	metrics   map[string]map[string]float64
	peakRSSMB float64
	command   string
	err       error
}

// run builds pkg's test binary (once) and runs the benchmarks matching
// pattern with env, in the package's directory as `go test` would.
func (r *runner) run(pkg, pattern, benchtime string, env ...string) result {
	exe := filepath.Join(r.bin, strings.ReplaceAll(strings.Trim(pkg, "./"), "/", "_")+".test")
	if _, err := os.Stat(exe); err != nil {
		build := exec.Command("go", "test", "-c", "-o", exe, pkg)
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return result{err: fmt.Errorf("building %s: %w", pkg, err)}
		}
	}
	args := []string{"-test.run", "^$", "-test.bench", pattern, "-test.benchtime", benchtime,
		"-test.count", strconv.Itoa(r.count), "-test.benchmem", "-test.timeout", "90m"}
	cmd := exec.Command(exe, args...)
	cmd.Dir = pkg
	cmd.Env = append(os.Environ(), env...)
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	if r.verbose {
		cmd.Stdout = io.MultiWriter(&buf, os.Stderr)
		cmd.Stderr = cmd.Stdout
	}
	command := strings.TrimSpace(strings.Join(env, " ") + " go test -run '^$' -bench '" + pattern + "' -benchtime " +
		benchtime + " -count " + strconv.Itoa(r.count) + " -benchmem " + pkg)
	fmt.Fprintf(os.Stderr, "running: %s\n", command)
	err := cmd.Run()
	res := result{metrics: medians(parseBench(buf.String())), command: command}
	if ps := cmd.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			res.peakRSSMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
		}
	}
	if err != nil {
		res.err = fmt.Errorf("%s: %w\n%s", command, err, tail(buf.String(), 20))
	} else if len(res.metrics) == 0 {
		res.err = fmt.Errorf("%s: no benchmark ran\n%s", command, tail(buf.String(), 20))
	}
	return res
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// parseBench reads the result lines of benchmark output: each a name, the
// iterations and pairs of value and unit.
func parseBench(out string) map[string]map[string][]float64 {
	got := map[string]map[string][]float64{}
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		if got[name] == nil {
			got[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			got[name][f[i+1]] = append(got[name][f[i+1]], v)
		}
	}
	return got
}

// medians is the median of each metric's runs.
func medians(runs map[string]map[string][]float64) map[string]map[string]float64 {
	out := map[string]map[string]float64{}
	for name, ms := range runs {
		out[name] = map[string]float64{}
		for unit, vs := range ms {
			slices.Sort(vs)
			m := vs[len(vs)/2]
			if len(vs)%2 == 0 {
				m = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
			}
			out[name][unit] = m
		}
	}
	return out
}

// pair is a row comparing metric a of benchmark an with metric b of bn.
func (res result) pair(figure, an, a, bname, bn, b, unit string) row {
	if res.err != nil {
		return row{Figure: figure, Note: firstLine(res.err.Error()), Command: res.command}
	}
	x, okA := res.metrics[an][a]
	y, okB := res.metrics[bn][b]
	if !okA || !okB {
		return row{Figure: figure, Note: fmt.Sprintf("missing %s %s or %s %s in the output", an, a, bn, b), Command: res.command}
	}
	rw := row{Figure: figure, Newsdesk: x, Baseline: y, BaselineName: bname, Unit: unit, Command: res.command, PeakRSSMB: res.peakRSSMB}
	if y != 0 {
		rw.Ratio = x / y
	}
	return rw
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// parser compares newsdesk's parser with readeck's go-readability, wired
// both ways, and with bare x/net/html parsing, on the scrapinghub pages.
func (r *runner) parser() []row {
	res := r.run("./parser", "^BenchmarkExtraction$", "3x")
	const b = "BenchmarkExtraction/"
	return []row{
		res.pair("Parser, scrapinghub pages", b+"newsdesk", "MB/s", "readeck html.Parse+ParseAndMutate", b+"readeck-parse", "MB/s", "MB/s"),
		res.pair("Parser, scrapinghub pages", b+"newsdesk", "MB/s", "readeck FromReader", b+"readeck-fromreader", "MB/s", "MB/s"),
		res.pair("Parser, scrapinghub pages (floor)", b+"newsdesk", "MB/s", "bare x/net/html parse", b+"x-net-html", "MB/s", "MB/s"),
		res.pair("Parser allocations per pass", b+"newsdesk", "allocs/op", "bare x/net/html parse", b+"x-net-html", "allocs/op", "allocs").cost(),
	}
}

// crawl compares the crawler with bare colly, with a fake parser and with
// the real one, and their peak RSS in child processes.
func (r *runner) crawl(sizes string) []row {
	var rows []row
	res := r.run("./crawler", "^BenchmarkCrawlVsBareColly$/^"+sizes+"$", "1x")
	rss := r.run("./crawler", "^BenchmarkCrawlPeakRSS$/^"+sizes+"$", "1x")
	for _, n := range []string{"1000", "10000"} {
		name := "BenchmarkCrawlVsBareColly/" + n
		if _, ok := res.metrics[name]; !ok && res.err == nil {
			continue
		}
		rows = append(rows, res.pair("Crawl, "+n+" pages, fake parser", name, "pages/s", "bare colly", name, "bare-pages/s", "pages/s"))
		rn := "BenchmarkCrawlPeakRSS/" + n
		rows = append(rows, rss.pair("Crawl peak RSS, "+n+" pages", rn, "rss-MB", "bare colly", rn, "bare-rss-MB", "MB").cost())
	}
	real := r.run("./cmd/newsdesk", "^BenchmarkCrawlRealParser$", "1x")
	const rn = "BenchmarkCrawlRealParser"
	rows = append(rows,
		real.pair("Crawl, 1000 pages, real parser", rn, "pages/s", "bare colly", rn, "bare-pages/s", "pages/s"),
		real.pair("Crawl, 1000 pages, real parser", rn, "pages/s", "bare colly + same parser", rn, "bare-parsing-pages/s", "pages/s"))
	return rows
}

// index compares JetStream → consumer → Elasticsearch with a raw bulk load
// of the same documents, at n documents.
func (r *runner) index(n string) []row {
	figure := "Indexing, " + n + " docs"
	if r.esURL == "" {
		return []row{{Figure: figure, Note: "skipped: set NEWSDESK_TEST_ES_URL to an Elasticsearch"}}
	}
	res := r.run("./cmd/newsdesk", "^BenchmarkIndexThroughput$", "1x", "NEWSDESK_BENCH_DOCS="+n)
	const b = "BenchmarkIndexThroughput"
	return []row{
		res.pair(figure, b, "pipeline-docs/s", "raw bulk (esutil.BulkIndexer)", b, "raw-docs/s", "docs/s"),
		res.pair(figure+", Elasticsearch CPU", b, "pipeline-es-cpu-µs/doc", "raw bulk", b, "raw-es-cpu-µs/doc", "µs/doc").cost(),
		res.pair(figure+", Go CPU (consumer, NATS, client)", b, "pipeline-go-cpu-µs/doc", "raw bulk client", b, "raw-go-cpu-µs/doc", "µs/doc").cost(),
	}
}

// importWARC compares `newsdesk import` with the parser alone.
func (r *runner) importWARC() []row {
	res := r.run("./cmd/newsdesk", "^BenchmarkImportWARC$", "1x")
	const b = "BenchmarkImportWARC"
	return []row{res.pair("WARC import, one worker", b, "import-pages/s", "parser alone", b, "parser-pages/s", "pages/s")}
}

// cost marks a row whose unit is a cost, lower is better: its ratio is
// baseline/newsdesk so that, in every row, above 1 means newsdesk wins.
func (rw row) cost() row {
	rw.RatioInverted = true
	if rw.Newsdesk != 0 {
		rw.Ratio = rw.Baseline / rw.Newsdesk
	}
	return rw
}

// render is BENCHMARKS.md.
func render(rows []row, count int, full bool) string {
	var sb strings.Builder
	now := time.Now().UTC()
	sb.WriteString("# Benchmarks\n\n")
	sb.WriteString("Written by `make bench` (`go run ./cmd/newsdesk-bench`")
	if full {
		sb.WriteString(" -full")
	}
	sb.WriteString("); do not edit by hand.\n\nEach row compares newsdesk with its nearest alternative in the same run;\n")
	sb.WriteString("**ratio** is newsdesk/baseline for speeds and\n")
	sb.WriteString("baseline/newsdesk for costs (µs, MB, allocations), so above 1 always means\n")
	sb.WriteString("newsdesk is faster or cheaper. Quote the ratios: absolute figures move with the\n")
	sb.WriteString("machine's load, ratios from one run much less.\n\n")
	fmt.Fprintf(&sb, "- date: %s\n", now.Format(time.RFC3339))
	fmt.Fprintf(&sb, "- commit: %s\n", commit())
	fmt.Fprintf(&sb, "- machine: %s/%s, %d CPUs, %s; load average at the end %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), loadavg())
	fmt.Fprintf(&sb, "- runs per benchmark: %d (the median when more than one)\n\n", count)
	sb.WriteString("| figure | newsdesk | baseline | ratio | peak RSS of the run | command |\n")
	sb.WriteString("| --- | --- | --- | --- | --- | --- |\n")
	for _, rw := range rows {
		cmd := ""
		if rw.Command != "" {
			cmd = "`" + strings.ReplaceAll(rw.Command, "|", `\|`) + "`"
		}
		if rw.Note != "" {
			fmt.Fprintf(&sb, "| %s | %s | | | | %s |\n", rw.Figure, rw.Note, cmd)
			continue
		}
		rss := ""
		if rw.PeakRSSMB > 0 {
			rss = fmt.Sprintf("%.0f MB", rw.PeakRSSMB)
		}
		fmt.Fprintf(&sb, "| %s | %s %s | %s: %s %s | %.2f× | %s | %s |\n", rw.Figure, num(rw.Newsdesk), rw.Unit,
			rw.BaselineName, num(rw.Baseline), rw.Unit, rw.Ratio, rss, cmd)
	}
	sb.WriteString("\nPeak RSS is the benchmark process's whole run (newsdesk and its baselines in one\n")
	sb.WriteString("process); the crawl RSS rows measure each crawler alone in a child process.\n")
	return sb.String()
}

// num formats a figure with a sensible number of digits.
func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// commit is the checkout's commit, marked when the tree has changes.
func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown (not a git checkout)"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(bytes.TrimSpace(st)) > 0 {
		c += " (with uncommitted changes)"
	}
	return c
}

// loadavg is the 1, 5 and 15 minute load averages, to say how busy the
// machine was.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
