package main

import (
	"context"
	"flag"
	"fmt"

	"newsdesk/events"
)

// runIndex is `newsdesk index`: a long-running consumer from JetStream into
// the search index. Several may run; they share one durable consumer.
func runIndex(ctx context.Context, args []string, stdio IO) int {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	var g globalFlags
	g.register(fs)
	batch := fs.Int("batch", 100, "events per fetch")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk index:", err)
		return exitUsage
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
	logger.Info("indexing article events", "durable", indexerDurable)
	if err := bus.Consume(ctx, events.ConsumeOptions{Durable: indexerDurable, Batch: *batch, Logger: logger}, idx); err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk index:", err)
		return exitFailed
	}
	return exitOK
}
