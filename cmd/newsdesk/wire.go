package main

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"newsdesk/config"
	"newsdesk/crawler"
	"newsdesk/events"
	"newsdesk/indexer"
	"newsdesk/indexer/elastic"
	"newsdesk/indexer/embedded"
	"newsdesk/news"
	"newsdesk/parser"
	"newsdesk/topics"
)

// globalFlags are the flags every command that reads the config takes.
type globalFlags struct {
	configPath string
	logLevel   string
	logFormat  string
}

// newFlagSet is the flag set of one subcommand, with the global flags on
// it, errors reported on stderr and left to the command to map to an exit
// status.
func newFlagSet(name string, stdio IO) (*flag.FlagSet, *globalFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	bindHelp(fs, stdio)
	g := &globalFlags{}
	g.register(fs)
	return fs, g
}

func (g *globalFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&g.configPath, "config", os.Getenv("NEWSDESK_CONFIG"),
		"config file (default: ./newsdesk.yaml when present, else built-in defaults; env NEWSDESK_CONFIG)")
	fs.StringVar(&g.logLevel, "log-level", "", "log level: debug, info, warn, error (default: log.level, env NEWSDESK_LOG_LEVEL, else info)")
	fs.StringVar(&g.logFormat, "log-format", "", "log format: text or json (default: log.format, env NEWSDESK_LOG_FORMAT, else text)")
}

// setup loads the configuration and builds the logger. Errors are config or
// usage errors: the caller exits with exitUsage.
func (g *globalFlags) setup(stderr io.Writer) (*config.Config, *slog.Logger, error) {
	// Bad flags are reported before a config error, as they were before the
	// config could set the log format too.
	if err := g.checkLogFlags(); err != nil {
		return nil, nil, err
	}
	path := g.configPath
	if path == "" {
		if _, err := os.Stat("newsdesk.yaml"); err == nil {
			path = "newsdesk.yaml"
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, nil, err
	}
	logger := g.logger(stderr, cfg.Log)
	// Checked here, not in config (which may not import alert), so that a
	// bad query stops every command, not only those that run the alerter.
	if _, err := newMatcher(cfg); err != nil {
		return nil, nil, inConfigFile(path, err)
	}
	if path == "" {
		logger.Info("no config file: using built-in defaults and example sources")
	}
	return cfg, logger, nil
}

// checkLogFlags rejects a bad --log-level or --log-format.
func (g *globalFlags) checkLogFlags() error {
	if g.logLevel != "" {
		if err := config.CheckLogLevel(g.logLevel); err != nil {
			return fmt.Errorf("--log-level: %w", err)
		}
	}
	if g.logFormat != "" {
		if err := config.CheckLogFormat(g.logFormat); err != nil {
			return fmt.Errorf("--log-format: %w", err)
		}
	}
	return nil
}

// logger builds the logger from the flags, else the config's log section
// (which includes NEWSDESK_LOG_*), else text at info. Both were checked.
func (g *globalFlags) logger(stderr io.Writer, c config.Log) *slog.Logger {
	format := cmp.Or(g.logFormat, c.Format, "text")
	var level slog.Level
	_ = level.UnmarshalText([]byte(cmp.Or(g.logLevel, c.Level, "info"))) // checked
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(stderr, opts))
	}
	return slog.New(slog.NewTextHandler(stderr, opts))
}

// inConfigFile prefixes each of err's joined problems with the config
// file's name, as config.Load does.
func inConfigFile(path string, err error) error {
	if path == "" {
		return err
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = fmt.Errorf("%s: %w", path, e)
	}
	return errors.Join(out...)
}

// openIndex opens Elasticsearch when the config names it, else the embedded
// index under the data dir.
func openIndex(ctx context.Context, cfg *config.Config, logger *slog.Logger) (indexer.Index, error) {
	es := cfg.Elasticsearch
	if len(es.URLs) > 0 {
		creds, err := es.Credentials()
		if err != nil {
			return nil, err
		}
		idx, err := elastic.New(ctx, elastic.Options{
			URLs: es.URLs, Username: creds.Username, Password: creds.Password, APIKey: creds.APIKey,
			CACert: creds.CACert, CertificateFingerprint: es.CAFingerprint,
			ClientCert: creds.ClientCert, ClientKey: creds.ClientKey,
			Shards: es.Shards, Replicas: es.Replicas,
			Index: es.Index, Analyzer: es.Analyzer, Logger: logger,
			RefreshInterval: time.Duration(es.RefreshInterval),
		})
		if err != nil {
			return nil, fmt.Errorf("opening Elasticsearch index at %s: %w%s",
				strings.Join(cfg.Redacted().Elasticsearch.URLs, ", "), err, tlsHint(err))
		}
		return idx, nil
	}
	path := filepath.Join(cfg.DataDir, "index")
	idx, err := embedded.Open(path, logger)
	if err != nil {
		return nil, fmt.Errorf("opening embedded index %s: %w", path, err)
	}
	return idx, nil
}

// tlsHint tells how to trust a cluster whose certificate was refused.
func tlsHint(err error) string {
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		return " (a cluster with its own CA: set elasticsearch.tls.ca_file or elasticsearch.ca_fingerprint)"
	}
	return ""
}

// natsConn is a bus plus the embedded server it may have started.
type natsConn struct {
	*events.Bus
	server *events.EmbeddedServer
}

func (n *natsConn) Close() {
	n.Bus.Close()
	if n.server != nil {
		n.server.Shutdown()
	}
}

// connectNATS connects to the configured NATS URL. Without one it uses the
// embedded server: the one a running `newsdesk run` serves on the embedded
// address when it answers, else (or always, when startEmbedded is set) one
// started here on the data dir.
func connectNATS(ctx context.Context, cfg *config.Config, logger *slog.Logger, name string, startEmbedded bool) (*natsConn, error) {
	url := cfg.NATS.URL
	var server *events.EmbeddedServer
	if url == "" {
		addr := net.JoinHostPort(cfg.NATS.Embedded.Host, fmt.Sprint(cfg.NATS.Embedded.Port))
		if !startEmbedded && reachable(ctx, addr) {
			url = "nats://" + addr
			logger.Info("using the NATS server of a running newsdesk", "url", url)
		} else {
			var err error
			server, err = events.StartEmbedded(events.EmbeddedOptions{
				DataDir: filepath.Join(cfg.DataDir, "nats"),
				Host:    cfg.NATS.Embedded.Host,
				Port:    cfg.NATS.Embedded.Port,

				MonitorPort: cfg.NATS.Embedded.MonitorPort,
			}, logger)
			if err != nil {
				return nil, err
			}
			url = server.ClientURL()
		}
	}
	setup, apply := streamSetup(name, startEmbedded)
	opts := busOptions(cfg, url, name, logger)
	opts.Streams = setup
	bus, err := events.Connect(ctx, opts)
	if err == nil && apply {
		_, err = applyStreams(ctx, bus, events.ApplyOptions{})
		if err != nil {
			bus.Close()
		}
	}
	if err != nil {
		if server != nil {
			server.Shutdown()
		}
		if errors.Is(err, events.ErrStreamMissing) {
			err = fmt.Errorf("%w; create them with `newsdesk streams apply` (or by starting `newsdesk index` or `newsdesk run`)", err)
		}
		return nil, err // events' errors name the server, without its credentials
	}
	return &natsConn{Bus: bus, server: server}, nil
}

// streamSetup is what the command name may do to the shared streams when it
// connects. Only index and run (and whoever runs its own embedded server)
// apply the config to them, refusing a change that would shrink them. crawl
// creates missing streams, so a cron crawl works on a fresh server, but
// never changes existing ones. streams connects only: it applies or shows
// them itself. Every other command (subscribe, dlq, reindex) changes
// nothing and fails when they are missing.
func streamSetup(name string, startEmbedded bool) (setup events.StreamSetup, apply bool) {
	switch {
	case name == "index" || name == "run" || startEmbedded:
		return events.SkipStreams, true
	case name == "crawl":
		return events.CreateMissingStreams, false
	case name == "streams":
		return events.SkipStreams, false
	}
	return events.RequireStreams, false
}

// applyStreams applies the config to the streams, explaining a refused
// shrink in terms of the command that can do it.
func applyStreams(ctx context.Context, bus *events.Bus, ao events.ApplyOptions) ([]events.StreamChange, error) {
	changes, err := bus.ApplyStreams(ctx, ao)
	if errors.Is(err, events.ErrShrink) {
		return changes, fmt.Errorf("%w; nothing was changed: set nats.replicas, nats.max_age, nats.max_bytes and nats.storage to the streams' values, or rerun `newsdesk streams apply --allow-shrink`", err)
	}
	return changes, err
}

func reachable(ctx context.Context, addr string) bool {
	d := net.Dialer{Timeout: 500 * time.Millisecond}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// newCrawler builds the crawler with the real parser, publishing on bus,
// its state and source leases in the bus's key-value bucket.
// progress, when not nil, gets the running totals of a pass.
func newCrawler(ctx context.Context, cfg *config.Config, logger *slog.Logger, bus *natsConn, progress func(crawler.Summary), more ...crawlerOption) (*crawler.Crawler, error) {
	state, err := bus.CrawlState(ctx, events.CrawlStateOptions{Replicas: cfg.NATS.Replicas})
	if err != nil {
		return nil, fmt.Errorf("opening crawl state: %w", err)
	}
	return newCrawlerWith(cfg, logger, bus, state, leaser{state}, progress, more...)
}

// newCrawlerWith maps the config onto the crawler's options.
func newCrawlerWith(cfg *config.Config, logger *slog.Logger, pub crawler.Publisher, state crawler.StateStore, leases crawler.Leaser, progress func(crawler.Summary), more ...crawlerOption) (*crawler.Crawler, error) {
	c := cfg.Crawl
	delay := time.Duration(c.Delay)
	if delay == 0 {
		delay = crawler.NoDelay // the config already applied its default: 0 here means no delay
	}
	retries := c.Retries
	if retries == 0 {
		retries = crawler.NoRetries // likewise: 0 means none
	}
	var tracking []string
	if len(c.TrackingParams) > 0 {
		tracking = c.TrackingParams
	}
	pageParser, err := newPageParser(cfg)
	if err != nil {
		return nil, err
	}
	pageParser.required = cfg.Topics.Required
	archiver, err := openArchive(cfg) // cmd_import.go
	if err != nil {
		return nil, err
	}
	opts := crawler.Options{
		Archive:              archiver,
		UserAgent:            c.UserAgent,
		Parallelism:          c.Parallelism,
		Delay:                delay,
		Timeout:              time.Duration(c.Timeout),
		MaxBodyBytes:         c.MaxBodyBytes,
		MaxParses:            c.MaxParses,
		MemoryBudget:         c.MemoryBudget,
		MaxSitemaps:          c.MaxSitemaps,
		MaxPages:             c.MaxPages,
		IgnoreRobots:         c.IgnoreRobots,
		Retries:              retries,
		MaxRedirects:         c.MaxRedirects,
		SitemapMaxAge:        time.Duration(c.SitemapMaxAge),
		LeaseTTL:             time.Duration(c.LeaseTTL),
		TrackingParams:       tracking,
		AllowPrivateNetworks: c.AllowPrivateNetworks,
		PrivateExceptions:    c.PrivateExceptions,
		ConnectTimeout:       time.Duration(c.ConnectTimeout),
		TLSTimeout:           time.Duration(c.TLSTimeout),
		HeaderTimeout:        time.Duration(c.HeaderTimeout),
		MaxDomainFailures:    c.MaxDomainFailures,
		State:                state,
		Leaser:               leases,
		Progress:             progress,
		Logger:               logger,
		Revisit:              revisitPolicy(c.Revisit),
		DeadLinkTTL:          time.Duration(c.DeadLinkTTL),
		FollowChromeLinks:    c.FollowChromeLinks,
	}
	for _, o := range more {
		pub = o(&opts, pub)
	}
	return crawler.New(opts, pageParser, pub)
}

// revisitPolicy maps crawl.revisit onto the crawler's schedule.
func revisitPolicy(r config.Revisit) crawler.RevisitPolicy {
	return crawler.RevisitPolicy{
		YoungFor: time.Duration(r.YoungFor), FreshFor: time.Duration(r.FreshFor), FreshEvery: time.Duration(r.FreshEvery),
		RecentFor: time.Duration(r.RecentFor), RecentEvery: time.Duration(r.RecentEvery), OldEvery: time.Duration(r.OldEvery),
		OffTopicEvery: time.Duration(r.OffTopicEvery), ForgetAfter: time.Duration(r.ForgetAfter),
		MaxBackoff: r.MaxBackoff, MaxPerPass: r.MaxPerPass,
	}
}

// newPageParser builds the parser with the configured per-site rules and
// the topic classifier with the configured rules: what the crawler runs on
// every page and `newsdesk parse` on one. Topics are not required here; the
// crawler sets that.
func newPageParser(cfg *config.Config) (topicParser, error) {
	rules := make([]topics.Rule, len(cfg.Topics.Rules))
	for i, r := range cfg.Topics.Rules {
		rules[i] = topics.Rule{Name: r.Name, Keywords: r.Keywords}
	}
	classifier, err := topics.New(rules)
	if err != nil {
		return topicParser{}, fmt.Errorf("topics: %w", err)
	}
	opts := parser.Options{Sites: siteRules(cfg.Sources)}
	if err := opts.Check(); err != nil {
		return topicParser{}, fmt.Errorf("sources: %w", err)
	}
	return topicParser{parser: parser.New(opts), topics: classifier}, nil
}

// siteRules maps each source's extraction overrides onto the hosts its
// pages come from (news.SourceHosts, as the crawler computes them).
func siteRules(sources []config.Source) map[string]parser.SiteRules {
	out := map[string]parser.SiteRules{}
	for _, s := range sources {
		x := s.Extract
		if len(x.Body)+len(x.Walls)+len(x.Drop) == 0 {
			continue
		}
		for _, h := range news.SourceHosts(s.AllowedDomains, slices.Concat(s.Seeds, s.Feeds, s.Sitemaps)) {
			out[h] = parser.SiteRules{Body: x.Body, Walls: x.Walls, Drop: x.Drop}
		}
	}
	return out
}

// topicParser runs the parser, then the topic classifier: it fills an
// article's topics and, when topics are required, turns an article off the
// desk's beat into crawler.ErrOffTopic.
type topicParser struct {
	parser   crawler.PageParser
	topics   *topics.Classifier
	required bool
}

func (t topicParser) Parse(pageURL string, body []byte) (news.Article, error) {
	return t.classify(t.parser.Parse(pageURL, body))
}

// ParseFetched is Parse with the fetch time, which dates such as "2 hours
// ago" are read against.
func (t topicParser) ParseFetched(pageURL string, body []byte, fetched time.Time) (news.Article, error) {
	if fp, ok := t.parser.(crawler.FetchTimeParser); ok {
		return t.classify(fp.ParseFetched(pageURL, body, fetched))
	}
	return t.Parse(pageURL, body)
}

func (t topicParser) classify(a news.Article, err error) (news.Article, error) {
	if err != nil {
		return a, err
	}
	a.Topics, a.Relevance = t.topics.Classify(a)
	if t.required && len(a.Topics) == 0 {
		return a, crawler.ErrOffTopic
	}
	return a, nil
}

// leaser adapts events.CrawlState's leases to crawler.Leaser (the crawler
// cannot name events' types, and Go interfaces match exact signatures).
type leaser struct{ s *events.CrawlState }

func (l leaser) Acquire(ctx context.Context, name string, ttl time.Duration) (crawler.Lease, string, error) {
	lease, holder, err := l.s.Acquire(ctx, name, ttl)
	if lease == nil { // no typed nil inside the interface
		return nil, holder, err
	}
	return lease, "", nil
}

// crawlSources maps configured sources to the crawler's, keeping those named
// in only (all when only is empty).
func crawlSources(cfg *config.Config, only string) ([]crawler.Source, error) {
	var out []crawler.Source
	var names []string
	for _, s := range cfg.Sources {
		names = append(names, s.Name)
		if only != "" && s.Name != only {
			continue
		}
		out = append(out, crawler.Source{
			Name: s.Name, Seeds: s.Seeds, Feeds: s.Feeds, Sitemaps: s.Sitemaps, AllowedDomains: s.AllowedDomains,
			MaxDepth: s.MaxDepth, Include: s.Include, Exclude: s.Exclude,
		})
	}
	if len(out) == 0 {
		if only != "" {
			return nil, fmt.Errorf("--source: no source named %q (have: %s)", only, strings.Join(names, ", "))
		}
		return nil, errors.New("sources: none configured")
	}
	return out, nil
}
