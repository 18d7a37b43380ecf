package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"newsdesk/news"
	"newsdesk/schemas/schematest"
)

// TestEmittedEventsMatchTheirSchemas crawls the test site through the real
// pipeline with the example watch (the seed story: Meta and Netflix), then
// reads what was published with `newsdesk subscribe` and validates every
// article and alert event against its JSON Schema. It also checks that a
// poison message ends up in `newsdesk dlq list` while the rest flows.
func TestEmittedEventsMatchTheirSchemas(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	site := newTestSite(t)
	cfg := testConfig(t, site.URL, "")
	if len(cfg.Watches) == 0 || cfg.Watches[0].Name != "meta-netflix" {
		t.Fatalf("the default config lacks the example watch: %+v", cfg.Watches)
	}
	p, err := startPipeline(ctx, cfg, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatalf("starting pipeline: %v", err)
	}
	defer p.Close()
	if sum, err := p.crawlOnce(ctx); err != nil || sum.Articles != 3 {
		t.Fatalf("crawl: %s, %v", sum, err)
	}
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatal(err)
	}
	waitConsumed(ctx, t, p, news.AlerterConsumer)

	// Leaving watches out keeps the example watch, as for the pipeline.
	cfgPath := writeConfig(t, fmt.Sprintf("data_dir: %s\nnats:\n  url: %s\n", t.TempDir(), p.nats.server.ClientURL()))
	code, stdout, stderr := runMain(t, "", "subscribe", "--config", cfgPath, "--last", "3", "--count", "3", "newsdesk.article.*.ledger.>")
	if code != exitOK {
		t.Fatalf("subscribe: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("subscribe printed %d lines, want 3 JSON lines:\n%s", len(lines), stdout)
	}
	for _, l := range lines {
		if err := schematest.Validate([]byte(l)); err != nil {
			t.Errorf("article event does not match its schema: %v\n%s", err, l)
		}
	}

	code, stdout, stderr = runMain(t, "", "subscribe", "--config", cfgPath, "--watch", "meta-netflix", "--last", "5", "--count", "1")
	if code != exitOK {
		t.Fatalf("subscribe --watch: exit %d: %s", code, stderr)
	}
	if err := schematest.Validate([]byte(stdout)); err != nil {
		t.Errorf("alert event does not match its schema: %v\n%s", err, stdout)
	}
	var alert news.AlertEvent
	if err := json.Unmarshal([]byte(stdout), &alert); err != nil {
		t.Fatal(err)
	}
	a := alert.Data
	if a.Watch != "meta-netflix" || !strings.HasSuffix(a.URL, "/articles/meta-netflix.html") || a.Paywall != news.PaywallSoft ||
		!slices.Contains(a.MatchedTerms, "Meta") || !slices.Contains(a.MatchedTerms, "Netflix") || a.Snippet == "" {
		t.Errorf("alert %+v: want the seed story with Meta and Netflix matched and a snippet", a)
	}
	// Only the seed story matches: the alert stream holds exactly one.
	code, stdout, _ = runMain(t, "", "subscribe", "--config", cfgPath, "--last", "10", "--count", "1", "newsdesk.alert.>")
	if code != exitOK || strings.Count(stdout, "\n") != 1 {
		t.Errorf("alerts: exit %d, %q", code, stdout)
	}

	// A poison message: dead-lettered by both consumers, the stream flows on.
	nc, err := nats.Connect(p.nats.server.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.Publish("newsdesk.article.created.ledger.none", []byte("{broken")); err != nil {
		t.Fatal(err)
	}
	if err := nc.FlushWithContext(ctx); err != nil {
		t.Fatal(err)
	}
	for {
		dls, err := p.nats.DeadLetters(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(dls) == 2 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the poison message was dead-lettered %d times, want 2 (indexer and alerter)", len(dls))
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := p.waitIndexed(ctx); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runMain(t, "", "dlq", "list", "--config", cfgPath, "--consumer", "indexer")
	if code != exitOK || !strings.Contains(stdout, "not an article event") || !strings.Contains(stdout, "newsdesk.article.created.ledger.none") {
		t.Errorf("dlq list: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runMain(t, "", "dlq", "replay", "--config", cfgPath); code != exitUsage {
		t.Errorf("dlq replay without SEQ or --all: exit %d, %s", code, stderr)
	}
}

// waitConsumed waits until durable acked every event in the stream.
func waitConsumed(ctx context.Context, t *testing.T, p *pipeline, durable string) {
	t.Helper()
	for {
		n, err := p.nats.Pending(ctx, durable)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s still has %d events pending", durable, n)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
