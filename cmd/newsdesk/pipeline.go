package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"newsdesk/config"
	"newsdesk/crawler"
	"newsdesk/indexer"
	"newsdesk/internal/metrics"
	"newsdesk/news"
)

// pipeline is `newsdesk run`: NATS (embedded unless configured), the index,
// the indexer consumer, the search API and the crawler, in one process.
type pipeline struct {
	log     *slog.Logger
	nats    *natsConn
	index   indexer.Index
	crawler *crawler.Crawler
	sources []crawler.Source
	metrics *metrics.Metrics
	status  crawlStatus // of the scheduled passes, for the empty search page

	listener net.Listener
	server   *http.Server

	stopConsumer context.CancelFunc
	consumerDone chan error
	alerterDone  chan error // the alerter consumer (returns at once without watches)
}

// startPipeline starts every part and returns once the API listens.
func startPipeline(ctx context.Context, cfg *config.Config, logger *slog.Logger) (_ *pipeline, err error) {
	p := &pipeline{log: logger}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	if p.sources, err = crawlSources(cfg, ""); err != nil {
		return nil, err
	}
	if p.nats, err = connectNATS(ctx, cfg, logger, "run", true); err != nil {
		return nil, err
	}
	if p.index, err = openIndex(ctx, cfg, logger); err != nil {
		return nil, err
	}
	p.metrics = newMetrics(p.nats.Bus)
	if p.crawler, err = newCrawler(ctx, cfg, logger, p.nats, nil, withCrawlMetrics(p.metrics)); err != nil {
		return nil, fmt.Errorf("configuring crawler: %w", err)
	}

	matcher, err := newMatcher(cfg)
	if err != nil {
		return nil, err
	}
	consumeCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	p.stopConsumer, p.consumerDone, p.alerterDone = stop, make(chan error, 1), make(chan error, 1)
	go func() {
		p.consumerDone <- p.nats.Consume(consumeCtx, consumeOptions(cfg, news.IndexerConsumer, 0, logger), meteredSink{p.index, p.metrics})
	}()
	go func() { p.alerterDone <- runAlerter(consumeCtx, cfg, matcher, p.nats.Bus, logger) }()

	if p.listener, err = net.Listen("tcp", cfg.HTTP.Addr); err != nil {
		return nil, fmt.Errorf("listening on %s (http.addr): %w", cfg.HTTP.Addr, err)
	}
	p.server = newHTTPServer(withAccessLog(cfg.HTTP, logger, p.metrics.Mux(withReadyChecks(newAPIWith(cfg, p.index, newWatchStore(ctx, cfg, p.nats.Bus, logger), p.status.snapshot, logger), natsReady(p.nats.Bus))))) // + /metrics
	go func() {
		if err := p.server.Serve(p.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("search server stopped", "err", err)
		}
	}()
	logger.Info("search is served", "url", p.URL())
	return p, nil
}

// URL is the base URL of the search API.
func (p *pipeline) URL() string { return "http://" + p.listener.Addr().String() }

// crawlOnce runs one crawl pass over every source.
func (p *pipeline) crawlOnce(ctx context.Context) (crawler.Summary, error) {
	return p.crawler.Crawl(ctx, p.sources)
}

// waitIndexed waits until the indexer has acknowledged every event in the
// stream, and refreshes the index, so that what was crawled is searchable.
func (p *pipeline) waitIndexed(ctx context.Context) error {
	for {
		n, err := p.nats.Pending(ctx, news.IndexerConsumer)
		if err != nil {
			return fmt.Errorf("checking indexer progress: %w", err)
		}
		if n == 0 {
			if err := p.index.Refresh(ctx); err != nil {
				return fmt.Errorf("refreshing the index: %w", err)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d events to be indexed: %w", n, ctx.Err())
		case err := <-p.consumerDone:
			p.consumerDone <- err
			return fmt.Errorf("indexer stopped with %d events pending: %v", n, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Close stops the API, then the consumer (unacknowledged events stay in the
// stream for the next start), then the index and NATS.
func (p *pipeline) Close() {
	if p.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = p.server.Shutdown(ctx)
		cancel()
	} else if p.listener != nil {
		p.listener.Close()
	}
	if p.stopConsumer != nil {
		p.stopConsumer()
		if err := <-p.consumerDone; err != nil {
			p.log.Error("indexer consumer", "err", err)
		}
		if err := <-p.alerterDone; err != nil {
			p.log.Error("alerter consumer", "err", err)
		}
	}
	if p.index != nil {
		if err := p.index.Close(); err != nil {
			p.log.Error("closing index", "err", err)
		}
	}
	if p.nats != nil {
		p.nats.Close()
	}
}
