package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"newsdesk/config"
	"newsdesk/events"
	"newsdesk/news"
)

// demoSite is a small publisher: a section page, three stories (the
// parser's fixtures: a soft paywall, no paywall, a hard paywall with only
// a teaser) and a page robots.txt forbids. demo_test.go checks that the
// stories are byte for byte the parser's fixtures.
//
//go:embed demosite
var demoSite embed.FS

// demoEditPath is the story the demo site edits after the first pass, so
// the second pass publishes an "updated" event.
const demoEditPath = "/articles/meta-netflix.html"

// demoEdit is the paragraph the edit adds, before the story's first one.
const demoEdit = "<p>Update: Meta said on Friday it would contest the unsealed filings in court.</p>\n        "

// runDemo is `newsdesk demo`: the whole pipeline on a bundled local
// publisher site, on loopback and with no network: it crawls the site,
// indexes it, edits a story and crawls again, then serves search until
// Ctrl-C. Nothing outside the data dir (a temporary one by default) is
// touched, and NATS runs on a random port, beside a `newsdesk run`.
func runDemo(ctx context.Context, args []string, stdio IO) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	bindHelp(fs, stdio)
	addr := fs.String("addr", "127.0.0.1:8080", "where search listens")
	dataDir := fs.String("data", "", "data dir to keep the demo's events and index (default: a temporary one, removed at exit)")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn, error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError(fmt.Errorf("--log-level: %w", err))
	}
	logger := slog.New(slog.NewTextHandler(stdio.Stderr, &slog.HandlerOptions{Level: level}))
	if *dataDir == "" {
		dir, err := os.MkdirTemp("", "newsdesk-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dataDir = dir
	}
	if err := demo(ctx, *addr, *dataDir, logger, stdio.Stdout); err != nil {
		return err
	}
	return nil
}

func demo(ctx context.Context, addr, dataDir string, logger *slog.Logger, out io.Writer) error {
	site, edited, err := serveDemoSite(ctx)
	if err != nil {
		return err
	}
	cfg := demoConfig(site, addr, dataDir)
	fmt.Fprintf(out, "demo publisher site on %s (bundled, loopback only)\n", site)
	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer p.Close()
	go printAlerts(ctx, p.nats.Bus, out)

	fmt.Fprintln(out, "crawling it...")
	if err := demoPass(ctx, p, out, "first crawl"); err != nil {
		return err
	}
	edited.Store(true)
	fmt.Fprintf(out, "the publisher edits %s; crawling again...\n", demoEditPath)
	if err := demoPass(ctx, p, out, "second crawl"); err != nil {
		return err
	}
	u := p.URL()
	fmt.Fprintf(out, "\nsearch at %s (Ctrl-C stops)\n", u)
	fmt.Fprintf(out, "  try %s/?q=Meta+Netflix  (soft paywall, edited)\n", u)
	fmt.Fprintf(out, "      %s/?q=location+tracking  (hard paywall: only the teaser was served)\n", u)
	fmt.Fprintf(out, "      %s/api/search?q=encryption  (the JSON API)\n", u)
	fmt.Fprintf(out, "      %s/metrics  (Prometheus)\n", u)
	<-ctx.Done()
	return nil
}

// demoPass crawls once and waits until what was crawled is searchable.
func demoPass(ctx context.Context, p *pipeline, out io.Writer, name string) error {
	sum, err := p.crawlOnce(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w (%s)", name, err, sum)
	}
	if err := p.waitIndexed(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %s\n", name, sum)
	return nil
}

// demoConfig is the built-in configuration with one source, the demo
// site, allowed on loopback and crawled without delay; the example watch
// stays, so the seed story raises an alert.
func demoConfig(site, addr, dataDir string) *config.Config {
	cfg := config.Default()
	cfg.DataDir = dataDir
	cfg.NATS.URL = ""
	cfg.NATS.Embedded = config.EmbeddedNATS{Host: "127.0.0.1", Port: -1}
	cfg.Elasticsearch.URLs = nil
	cfg.HTTP.Addr = addr
	cfg.Crawl.UserAgent = "newsdesk-demo/1 (+local demo, never leaves this machine)"
	cfg.Crawl.Delay = 0
	cfg.Crawl.AllowPrivateNetworks = true
	cfg.Sources = []config.Source{{Name: "privacy-ledger", Seeds: []string{site + "/"}, MaxDepth: 3}}
	return cfg
}

// serveDemoSite serves the bundled site on a random loopback port until
// ctx ends. Once edited is set, the edited story carries one more
// paragraph.
func serveDemoSite(ctx context.Context) (string, *atomic.Bool, error) {
	root, err := fs.Sub(demoSite, "demosite")
	if err != nil {
		return "", nil, err
	}
	edited := &atomic.Bool{}
	files := http.FileServerFS(root)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != demoEditPath || !edited.Load() {
			files.ServeHTTP(w, r)
			return
		}
		page, err := fs.ReadFile(root, strings.TrimPrefix(demoEditPath, "/"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(strings.Replace(string(page), "<p>", demoEdit+"<p>", 1)))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("serving the demo site: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("demo site stopped", "err", err)
		}
	}()
	return "http://" + ln.Addr().String(), edited, nil
}

// printAlerts prints the alert events the watches raise, as they come.
func printAlerts(ctx context.Context, bus *events.Bus, out io.Writer) {
	_ = bus.Subscribe(ctx, events.SubscribeOptions{Subject: "newsdesk.alert.>", Since: time.Now().Add(-time.Minute)},
		func(m events.Message) error {
			var ev news.AlertEvent
			if json.Unmarshal(m.Data, &ev) == nil {
				fmt.Fprintf(out, "alert: watch %s matched %q (%s paywall)\n", ev.Data.Watch, ev.Data.Title, ev.Data.Paywall)
			}
			return nil
		})
}
