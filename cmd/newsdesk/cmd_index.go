package main

import (
	"cmp"
	"context"
	"errors"

	"sync"

	"newsdesk/events"
	"newsdesk/news"
)

// runIndex is `newsdesk index`: a long-running consumer from JetStream into
// the search index, and the alerter beside it when watches are configured.
// Several may run: they share the indexer's and the alerter's durable
// consumers, so each event is indexed once and alerted on once. With
// --reindex it instead rebuilds the index from the stream (see runReindex)
// and exits.
func runIndex(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("index", stdio)
	batch := fs.Int("batch", events.DefaultBatch, "events per fetch")
	alerts := fs.Bool("alerts", true, "also evaluate articles against the configured watches and publish alerts")
	reindex := fs.Bool("reindex", false, "rebuild the index: replay the whole article stream into a new Elasticsearch index, move the aliases to it, and exit")
	deleteOld := fs.Bool("delete-old", false, "with --reindex: delete the old index after the aliases moved")
	metricsAddr := fs.String("metrics-addr", "", "serve /metrics, /healthz and /readyz on this host:port (default: metrics.addr from the config; empty: none)")
	allowFewer := fs.Bool("allow-fewer", false, "with --reindex: move the aliases even when the new index has fewer articles than the old (the stream dropped old events)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		return usageError(err)
	}
	if (*deleteOld || *allowFewer) && !*reindex {
		return usageError(errors.New("--delete-old and --allow-fewer need --reindex"))
	}
	if *reindex {
		return as("index --reindex", runReindex(ctx, cfg, logger, reindexOptions{batch: *batch, deleteOld: *deleteOld, allowFewer: *allowFewer}, stdio))
	}
	matcher, err := newMatcher(cfg)
	if err != nil {
		return usageError(err)
	}
	if !*alerts {
		matcher = nil
	}
	bus, err := connectNATS(ctx, cfg, logger, "index", false)
	if err != nil {
		return err
	}
	defer bus.Close()
	idx, err := openIndexWaiting(ctx, cfg, logger) // an indexer may start before Elasticsearch
	if err != nil {
		return err
	}
	defer idx.Close()
	m := newMetrics(bus.Bus)
	if addr := cmp.Or(*metricsAddr, cfg.Metrics.Addr); addr != "" {
		if err := serveOps(ctx, addr, opsHandler(m, natsReady(bus.Bus), indexReady(idx)), logger); err != nil {
			return err
		}
	}

	// Either consumer failing (the connection closed) stops the other.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var alertErr error
	wg.Go(func() {
		if alertErr = runAlerter(ctx, cfg, matcher, bus.Bus, logger); alertErr != nil {
			cancel()
		}
	})
	logger.Info("indexing article events", "durable", news.IndexerConsumer)
	err = bus.Consume(ctx, consumeOptions(cfg, news.IndexerConsumer, *batch, logger), meteredSink{idx, m})
	cancel()
	wg.Wait()
	return errors.Join(err, alertErr) // Main prints each on a line of its own
}
