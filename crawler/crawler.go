// Package crawler fetches news sites politely and turns their pages into
// article events. Starting from each source's seeds it follows links within
// the source's domains, honours robots.txt and per-domain limits, hands every
// HTML page to a PageParser and publishes every article through a Publisher.
//
// The package owns the two small interfaces it needs; cmd/newsdesk wires the
// real parser and the JetStream publisher into them.
package crawler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
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

// ErrOffTopic may be returned by a PageParser (wrapped or not) for an
// article outside the deployment's topics: no event is emitted, its links
// are followed, and the summary counts it as off-topic.
var ErrOffTopic = errors.New("article outside the configured topics")

// Defaults applied by New and Crawl to zero-valued settings.
const (
	DefaultParallelism       = 2
	DefaultDelay             = time.Second
	DefaultTimeout           = 30 * time.Second
	DefaultConnectTimeout    = 10 * time.Second
	DefaultTLSTimeout        = 10 * time.Second
	DefaultHeaderTimeout     = 20 * time.Second
	DefaultMaxBodyBytes      = 10 << 20
	DefaultMaxPages          = 1000
	DefaultMaxDepth          = 2
	DefaultMaxRedirects      = 5
	DefaultRetries           = 3
	DefaultRetryBase         = time.Second
	DefaultMaxRetryWait      = time.Minute
	DefaultMaxDomainFailures = 5
	DefaultSitemapMaxAge     = 72 * time.Hour
	DefaultMemoryBudget      = 512 << 20
	DefaultMaxSitemaps       = 100
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
	// Timeout bounds each request, body included (robots.txt too); a
	// retry gets a fresh one.
	Timeout time.Duration
	// ConnectTimeout, TLSTimeout and HeaderTimeout bound the TCP connect,
	// the TLS handshake and the wait for the response headers.
	ConnectTimeout, TLSTimeout, HeaderTimeout time.Duration
	// MaxRedirects is how many redirects one request follows.
	MaxRedirects int
	// Retries is how often a network error, a 5xx or a 429 is retried, with
	// exponential backoff from RetryBase and full jitter, or after the
	// server's Retry-After. A Retry-After longer than MaxRetryWait is not
	// waited for: the host is skipped for the rest of the pass. Negative
	// means no retries.
	Retries      int
	RetryBase    time.Duration
	MaxRetryWait time.Duration
	// MaxDomainFailures is how many requests to one host may fail in a row
	// (after their retries) before the host is skipped for the rest of the
	// pass.
	MaxDomainFailures int
	// AllowPrivateNetworks turns the SSRF guard off: by default the crawler
	// refuses to connect to loopback, private, link-local and metadata
	// addresses, checked when dialling (so redirects and DNS answers cannot
	// get round it). PrivateExceptions lets some through instead: IPs, CIDR
	// prefixes or ip:port (intranet sources, test servers).
	AllowPrivateNetworks bool
	PrivateExceptions    []string
	// TrackingParams are the query parameters removed from every URL
	// (a trailing * matches a prefix); nil means DefaultTrackingParams.
	TrackingParams []string
	// SitemapMaxAge skips sitemap entries (and index children) whose date
	// is older: a publisher's sitemaps list years of stories, and a pass
	// wants the recent ones. Entries without a date are followed.
	SitemapMaxAge time.Duration
	// State remembers pages and article revisions across passes: with it,
	// revisits are conditional GETs, an unchanged article emits nothing and
	// a changed one an "updated" event. nil remembers nothing.
	State StateStore
	// Revisit says when known articles are fetched again (conditionally),
	// whether or not a link still leads to them; zero fields take the
	// defaults of RevisitPolicy. It needs State.
	Revisit RevisitPolicy
	// DeadLinkTTL is how long a 404 or 410 is remembered (in State) and
	// not asked for again; 0 means DefaultDeadLinkTTL.
	DeadLinkTTL time.Duration
	// FollowChromeLinks follows the site-chrome links of article pages
	// (about, login, careers, ...: see isChromeLink), which are skipped by
	// default: they are never articles, and often dead.
	FollowChromeLinks bool
	// Leaser, when set, makes a pass take a lease on each source first and
	// skip the sources another instance is crawling. LeaseTTL is the
	// lease's lifetime without renewal (DefaultLeaseTTL).
	Leaser   Leaser
	LeaseTTL time.Duration
	// Progress, when set, is called with the running totals after every
	// page (from several goroutines; keep it cheap).
	Progress func(Summary)
	// OnResponse, when set, is called for every response or failed request
	// with the source's name, the HTTP status (0: no response) and the
	// kind: page, feed, unchanged, other, duplicate, skipped, toolarge or
	// error (metrics count them).
	OnResponse func(source string, status int, kind string)
	// MaxBodyBytes bounds a response body once decoded (gzip, deflate,
	// gzipped sitemaps), pages, feeds, sitemaps and robots.txt alike; a
	// longer one counts as an error (ErrBodyTooLarge) and is not parsed,
	// since a truncated article would look like a hard paywall.
	MaxBodyBytes int
	// MaxPages is the request budget of one pass (robots.txt fetches
	// aside), shared fairly: each source may take MaxPages/sources, and
	// what a finished source left goes to the others.
	MaxPages int
	// MaxParses bounds the pages, feeds and sitemaps parsed at once;
	// 0 means GOMAXPROCS.
	MaxParses int
	// MemoryBudget is what a pass may hold in response bodies and parses,
	// in bytes (see memory); 0 means DefaultMemoryBudget.
	MemoryBudget int64
	// MaxSitemaps bounds the child sitemaps of sitemap indexes one pass
	// visits, so an index of thousands cannot take the pass; 0 means
	// DefaultMaxSitemaps.
	MaxSitemaps int
	// Archive, when set, is given every 2xx response the pass fetches
	// (crawl.archive); the article event carries where it went.
	Archive Archiver
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
	case o.MaxParses < 0:
		return o, fmt.Errorf("Options.MaxParses must not be negative, got %d", o.MaxParses)
	case o.MemoryBudget < 0:
		return o, fmt.Errorf("Options.MemoryBudget must not be negative, got %d", o.MemoryBudget)
	case o.MaxSitemaps < 0:
		return o, fmt.Errorf("Options.MaxSitemaps must not be negative, got %d", o.MaxSitemaps)
	case o.ConnectTimeout < 0 || o.TLSTimeout < 0 || o.HeaderTimeout < 0:
		return o, errors.New("Options.ConnectTimeout, TLSTimeout and HeaderTimeout must not be negative")
	case o.MaxRedirects < 0 || o.MaxDomainFailures < 0 || o.RetryBase < 0 || o.MaxRetryWait < 0 || o.SitemapMaxAge < 0 || o.LeaseTTL < 0:
		return o, errors.New("Options.MaxRedirects, MaxDomainFailures, RetryBase, MaxRetryWait, SitemapMaxAge and LeaseTTL must not be negative")
	}
	if _, err := newGuard(o.AllowPrivateNetworks, o.PrivateExceptions); err != nil {
		return o, fmt.Errorf("Options.PrivateExceptions: %w", err)
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
	o.ConnectTimeout = cmp.Or(o.ConnectTimeout, DefaultConnectTimeout)
	o.TLSTimeout = cmp.Or(o.TLSTimeout, DefaultTLSTimeout)
	o.HeaderTimeout = cmp.Or(o.HeaderTimeout, DefaultHeaderTimeout)
	o.MaxRedirects = cmp.Or(o.MaxRedirects, DefaultMaxRedirects)
	switch {
	case o.Retries == 0:
		o.Retries = DefaultRetries
	case o.Retries < 0:
		o.Retries = 0
	}
	o.RetryBase = cmp.Or(o.RetryBase, DefaultRetryBase)
	o.MaxRetryWait = cmp.Or(o.MaxRetryWait, DefaultMaxRetryWait)
	o.MaxDomainFailures = cmp.Or(o.MaxDomainFailures, DefaultMaxDomainFailures)
	o.SitemapMaxAge = cmp.Or(o.SitemapMaxAge, DefaultSitemapMaxAge)
	o.LeaseTTL = cmp.Or(o.LeaseTTL, DefaultLeaseTTL)
	if o.DeadLinkTTL < 0 {
		return o, fmt.Errorf("Options.DeadLinkTTL must not be negative, got %s", o.DeadLinkTTL)
	}
	o.DeadLinkTTL = cmp.Or(o.DeadLinkTTL, DefaultDeadLinkTTL)
	if o.TrackingParams == nil {
		o.TrackingParams = DefaultTrackingParams
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxPages == 0 {
		o.MaxPages = DefaultMaxPages
	}
	rev, err := o.Revisit.withDefaults(o.MaxPages)
	if err != nil {
		return o, err
	}
	o.Revisit = rev
	o.MaxParses = cmp.Or(o.MaxParses, runtime.GOMAXPROCS(0))
	o.MemoryBudget = cmp.Or(o.MemoryBudget, DefaultMemoryBudget)
	o.MaxSitemaps = cmp.Or(o.MaxSitemaps, DefaultMaxSitemaps)
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
	leaser Leaser
	norm   *normalizer
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
	return &Crawler{opts: o, parser: parser, pub: pub, leaser: o.Leaser, norm: newNormalizer(o.TrackingParams)}, nil
}

// Crawl runs one pass over the sources and returns what it did. With a
// Leaser, it takes the lease of each source as it starts it; the sources
// another instance holds are skipped (Summary.Leased), and when that is
// all of them Crawl returns at once without error and with
// Summary.AllLeased set.
//
// It returns an error when the pass failed: the sources are invalid, ctx
// was cancelled, an event could not be published (nothing may be lost
// silently; the pass stops at the first such error), a lease was lost, or
// no seed of any source could be fetched. Per-page fetch and parse errors
// are counted in Summary.Errors and logged, and do not fail the pass by
// themselves. The Summary is filled in either way.
func (c *Crawler) Crawl(ctx context.Context, sources []Source) (Summary, error) {
	start := time.Now()
	sites, err := compileSources(sources, c.norm)
	if err != nil {
		return Summary{}, fmt.Errorf("crawling: %w", err)
	}
	p, err := newPass(ctx, c)
	if err != nil {
		return Summary{}, fmt.Errorf("crawling: %w", err)
	}
	defer p.cancel(nil)
	p.budget.split(sites)
	held := c.newLeases()
	held.keepAlive(p.ctx, p.abort)
	defer held.release(ctx)
	if err := p.collectors(sites); err != nil {
		return Summary{}, fmt.Errorf("crawling: %w", err)
	}
	mine := p.startSources(held, sites)
	held.reportHeld(ctx)
	if len(mine) == 0 && p.ctx.Err() == nil {
		sum := Summary{Leased: held.skipped(), AllLeased: true, Elapsed: time.Since(start)}
		c.opts.Logger.Info("crawl pass finished", "summary", sum.String())
		return sum, nil
	}
	p.wait(mine)

	sum, err := p.finish(ctx, start)
	if err == nil {
		held.markCrawled(ctx, p.state)
	}
	sum.Leased = held.skipped()
	c.opts.Logger.Info("crawl pass finished", "summary", sum.String(), "err", err)
	return sum, err
}
