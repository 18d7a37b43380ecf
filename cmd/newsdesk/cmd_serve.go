package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"newsdesk/api"
	"newsdesk/config"
	"newsdesk/indexer"
	"newsdesk/internal/metrics"
)

// runServe is `newsdesk serve`: the search API and page over the index.
func runServe(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("serve", stdio)
	addr := fs.String("addr", "", "listen address (default: http.addr from the config)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		return usageError(err)
	}
	if *addr == "" {
		*addr = cfg.HTTP.Addr
	}
	idx, err := openIndex(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer idx.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *addr, err)
	}
	var watches api.WatchStore // saved watches need NATS; without it /api/watches answers 503
	if bus := serveNATS(ctx, cfg, logger); bus != nil {
		defer bus.Close()
		watches = newWatchStore(ctx, cfg, bus, logger)
	}
	srv := newHTTPServer(withAccessLog(cfg.HTTP, logger, metrics.New().Mux(newAPIWatching(cfg, idx, watches, logger)))) // + /metrics
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Fprintf(stdio.Stdout, "serving search on http://%s\n", ln.Addr())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHTTPServer serves h with timeouts, so a client that sends or reads
// slowly (or not at all) cannot hold a connection for ever: headers in
// 10s, a request in 30s, an answer in 60s (a search gives up after 10s).
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
}

// newAPI is the search API over idx with the configured API keys and
// concurrency limit, without saved watches.
func newAPI(cfg *config.Config, idx indexer.Index, logger *slog.Logger) *api.Server {
	return newAPIWatching(cfg, idx, nil, logger)
}

// newAPIWatching is newAPI with the saved watches in watches (nil: none).
func newAPIWatching(cfg *config.Config, idx indexer.Index, watches api.WatchStore, logger *slog.Logger) *api.Server {
	return newAPIWith(cfg, idx, watches, nil, logger)
}

// newAPIWith is newAPIWatching with the crawl status of this process for
// the empty search page (nil: it does not crawl).
func newAPIWith(cfg *config.Config, idx indexer.Index, watches api.WatchStore, status func() api.Status, logger *slog.Logger) *api.Server {
	return api.NewWithOptions(idx, idx, logger, api.Options{
		APIKeys:       cfg.HTTP.APIKeys,
		MaxConcurrent: cfg.HTTP.MaxConcurrent,
		Watches:       watches,
		Status:        status,
	})
}
