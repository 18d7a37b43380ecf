package main

import (
	"context"
	"fmt"
	"time"

	"newsdesk/crawler"
)

// runRun is `newsdesk run`: the whole pipeline on one machine, crawling at
// once and then every crawl.interval until Ctrl-C.
func runRun(ctx context.Context, args []string, stdio IO) int {
	fs, g := newFlagSet("run", stdio)
	noCrawl := fs.Bool("no-crawl", false, "do not crawl; only index and serve")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk run:", err)
		return exitUsage
	}
	if !*noCrawl {
		if err := checkUserAgentContact(cfg, cfg.Sources); err != nil {
			fmt.Fprintln(stdio.Stderr, "newsdesk run:", err)
			return exitUsage
		}
	}
	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		fmt.Fprintln(stdio.Stderr, "newsdesk run:", err)
		return exitFailed
	}
	defer p.Close()
	fmt.Fprintf(stdio.Stdout, "newsdesk is running: search at %s (Ctrl-C stops)\n", p.URL())
	logger.Info("newsdesk running", "url", p.URL(), "crawl", !*noCrawl, "sources", len(cfg.Sources))
	if *noCrawl {
		<-ctx.Done()
		return exitOK
	}
	sched := crawler.Every(time.Duration(cfg.Crawl.Interval))
	if cfg.Crawl.Schedule != "" {
		if sched, err = crawler.ParseSchedule(cfg.Crawl.Schedule); err != nil {
			fmt.Fprintln(stdio.Stderr, "newsdesk run: crawl.schedule:", err)
			return exitUsage
		}
	}
	crawler.RunScheduled(ctx, sched, func(ctx context.Context) {
		sum, err := p.crawlOnce(ctx)
		switch {
		case ctx.Err() != nil:
			logger.Info("stopping: events already published stay in the stream and are indexed on the next start")
		case err != nil:
			logger.Error("crawl pass failed", append(summaryAttrs(sum), "err", err)...)
		default:
			logger.Info("crawl pass done", append(summaryAttrs(sum), "next", sched.Next(time.Now()).Format(time.TimeOnly))...)
		}
	})
	return exitOK
}
