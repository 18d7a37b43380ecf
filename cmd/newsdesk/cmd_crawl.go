package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"sync"
	"time"

	"newsdesk/crawler"
)

// runCrawl is `newsdesk crawl`: one pass (--once, what cron runs) or a pass
// on a schedule (--every 15m or a cron expression). It prints one summary
// line per pass; the exit status is 0 when every pass succeeded, 1 when one
// failed, 2 on a usage or config error, 3 when a pass ran to its end with
// errors (pages not fetched, parsed or stored: errors=N in the summary, each
// logged), and 4 when a single pass (--once) crawled nothing because
// another crawler held every source's lease: cron mail or monitoring then
// sees a run that did no work, or did part of it.
func runCrawl(ctx context.Context, args []string, stdio IO) error {
	fs, g := newFlagSet("crawl", stdio)
	once := fs.Bool("once", false, "run one pass and exit (the default when --every is not given)")
	every := fs.String("every", "", "run a pass on a schedule until stopped: an interval (15m) or a cron expression ('*/15 * * * *')")
	only := fs.String("source", "", "crawl only the source with this name")
	metricsAddr := fs.String("metrics-addr", "", "with --every: serve /metrics, /healthz and /readyz on this host:port (default: metrics.addr from the config)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *once && *every != "" {
		return usageError(errors.New("--once and --every exclude each other"))
	}
	var sched crawler.Schedule
	if *every != "" {
		var err error
		if sched, err = crawler.ParseSchedule(*every); err != nil {
			return usageError(fmt.Errorf("--every: %w", err))
		}
	}
	if *metricsAddr != "" && sched == nil {
		return usageError(errors.New("--metrics-addr needs --every (a single pass ends before anyone scrapes it)"))
	}
	cfg, logger, err := g.setup(stdio.Stderr)
	if err != nil {
		return usageError(err)
	}
	sources, err := crawlSources(cfg, *only)
	if err != nil {
		return usageError(err)
	}
	if err := checkUserAgentContact(cfg, selectedSources(cfg, *only)); err != nil {
		return usageError(err)
	}
	bus, err := connectNATS(ctx, cfg, logger, "crawl", false)
	if err != nil {
		return err
	}
	defer bus.Close()
	var opts []crawlerOption
	if addr := cmp.Or(*metricsAddr, cfg.Metrics.Addr); addr != "" && sched != nil {
		m := newMetrics(bus.Bus)
		opts = append(opts, withCrawlMetrics(m))
		if err := serveOps(ctx, addr, opsHandler(m, natsReady(bus.Bus)), logger); err != nil {
			return err
		}
	}
	c, err := newCrawler(ctx, cfg, logger, bus, progressReporter(stdio, logger), opts...)
	if err != nil {
		return err
	}
	code := exitOK
	pass := func(ctx context.Context) {
		sum, err := c.Crawl(ctx, sources)
		if isTerminal(stdio.Stderr) {
			fmt.Fprint(stdio.Stderr, "\r\033[K") // clear the progress line
		}
		logCrawlPass(logger, sum, err)
		switch {
		case err != nil:
			fmt.Fprintf(stdio.Stdout, "crawl failed: %s: %v\n", sum, err)
			code = exitFailed
		case sum.AllLeased:
			fmt.Fprintf(stdio.Stdout, "crawl skipped: every source is being crawled by another instance: %s\n", sum)
			if sched == nil {
				code = exitLeased
			}
		case sum.Errors > 0:
			fmt.Fprintf(stdio.Stdout, "crawl done with errors: %s\n", sum)
			if code == exitOK {
				code = exitErrors // a failed pass (1) stays the worse news
			}
		default:
			fmt.Fprintf(stdio.Stdout, "crawl ok: %s\n", sum)
		}
	}
	if sched == nil {
		pass(ctx)
	} else {
		crawler.RunScheduled(ctx, sched, pass)
	}
	if code != exitOK {
		return reported(code) // the pass's line on stdout says why
	}
	return nil
}

// logCrawlPass logs a pass's totals as fields, beside the one line on
// stdout that cron mails: a JSON log gets numbers, not a string to parse.
func logCrawlPass(logger *slog.Logger, sum crawler.Summary, err error) {
	if err != nil {
		logger.Error("crawl pass failed", append(summaryAttrs(sum), "err", err)...)
		return
	}
	if sum.Errors > 0 {
		logger.Warn("crawl pass done with errors", summaryAttrs(sum)...)
		return
	}
	logger.Info("crawl pass done", summaryAttrs(sum)...)
}

// progressReporter shows live progress on a terminal (one line on stderr,
// rewritten in place, four times a second at most); elsewhere, under cron
// or systemd, it logs a structured progress line every 30 seconds.
func progressReporter(stdio IO, logger *slog.Logger) func(crawler.Summary) {
	return newProgress(stdio.Stderr, isTerminal(stdio.Stderr), logger, time.Now).report
}

// Progress intervals: a terminal line is redrawn often enough to look
// live; a log line is rare enough not to drown the log of a long pass.
const (
	terminalProgressEvery = 250 * time.Millisecond
	logProgressEvery      = 30 * time.Second
)

// progress throttles and renders a pass's running totals. Its fields are
// what a test sets: the writer, whether it is a terminal, and the clock.
type progress struct {
	w        io.Writer
	terminal bool
	logger   *slog.Logger
	now      func() time.Time
	every    time.Duration

	mu   sync.Mutex
	last time.Time
}

func newProgress(w io.Writer, terminal bool, logger *slog.Logger, now func() time.Time) *progress {
	every := logProgressEvery
	if terminal {
		every = terminalProgressEvery
	}
	return &progress{w: w, terminal: terminal, logger: logger, now: now, every: every}
}

// report is crawler.Options.Progress: called after every page, from
// several goroutines, it writes at most once per interval.
func (p *progress) report(s crawler.Summary) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if !p.last.IsZero() && now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Pages) / s.Elapsed.Seconds()
	}
	if !p.terminal {
		p.logger.Info("crawl progress", "pages", s.Pages, "requests", s.Requests, "articles", s.Articles, "unchanged", s.Unchanged,
			"revisits", s.Revisits, "dead", s.Dead, "errors", s.Errors, "skipped", s.Skipped, "pages_per_second", math.Round(rate*10)/10)
		return
	}
	fmt.Fprintf(p.w, "\r\033[Kpages %d  articles %d  unchanged %d  errors %d  %.1f pages/s", s.Pages, s.Articles, s.Unchanged, s.Errors, rate)
}
