package main

import (
	"context"
	"flag"
	"fmt"
	"time"
)

// runCrawl is `newsdesk crawl`: one pass (--once, what cron runs) or a pass
// every --every. It prints one summary line per pass; the exit status is 0
// when every pass succeeded, 1 when one failed, 2 on a usage or config error.
func runCrawl(ctx context.Context, args []string, stdio IO) int {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	var g globalFlags
	g.register(fs)
	once := fs.Bool("once", false, "run one pass and exit (the default when --every is not given)")
	every := fs.Duration("every", 0, "run a pass at this interval until stopped, e.g. 15m")
	only := fs.String("source", "", "crawl only the source with this name")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *once && *every > 0 {
		fmt.Fprintln(stdio.Stderr, "newsdesk crawl: --once and --every exclude each other")
		return exitUsage
	}
	if *every < 0 || (*every > 0 && *every < time.Minute) {
		fmt.Fprintln(stdio.Stderr, "newsdesk crawl: --every must be at least 1m")
		return exitUsage
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk crawl:", err)
		return exitUsage
	}
	sources, err := crawlSources(cfg, *only)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk crawl:", err)
		return exitUsage
	}
	bus, err := connectNATS(ctx, cfg, logger, "crawl", false)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk crawl:", err)
		return exitFailed
	}
	defer bus.Close()
	c, err := newCrawler(cfg, logger, bus)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk crawl:", err)
		return exitUsage
	}
	code := exitOK
	for {
		sum, err := c.Crawl(ctx, sources)
		if err != nil {
			fmt.Fprintf(stdio.Stdout, "crawl failed: %s: %v\n", sum, err)
			code = exitFailed
		} else {
			fmt.Fprintf(stdio.Stdout, "crawl ok: %s\n", sum)
		}
		if *every == 0 || ctx.Err() != nil {
			return code
		}
		select {
		case <-ctx.Done():
			return code
		case <-time.After(*every):
		}
	}
}
