// Package crawler fetches news sites politely and turns their pages into
// article events. Starting from each source's seeds it follows links within
// the source's domains, honours robots.txt and per-domain limits, hands every
// HTML page to a PageParser and publishes every article through a Publisher.
//
// The package owns the two small interfaces it needs; cmd/newsdesk wires the
// real parser and the JetStream publisher into them.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"newsdesk/news"
)

// PageParser turns a fetched page into an article; it returns
// news.ErrNotArticle for listing pages (whose links are still followed).
//
// body is the page's bytes as served, so the parser must honour a BOM or a
// <meta charset> itself. The one exception: a page whose only charset
// declaration is a non-UTF-8 charset in the HTTP header (which the parser
// never sees) arrives transcoded to UTF-8.
type PageParser interface {
	Parse(pageURL string, body []byte) (news.Article, error)
}

// Publisher stores an article event durably (JetStream in production); an
// error means the event was NOT stored.
type Publisher interface {
	Publish(ctx context.Context, ev news.ArticleEvent) error
}

// Defaults applied by New and Crawl to zero-valued settings.
const (
	DefaultParallelism  = 2
	DefaultDelay        = time.Second
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBodyBytes = 10 << 20
	DefaultMaxPages     = 1000
	DefaultMaxDepth     = 2
)

// Options configure a Crawler. Zero values take the defaults above.
type Options struct {
	// UserAgent identifies us to publishers, e.g.
	// "newsdesk/0.1 (+https://example.org/contact)"; required. robots.txt
	// groups are matched against it.
	UserAgent string
	// Parallelism is the number of concurrent requests per domain.
	Parallelism int
	// Delay is the minimum time between the starts of two requests to one
	// domain. Zero means DefaultDelay; a negative value means no delay (tests).
	Delay time.Duration
	// Timeout bounds each request, body included (robots.txt too).
	Timeout time.Duration
	// MaxBodyBytes bounds a page; a larger page counts as an error and is not
	// parsed, since a truncated article would look like a hard paywall.
	MaxBodyBytes int
	// MaxPages is the global request budget of one pass (robots.txt fetches
	// aside).
	MaxPages int
	// IgnoreRobots turns off robots.txt; by default it is honoured.
	IgnoreRobots bool
	// Logger receives per-page errors and the pass summary; nil discards.
	Logger *slog.Logger
	// Now stamps FetchedAt and event times; nil means time.Now.
	Now func() time.Time
}

// withDefaults validates o and fills in the defaults.
func (o Options) withDefaults() (Options, error) {
	o.UserAgent = strings.TrimSpace(o.UserAgent)
	switch {
	case o.UserAgent == "":
		return o, errors.New("Options.UserAgent is required: publishers must be able to identify us")
	case strings.ContainsAny(o.UserAgent, "\r\n"):
		return o, errors.New("Options.UserAgent must be one line")
	case o.Parallelism < 0:
		return o, fmt.Errorf("Options.Parallelism must not be negative, got %d", o.Parallelism)
	case o.Timeout < 0:
		return o, fmt.Errorf("Options.Timeout must not be negative, got %s", o.Timeout)
	case o.MaxBodyBytes < 0:
		return o, fmt.Errorf("Options.MaxBodyBytes must not be negative, got %d", o.MaxBodyBytes)
	case o.MaxPages < 0:
		return o, fmt.Errorf("Options.MaxPages must not be negative, got %d", o.MaxPages)
	}
	if o.Parallelism == 0 {
		o.Parallelism = DefaultParallelism
	}
	switch {
	case o.Delay == 0:
		o.Delay = DefaultDelay
	case o.Delay < 0:
		o.Delay = 0
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxPages == 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}

// Crawler runs crawl passes. It holds no state between passes (each pass has
// its own visited set, robots.txt cache and politeness clock), so it is safe
// for concurrent use.
type Crawler struct {
	opts   Options
	parser PageParser
	pub    Publisher
}

// New returns a Crawler, or an error naming the first invalid option.
func New(opts Options, parser PageParser, pub Publisher) (*Crawler, error) {
	if parser == nil {
		return nil, errors.New("creating crawler: nil PageParser")
	}
	if pub == nil {
		return nil, errors.New("creating crawler: nil Publisher")
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("creating crawler: %w", err)
	}
	return &Crawler{opts: o, parser: parser, pub: pub}, nil
}

// Crawl runs one pass over the sources and returns what it did. It returns an
// error when the pass failed: the sources are invalid, ctx was cancelled, an
// event could not be published (nothing may be lost silently; the pass stops
// at the first such error), or no seed of any source could be fetched.
// Per-page fetch and parse errors are counted in Summary.Errors and logged,
// and do not fail the pass by themselves. The Summary is filled in either way.
func (c *Crawler) Crawl(ctx context.Context, sources []Source) (Summary, error) {
	start := time.Now()
	sites, err := compileSources(sources)
	if err != nil {
		return Summary{}, fmt.Errorf("crawling: %w", err)
	}
	p := newPass(ctx, c)
	defer p.cancel(nil)

	cols, err := p.collectors(sites)
	if err != nil {
		return Summary{}, fmt.Errorf("crawling: %w", err)
	}
	for i, s := range sites {
		for _, seed := range s.seeds {
			p.visit(s, seed, cols[i].Visit)
		}
	}
	for _, col := range cols {
		col.Wait()
	}

	sum, err := p.finish(ctx, start)
	c.opts.Logger.Info("crawl pass finished", "summary", sum.String(), "err", err)
	return sum, err
}
