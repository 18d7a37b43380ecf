package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/events"
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
	page, err := os.ReadFile("../../parser/testdata/seed-meta-netflix.html")
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

// articleStream opens the article stream on a real NATS server; the
// connection closes when the test ends.
func articleStream(t *testing.T, natsURL string) jetstream.Stream {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
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
	return s
}

func streamMessages(t *testing.T, natsURL string) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := articleStream(t, natsURL).Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// cronConfig writes the config a cron job would use for the test site: its
// own NATS server, no politeness delay and loopback allowed (it is our site).
func cronConfig(t *testing.T, natsURL, siteURL string) string {
	t.Helper()
	return writeConfig(t, fmt.Sprintf(`
data_dir: %s
nats:
  url: %s
crawl:
  delay: 0s
  allow_private_networks: true
sources:
  - name: ledger
    seeds: [%s/]
`, t.TempDir(), natsURL, siteURL))
}

// TestCrawlOnceAsCronRunsIt runs `newsdesk crawl --once` twice against a real
// NATS server, as cron would: one summary line, exit 0, three events, and
// no duplicates from the second run.
func TestCrawlOnceAsCronRunsIt(t *testing.T) {
	site := newTestSite(t)
	natsURL := testenv.NATS(t)
	cfgPath := cronConfig(t, natsURL, site.URL)

	// The first run publishes the three stories; the second revisits them
	// (the crawl state is in NATS) and finds them unchanged.
	for run, want := range []string{"articles=3 updated=0 unchanged=0", "articles=0 updated=0 unchanged=3"} {
		code, stdout, stderr := runMain(t, "", "crawl", "--once", "--config", cfgPath)
		if code != exitOK {
			t.Fatalf("run %d: exit %d\nstdout: %s\nstderr: %s", run+1, code, stdout, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "crawl ok: ") || !strings.Contains(lines[0], want) {
			t.Errorf("run %d: summary %q, want one line with %s", run+1, stdout, want)
		}
		if n := streamMessages(t, natsURL); n != 3 {
			t.Errorf("after run %d the stream holds %d events, want 3", run+1, n)
		}
	}
}

// TestCrawlOnceSkipsASourceLeasedElsewhere is cron starting a run while the
// previous one still crawls: the second run says so and exits 4 (nothing
// crawled, every source leased) without fetching anything.
func TestCrawlOnceSkipsASourceLeasedElsewhere(t *testing.T) {
	site := newTestSite(t)
	natsURL := testenv.NATS(t)
	cfgPath := cronConfig(t, natsURL, site.URL)
	holdLease(t, natsURL, "lease.source.ledger")

	code, stdout, stderr := runMain(t, "", "crawl", "--once", "--source", "ledger", "--config", cfgPath)
	if code != exitLeased {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.HasPrefix(stdout, "crawl skipped: ") || !strings.Contains(stdout, "leased=1") {
		t.Errorf("stdout %q, want a skipped summary with leased=1", stdout)
	}
	if !strings.Contains(stderr, "other-crawler") {
		t.Errorf("the log does not name the instance that holds the lease:\n%s", stderr)
	}
	if site.requested("/") || site.requested("/robots.txt") {
		t.Error("the second run fetched pages")
	}
}

// holdLease takes a lease as another crawler instance would.
func holdLease(t *testing.T, natsURL, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	bus, err := events.Connect(ctx, events.Options{URL: natsURL, Name: "other-crawler"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bus.Close)
	state, err := bus.CrawlState(ctx, events.CrawlStateOptions{Instance: "other-crawler"})
	if err != nil {
		t.Fatal(err)
	}
	if lease, holder, err := state.Acquire(ctx, name, time.Hour); err != nil || lease == nil {
		t.Fatalf("Acquire = %v, %q, %v", lease, holder, err)
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

// TestCronPassesEmitOneUpdateAfterAnEdit runs three cron passes on a real
// NATS server against a copy of the test site: the second emits nothing,
// and after one story is edited the third emits exactly one "updated"
// event, with its revision and what changed.
func TestCronPassesEmitOneUpdateAfterAnEdit(t *testing.T) {
	dir := buildSite(t)
	site := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(site.Close)
	natsURL := testenv.NATS(t)
	cfgPath := cronConfig(t, natsURL, site.URL)

	crawlOnce := func(want string) {
		t.Helper()
		code, stdout, stderr := runMain(t, "", "crawl", "--once", "--config", cfgPath)
		if code != exitOK || !strings.Contains(stdout, want) {
			t.Fatalf("exit %d, stdout %q, want %s\nstderr: %s", code, stdout, want, stderr)
		}
	}
	crawlOnce("articles=3 updated=0 unchanged=0")
	crawlOnce("articles=0 updated=0 unchanged=3")

	page := filepath.Join(dir, "articles", "encryption-law.html")
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "Harbourne", "Harbourne-Smythe", 1)
	if edited == string(b) {
		t.Fatal("the edit changed nothing")
	}
	if err := os.WriteFile(page, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour) // Last-Modified has one-second resolution
	if err := os.Chtimes(page, later, later); err != nil {
		t.Fatal(err)
	}
	crawlOnce("articles=1 updated=1 unchanged=2")

	if n := streamMessages(t, natsURL); n != 4 {
		t.Fatalf("the stream holds %d events, want 3 created and 1 updated", n)
	}
	ev := lastEvent(t, natsURL)
	if k, _ := ev.Kind(); k != news.ArticleUpdated || ev.Data.Revision != 2 || !slices.Contains(ev.Data.Changes, news.ChangeText) {
		t.Errorf("last event: kind %s, revision %d, changes %v; want updated, 2, with text", k, ev.Data.Revision, ev.Data.Changes)
	}
	if !strings.HasSuffix(ev.Data.URL, "/articles/encryption-law.html") {
		t.Errorf("updated %s, want the edited story", ev.Data.URL)
	}
}

// lastEvent reads the newest article event in the stream.
func lastEvent(t *testing.T, natsURL string) news.ArticleEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg, err := articleStream(t, natsURL).GetLastMsgForSubject(ctx, news.ArticleSubjects)
	if err != nil {
		t.Fatal(err)
	}
	var ev news.ArticleEvent
	if err := json.Unmarshal(msg.Data, &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}
