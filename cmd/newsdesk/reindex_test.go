package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// TestIntegrationReindex rebuilds the Elasticsearch index of a running
// pipeline (its live indexer keeps consuming) with `newsdesk index --reindex` while an article is published
// (and indexed live) during the reindex and another after it. The new
// index must hold every article, the aliases must point to it alone, the
// old index must be kept, and both new articles must be searchable.
func TestIntegrationReindex(t *testing.T) {
	esURL := testenv.ElasticsearchURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := testConfig(t, "http://127.0.0.1:1", esURL) // nothing is crawled
	alias := cfg.Elasticsearch.Index
	t.Cleanup(func() { testenv.DropElasticsearchIndex(t, esURL, alias) }) // after p.Close: cleanups run last
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		t.Fatalf("starting pipeline: %v", err)
	}
	defer p.Close()
	// Articles of our own rather than a crawl: this test is about the
	// index's plumbing, not what the parser extracts.
	for _, s := range []string{"one", "two", "three"} {
		publishArticle(ctx, t, p, s, "a capybara story from "+s)
	}
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatal(err)
	}
	cfgPath := writeConfig(t, fmt.Sprintf("data_dir: %s\nnats:\n  url: %s\nelasticsearch:\n  urls: [%s]\n  index: %s\n",
		t.TempDir(), p.nats.server.ClientURL(), esURL, alias))

	// The reindex runs while an article is published: wherever that lands
	// in the reindex (before the replay's end, between it and the swap,
	// after), it must end up in the new index.
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := runMain(t, "", "index", "--reindex", "--config", cfgPath)
		done <- result{code, stdout, stderr}
	}()
	during := publishArticle(ctx, t, p, "during", "a capybara filed during the reindex")
	r := <-done
	if r.code != exitOK {
		t.Fatalf("index --reindex: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("index --reindex:\n%s", r.stdout)
	after := publishArticle(ctx, t, p, "after", "a capybara filed after the reindex")
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatal(err)
	}

	behind := aliasIndices(t, esURL, alias)
	if len(behind) != 1 || behind[0] == alias+"-v2" || !strings.HasPrefix(behind[0], alias+"-v2-") {
		t.Fatalf("read alias on %v, want one new index %s-v2-<time>", behind, alias)
	}
	if w := aliasIndices(t, esURL, alias+"-write"); len(w) != 1 || w[0] != behind[0] {
		t.Fatalf("write alias on %v, want %s", w, behind[0])
	}
	if !strings.Contains(r.stdout, "kept the old index "+alias+"-v2") || !strings.Contains(r.stdout, "now point to "+behind[0]) {
		t.Errorf("report does not name the old and new index:\n%s", r.stdout)
	}
	if n := esCount(t, esURL, behind[0]); n != 5 {
		t.Errorf("new index holds %d articles, want the 3 from before, the one published during and the one after", n)
	}
	if n := esCount(t, esURL, alias+"-v2"); n < 3 {
		t.Errorf("old index holds %d articles, want it kept with the 3 from before", n)
	}
	if res, err := p.index.Search(ctx, news.Query{Text: "capybara"}); err != nil || res.Total != 5 {
		t.Errorf("search capybara = %d hits, %v; want 5", res.Total, err)
	}
	for _, a := range []news.Article{during, after} {
		res, err := p.index.Search(ctx, news.Query{Text: a.Title})
		if err != nil || res.Total != 1 {
			t.Errorf("search %q = %d hits, %v; want 1", a.Title, res.Total, err)
		}
	}

	// Again, deleting the old index: the first reindex's index goes.
	code, stdout, stderr := runMain(t, "", "index", "--reindex", "--delete-old", "--config", cfgPath)
	if code != exitOK || !strings.Contains(stdout, "deleted the old index "+behind[0]) {
		t.Fatalf("index --reindex --delete-old: exit %d\n%s%s", code, stdout, stderr)
	}
	if now := aliasIndices(t, esURL, alias); len(now) != 1 || now[0] == behind[0] || esCount(t, esURL, now[0]) != 5 {
		t.Errorf("after the second reindex the alias is on %v, want one other index with 5 articles", now)
	}
	if resp := esDo(t, http.MethodHead, esURL+"/"+behind[0]); resp != http.StatusNotFound {
		t.Errorf("HEAD %s = %d, want 404 after --delete-old", behind[0], resp)
	}
}

// TestReindexNeedsElasticsearch checks that the embedded index refuses a
// reindex with a message that says what to do instead.
func TestReindexNeedsElasticsearch(t *testing.T) {
	cfgPath := writeConfig(t, fmt.Sprintf("data_dir: %s\n", t.TempDir()))
	code, _, stderr := runMain(t, "", "index", "--reindex", "--config", cfgPath)
	if code != exitUsage || !strings.Contains(stderr, "reindex needs Elasticsearch") || !strings.Contains(stderr, "nats consumer rm") {
		t.Errorf("exit %d, %q; want a usage error naming Elasticsearch and the embedded procedure", code, stderr)
	}
	if code, _, _ := runMain(t, "", "index", "--delete-old", "--config", cfgPath); code != exitUsage {
		t.Errorf("--delete-old without --reindex: exit %d, want %d", code, exitUsage)
	}
}

// publishArticle publishes a created event for a new article of source.
func publishArticle(ctx context.Context, t *testing.T, p *pipeline, source, title string) news.Article {
	t.Helper()
	a := news.Article{Source: source, URL: "https://" + source + ".example/story", Title: title, Text: title,
		Language: "en", Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
	ev := news.NewArticleEvent(news.ArticleCreated, a, time.Now())
	if err := p.nats.Publish(ctx, ev); err != nil {
		t.Fatalf("publishing %s: %v", a.URL, err)
	}
	return ev.Data
}

// aliasIndices lists the indices behind an alias.
func aliasIndices(t *testing.T, esURL, alias string) []string {
	t.Helper()
	var byIndex map[string]json.RawMessage
	esJSON(t, esURL+"/_alias/"+alias, &byIndex)
	var names []string
	for n := range byIndex {
		names = append(names, n)
	}
	return names
}

// esCount is the number of documents in index, after a refresh.
func esCount(t *testing.T, esURL, index string) int {
	t.Helper()
	esDo(t, http.MethodPost, esURL+"/"+index+"/_refresh")
	var body struct {
		Count int `json:"count"`
	}
	esJSON(t, esURL+"/"+index+"/_count", &body)
	return body.Count
}

func esJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s: %s", u, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

func esDo(t *testing.T, method, u string) int {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, u, err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
