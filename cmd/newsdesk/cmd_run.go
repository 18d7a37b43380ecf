package main

import (
	"context"
	"fmt"
	"time"

	"newsdesk/crawler"
)

// runRun is `newsdesk run`: the whole pipeline on one machine, crawling at
// once and then every crawl.interval until Ctrl-C.
func runRun(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("run", stdio)
	noCrawl := fs.Bool("no-crawl", false, "do not crawl; only index and serve")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		return usageError(err)
	}
	if !*noCrawl {
		if err := checkUserAgentContact(cfg, cfg.Sources); err != nil {
			return usageError(err)
		}
	}
	p, err := startPipeline(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer p.Close()
	fmt.Fprintf(stdio.Stdout, "newsdesk is running: search at %s (Ctrl-C stops)\n", p.URL())
	logger.Info("newsdesk running", "url", p.URL(), "crawl", !*noCrawl, "sources", len(cfg.Sources))
	if *noCrawl {
		<-ctx.Done()
		return nil
	}
	sched := crawler.Every(time.Duration(cfg.Crawl.Interval))
	if cfg.Crawl.Schedule != "" {
		if sched, err = crawler.ParseSchedule(cfg.Crawl.Schedule); err != nil {
			return usageError(fmt.Errorf("crawl.schedule: %w", err))
		}
	}
	crawler.RunScheduled(ctx, sched, func(ctx context.Context) {
		sum, err := p.scheduledPass(ctx, sched)
		switch {
		case ctx.Err() != nil:
			logger.Info("stopping: events already published stay in the stream and are indexed on the next start")
		case err != nil:
			logger.Error("crawl pass failed", append(summaryAttrs(sum), "err", err)...)
		default:
			logger.Info("crawl pass done", append(summaryAttrs(sum), "next", sched.Next(time.Now()).Format(time.TimeOnly))...)
		}
	})
	return nil
}
