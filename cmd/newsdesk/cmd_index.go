package main

import (
	"context"
	"flag"
	"fmt"
	"sync"
)

// runIndex is `newsdesk index`: a long-running consumer from JetStream into
// the search index, and the alerter beside it when watches are configured.
// Several may run: they share the indexer's and the alerter's durable
// consumers, so each event is indexed once and alerted on once.
func runIndex(ctx context.Context, args []string, stdio IO) int {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	var g globalFlags
	g.register(fs)
	batch := fs.Int("batch", 100, "events per fetch")
	alerts := fs.Bool("alerts", true, "also evaluate articles against the configured watches and publish alerts")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk index:", err)
		return exitUsage
	}
	matcher, err := newMatcher(cfg)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk index:", err)
		return exitUsage
	}
	if !*alerts {
		matcher = nil
	}
	bus, err := connectNATS(ctx, cfg, logger, "index", false)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk index:", err)
		return exitFailed
	}
	defer bus.Close()
	idx, err := openIndex(ctx, cfg, logger)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk index:", err)
		return exitFailed
	}
	defer idx.Close()

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
	logger.Info("indexing article events", "durable", indexerDurable)
	err = bus.Consume(ctx, consumeOptions(cfg, indexerDurable, *batch, logger), idx)
	cancel()
	wg.Wait()
	code := exitOK
	for _, e := range []error{err, alertErr} {
		if e != nil {
			fmt.Fprintln(stdio.Stderr, "newsdesk index:", e)
			code = exitFailed
		}
	}
	return code
}
