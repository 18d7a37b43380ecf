package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// runMain runs the binary's Main as a user would, with stdin and captured output.
func runMain(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code = Main(ctx, args, IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

func TestParseCommandPrintsTheSeedArticle(t *testing.T) {
	page, err := os.ReadFile("testdata/site/articles/meta-netflix.html")
	if err != nil {
		t.Fatal(err)
	}
	const pageURL = "https://ledger.example/articles/meta-netflix.html"
	code, stdout, stderr := runMain(t, string(page), "parse", "--url", pageURL)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a news.Article
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatalf("output is not an article: %v\n%s", err, stdout)
	}
	if a.URL != pageURL || a.ID != news.DocID(pageURL) {
		t.Errorf("url %q id %q", a.URL, a.ID)
	}
	if a.Title != "Lawsuit Alleges Meta Allowed Netflix Access to Facebook Users’ Messages" {
		t.Errorf("title %q", a.Title)
	}
	if a.Paywall.Kind != news.PaywallSoft || !a.Paywall.Detected || a.Paywall.Truncated || len(a.Paywall.Signals) == 0 {
		t.Errorf("paywall %+v, want a detected soft wall with its signals", a.Paywall)
	}
	if want := readGoldenText(t, "../../parser/testdata/seed-meta-netflix.golden.json"); a.Text != want {
		t.Errorf("text differs from the golden text:\n got %q\nwant %q", a.Text, want)
	}
	// The contract: these keys are always present, even when empty.
	for _, key := range []string{`"authors"`, `"text"`, `"paywall"`, `"signals"`, `"truncated"`} {
		if !strings.Contains(stdout, key) {
			t.Errorf("output lacks %s", key)
		}
	}
}

func TestParseCommandRejectsArguments(t *testing.T) {
	if code, _, stderr := runMain(t, "", "parse", "page.html"); code != exitUsage || !strings.Contains(stderr, "stdin") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// writeConfig writes a newsdesk.yaml for the test site and returns its path.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "newsdesk.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func streamMessages(t *testing.T, natsURL string) uint64 {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, "NEWSDESK_ARTICLES")
	if err != nil {
		t.Fatalf("the crawl left no article stream: %v", err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// TestCrawlOnceAsCronRunsIt runs `newsdesk crawl --once` twice against a real
// NATS server, as cron would: one summary line, exit 0, three events, and
// no duplicates from the second run.
func TestCrawlOnceAsCronRunsIt(t *testing.T) {
	site := newTestSite(t)
	natsURL := testenv.NATS(t)
	cfgPath := writeConfig(t, fmt.Sprintf(`
data_dir: %s
nats:
  url: %s
crawl:
  delay: 0s
sources:
  - name: ledger
    seeds: [%s/]
`, t.TempDir(), natsURL, site.URL))

	for run := 1; run <= 2; run++ {
		code, stdout, stderr := runMain(t, "", "crawl", "--once", "--config", cfgPath)
		if code != exitOK {
			t.Fatalf("run %d: exit %d\nstdout: %s\nstderr: %s", run, code, stdout, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if len(lines) != 1 || !strings.Contains(lines[0], "articles=3") || !strings.Contains(lines[0], "paywalls=2") {
			t.Errorf("run %d: summary %q, want one line with articles=3 paywalls=2", run, stdout)
		}
		if n := streamMessages(t, natsURL); n != 3 {
			t.Errorf("after run %d the stream holds %d events, want 3", run, n)
		}
	}
}

func TestCrawlFailsLoudlyWhenNATSIsDown(t *testing.T) {
	site := newTestSite(t)
	cfgPath := writeConfig(t, fmt.Sprintf(`
data_dir: %s
nats:
  url: nats://127.0.0.1:1
sources:
  - name: ledger
    seeds: [%s/]
`, t.TempDir(), site.URL))
	code, _, stderr := runMain(t, "", "crawl", "--once", "--config", cfgPath)
	if code != exitFailed || !strings.Contains(stderr, "NATS") {
		t.Errorf("exit %d, stderr %q; want exit 1 naming NATS", code, stderr)
	}
}

func TestBadConfigIsAUsageErrorNamingTheKey(t *testing.T) {
	cfgPath := writeConfig(t, "crawl:\n  delay: soon\nsources:\n  - name: Bad Name\n    seeds: [https://example.org/]\n")
	for _, cmd := range []string{"crawl", "run", "index", "serve"} {
		code, _, stderr := runMain(t, "", cmd, "--config", cfgPath)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d", cmd, code, exitUsage)
		}
		if !strings.Contains(stderr, "newsdesk.yaml") || !strings.Contains(stderr, "soon") {
			t.Errorf("%s: stderr %q does not name the file and the bad value", cmd, stderr)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, stderr := runMain(t, "", "frobnicate"); code != exitUsage || !strings.Contains(stderr, "usage") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
