// Command newsdesk-reliability is the fault suite behind `make
// reliability`: it builds the real newsdesk binary and a standalone
// nats-server, runs newsdesk as processes against them and the real
// Elasticsearch, injects faults (SIGKILLed indexers, a SIGKILLed
// nats-server during indexing and during a crawl, a SIGTERM drain, a
// SIGKILLed Elasticsearch, revisions out of order, bad events) and prints a
// table: scenario, published, indexed, duplicates, lost, recovery seconds.
// It exits 1 when any scenario lost or duplicated anything or failed.
//
// Each scenario has its own nats-server, store and index, so one cannot
// disturb another. The Elasticsearch restart runs on a private instance
// started with scripts/elasticsearch.sh on a port of its own, never on the
// shared one.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// suite is one run of the fault suite.
type suite struct {
	root, work            string
	newsdeskBin, natsBin  string
	esURL                 string
	events, crawlArticles int
	outage, pageDelay     time.Duration
	timeout               time.Duration
	privateES             *privateES
}

type scenario struct {
	name string
	run  func(*suite, context.Context, *env, *result) error
}

func scenarios(esRestart bool) []scenario {
	all := []scenario{
		{"indexer-sigkill-x3", (*suite).indexerSIGKILL},
		{"nats-restart-indexing", (*suite).natsRestartIndexing},
		{"nats-restart-crawl", (*suite).natsRestartCrawl},
		{"indexer-sigterm-drain", (*suite).sigtermDrain},
		{"rev2-before-rev1", (*suite).revisionOrder},
		{"bad-events-50", (*suite).badEvents},
	}
	if esRestart {
		all = append(all, scenario{"es-sigkill-restart", (*suite).esRestart})
	}
	return all
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("newsdesk-reliability", flag.ContinueOnError)
	fs.SetOutput(stderr)
	s := &suite{}
	fs.IntVar(&s.events, "events", 10000, "events of the indexer SIGKILL scenario (the others use a half or a tenth)")
	fs.IntVar(&s.crawlArticles, "crawl-articles", 150, "stories on the site of the crawl scenario")
	fs.DurationVar(&s.outage, "outage", 8*time.Second, "how long a SIGKILLed nats-server stays down: longer than a client's 5 s publish timeout, shorter than nats.retry_budget")
	fs.DurationVar(&s.pageDelay, "page-delay", 20*time.Millisecond, "how long the crawl scenario's site takes per story")
	fs.DurationVar(&s.timeout, "timeout", 4*time.Minute, "how long a scenario may take to reach its end state")
	esRestart := fs.Bool("es-restart", false, "also SIGKILL and restart Elasticsearch (a private instance started with scripts/elasticsearch.sh; slow)")
	only := fs.String("run", "", "run only the scenarios whose names contain this")
	keep := fs.Bool("keep", false, "keep the work dir (logs of every process) even when all passed")
	fs.StringVar(&s.esURL, "es", envOr("NEWSDESK_TEST_ES_URL", "http://127.0.0.1:9200"), "Elasticsearch URL (env NEWSDESK_TEST_ES_URL)")
	fs.StringVar(&s.root, "root", ".", "the newsdesk checkout")
	fs.StringVar(&s.newsdeskBin, "newsdesk", "", "a newsdesk binary to test instead of building ./cmd/newsdesk (e.g. an older version)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var err error
	if s.work, err = os.MkdirTemp("", "newsdesk-reliability-"); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if err := s.build(stderr); err != nil {
		fmt.Fprintln(stderr, "newsdesk-reliability:", err)
		return 1
	}
	var results []result
	for _, sc := range scenarios(*esRestart) {
		if *only != "" && !strings.Contains(sc.name, *only) {
			continue
		}
		fmt.Fprintf(stderr, "running %s ...\n", sc.name)
		r := s.runScenario(sc)
		fmt.Fprintf(stderr, "  %s\n", r.row())
		results = append(results, r)
	}
	if s.privateES != nil {
		s.privateES.stop()
	}
	failed := printTable(stdout, results)
	if failed || *keep {
		fmt.Fprintf(stderr, "logs of every process: %s\n", s.work)
	} else {
		os.RemoveAll(s.work)
	}
	if failed {
		return 1
	}
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// build compiles the binaries under test into the work dir.
func (s *suite) build(stderr io.Writer) error {
	s.natsBin = filepath.Join(s.work, "nats-server")
	builds := []struct{ out, pkg string }{{s.natsBin, "github.com/nats-io/nats-server/v2"}}
	if s.newsdeskBin == "" {
		s.newsdeskBin = filepath.Join(s.work, "newsdesk")
		builds = append(builds, struct{ out, pkg string }{s.newsdeskBin, "./cmd/newsdesk"})
	}
	for _, b := range builds {
		cmd := exec.Command("go", "build", "-o", b.out, b.pkg)
		cmd.Dir = s.root
		cmd.Stdout, cmd.Stderr = stderr, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building %s: %w", b.pkg, err)
		}
	}
	return nil
}

// runScenario runs one scenario in its own environment.
func (s *suite) runScenario(sc scenario) result {
	r := result{scenario: sc.name}
	esURL := s.esURL
	if sc.name == "es-sigkill-restart" {
		if s.privateES == nil {
			pes, err := newPrivateES(s.root)
			if err == nil {
				err = pes.start()
			}
			if err != nil {
				r.err = fmt.Errorf("starting a private Elasticsearch: %w", err)
				return r
			}
			s.privateES = pes
		}
		esURL = s.privateES.url()
	}
	e, err := s.newEnv(sc.name, esURL)
	if err != nil {
		r.err = err
		return r
	}
	defer e.close()
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	start := time.Now()
	if err := sc.run(s, ctx, e, &r); err != nil && r.err == nil {
		r.err = err
	}
	if r.err != nil {
		r.note = strings.TrimSpace(r.note + fmt.Sprintf(" (after %.0fs; logs in %s)", time.Since(start).Seconds(), e.dir))
	}
	return r
}

func (r result) failed() bool { return r.err != nil || r.lost != 0 || r.duplicates != 0 }

func (r result) row() string {
	status := "ok"
	if r.failed() {
		status = "FAIL"
		if r.err != nil {
			status = "FAIL: " + r.err.Error()
		}
	}
	return fmt.Sprintf("%s\t%d\t%d\t%d\t%d\t%.1f\t%s\t%s", r.scenario, r.published, r.indexed, r.duplicates, r.lost,
		r.recovery.Seconds(), status, r.note)
}

// printTable prints the results and reports whether any failed.
func printTable(w io.Writer, results []result) bool {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tpublished\tindexed\tduplicates\tlost\trecovery s\tresult\tnote")
	failed := false
	for _, r := range results {
		fmt.Fprintln(tw, r.row())
		failed = failed || r.failed()
	}
	tw.Flush()
	fmt.Fprintln(w, "recovery s: from the last fault's end (process restarted, server back) to the index holding every event; for the drain, SIGTERM to exit")
	return failed
}
