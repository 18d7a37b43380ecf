package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// lockedBuffer is an io.Writer safe for the goroutines of a running
// command, that a test can read while it runs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// pollUntil checks cond every 50ms until it holds, failing the test when
// ctx ends first.
func pollUntil(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// closedPort is a loopback address nothing listens on (yet).
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// tcpProxy listens on addr and forwards every connection to target, until
// the test ends: Elasticsearch appearing where nothing answered before.
func tcpProxy(t *testing.T, addr, target string) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("proxy on %s: %v", addr, err)
	}
	var (
		mu    sync.Mutex
		open  []net.Conn
		conns sync.WaitGroup
	)
	track := func(c net.Conn) {
		mu.Lock()
		defer mu.Unlock()
		open = append(open, c)
	}
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range open { // idle keep-alive connections too
			c.Close()
		}
		mu.Unlock()
		conns.Wait()
	})
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			track(in)
			conns.Go(func() {
				defer in.Close()
				out, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				track(out)
				defer out.Close()
				go func() { _, _ = io.Copy(out, in); out.Close() }()
				_, _ = io.Copy(in, out)
			})
		}
	}()
}

// esHasDoc reports whether the index holds the document id.
func esHasDoc(esURL, index, id string) bool {
	resp, err := http.Get(esURL + "/" + index + "/_doc/" + url.PathEscape(id))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode == http.StatusOK
}

// TestIntegrationIndexWaitsForElasticsearchAtStart starts `newsdesk index`
// while nothing listens at its Elasticsearch URL, as when a service manager
// starts it first: it must say it is waiting and keep trying rather than
// exit, then index once Elasticsearch answers there.
func TestIntegrationIndexWaitsForElasticsearchAtStart(t *testing.T) {
	esURL := testenv.ElasticsearchURL(t)
	target, err := url.Parse(esURL)
	if err != nil {
		t.Fatal(err)
	}
	natsURL := testenv.NATS(t)
	addr := closedPort(t)
	index := "newsdesk-wait-" + randomSuffix(t)
	t.Cleanup(func() {
		testenv.DropElasticsearchIndex(t, esURL, index)
	})
	cfgPath := writeConfig(t, fmt.Sprintf(`
data_dir: %s
nats:
  url: %s
elasticsearch:
  urls: [http://%s]
  index: %s
`, t.TempDir(), natsURL, addr, index))

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	stderr := &lockedBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- Main(runCtx, []string{"index", "--alerts=false", "--config", cfgPath},
			IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderr})
	}()

	want := "waiting for Elasticsearch at http://" + addr + ": connection refused; retrying"
	pollUntil(ctx, t, "the waiting line in the log", func() bool {
		select {
		case code := <-exit:
			t.Fatalf("newsdesk index exited %d while Elasticsearch was down, want it to wait:\n%s", code, stderr)
		default:
		}
		return strings.Contains(stderr.String(), want)
	})

	tcpProxy(t, addr, target.Host)
	bus, err := events.Connect(ctx, events.Options{URL: natsURL, Name: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	ev := news.NewArticleEvent(news.ArticleCreated, news.Article{Source: "ledger", URL: "https://ledger.example/late",
		Title: "Indexed once Elasticsearch came up", Text: "a story"}, time.Now())
	if err := bus.Publish(ctx, ev); err != nil {
		t.Fatalf("publishing: %v", err)
	}
	pollUntil(ctx, t, "the article in Elasticsearch", func() bool { return esHasDoc(esURL, index, ev.Data.ID) })

	stop()
	if code := <-exit; code != exitOK {
		t.Errorf("newsdesk index exited %d after Ctrl-C, want %d:\n%s", code, exitOK, stderr)
	}
}

// TestIntegrationIndexerDeadLettersWhatElasticsearchRefuses publishes,
// among good events, an article whose id is over Elasticsearch's 512 bytes
// and one with a keyword value over Lucene's 32 kB term limit, which
// Elasticsearch refuses with a 400. Each must be dead-lettered on its
// first delivery with the reason, not retried max_deliver times over
// minutes, and the good events of the same batch indexed.
func TestIntegrationIndexerDeadLettersWhatElasticsearchRefuses(t *testing.T) {
	esURL := testenv.ElasticsearchURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cfg := testConfig(t, "http://127.0.0.1:1", esURL) // nothing is crawled
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		t.Fatalf("starting pipeline: %v", err)
	}
	defer p.Close()

	story := func(path string) news.Article {
		return news.Article{Source: "ledger", URL: "https://ledger.example/" + path, Title: "Story " + path,
			Text: "a story", Language: "en"}
	}
	good1, longID, immense, good2 := story("good1"), story("long-id"), story("immense"), story("good2")
	longID.ID = strings.Repeat("x", 600)
	immense.Authors = []string{strings.Repeat("a", 40000)} // a keyword: one term
	for _, a := range []news.Article{good1, longID, immense, good2} {
		if err := p.nats.Publish(ctx, news.NewArticleEvent(news.ArticleCreated, a, time.Now())); err != nil {
			t.Fatalf("publishing %s: %v", a.URL, err)
		}
	}
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatalf("waiting for every event to be answered: %v", err)
	}

	dead, err := p.nats.DeadLetters(ctx, news.IndexerConsumer, 10)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{} // URL -> reason
	for _, d := range dead {
		var ev news.ArticleEvent
		if err := json.Unmarshal(d.Data, &ev); err != nil {
			t.Fatalf("dead letter %d: %v", d.Seq, err)
		}
		reasons[ev.Data.URL] = d.Reason
		if d.Deliveries != 1 {
			t.Errorf("%s dead-lettered after %d deliveries, want 1", ev.Data.URL, d.Deliveries)
		}
	}
	for a, want := range map[string]string{longID.URL: "longer than Elasticsearch's limit of 512", immense.URL: "status 400"} {
		if r, ok := reasons[a]; !ok || !strings.Contains(r, "rejected by sink for good") || !strings.Contains(r, want) {
			t.Errorf("dead letter of %s: reason %q (found %v), want one saying it was refused for good with %q", a, r, ok, want)
		}
	}
	if len(dead) != 2 {
		t.Errorf("%d dead letters, want the 2 refused articles", len(dead))
	}
	if got := esCount(t, esURL, cfg.Elasticsearch.Index); got != 2 {
		t.Errorf("index holds %d articles, want the 2 good ones", got)
	}
	for _, a := range []news.Article{good1, good2} {
		if !esHasDoc(esURL, cfg.Elasticsearch.Index, news.DocID(a.Key())) {
			t.Errorf("good article %s is not indexed", a.URL)
		}
	}
}
