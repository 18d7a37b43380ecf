package main

import (
	"fmt"
	"testing"
	"time"

	"newsdesk/api"
	"newsdesk/config"
	"newsdesk/crawler"
	"newsdesk/events"
	"newsdesk/indexer/elastic"
)

// The config cannot import the stages (layoutcheck), so it states its own
// defaults and each stage exports its own, for a caller that does not use
// the config. They must be the same values: if one side drifts, `newsdesk`
// and a program using the stage directly behave differently, and the
// documented defaults (newsdesk.example.yaml) lie for one of them.
func TestConfigDefaultsAreTheStagesDefaults(t *testing.T) {
	rev := config.Default().Crawl.Revisit // no constants of their own in config
	for _, c := range []struct {
		name          string
		config, stage any
	}{
		{"nats.stream", config.DefaultStream, events.DefaultStream},
		{"nats.alert_stream", config.DefaultAlertStream, events.DefaultAlertStream},
		{"nats.dlq_stream", config.DefaultDLQStream, events.DefaultDeadLetterStream},
		{"nats.max_age", config.DefaultMaxAge, events.DefaultMaxAge},
		{"nats.duplicate_window", config.DefaultDuplicateWindow, events.DefaultDuplicateWindow},
		{"nats.retry_budget", config.DefaultRetryBudget, events.DefaultRetryBudget},
		{"nats.max_deliver", config.DefaultMaxDeliver, events.DefaultMaxDeliver},
		{"elasticsearch.index", config.DefaultIndex, elastic.DefaultIndex},
		{"elasticsearch.analyzer", config.DefaultAnalyzer, elastic.DefaultAnalyzer},
		{"elasticsearch.refresh_interval", config.DefaultRefreshInterval, elastic.DefaultRefreshInterval},
		{"http.max_concurrent", config.DefaultMaxConcurrent, api.DefaultMaxConcurrent},
		{"crawl.parallelism", config.DefaultParallelism, crawler.DefaultParallelism},
		{"crawl.delay", config.DefaultDelay, crawler.DefaultDelay},
		{"crawl.timeout", config.DefaultTimeout, crawler.DefaultTimeout},
		{"crawl.connect_timeout", config.DefaultConnectTimeout, crawler.DefaultConnectTimeout},
		{"crawl.tls_timeout", config.DefaultTLSTimeout, crawler.DefaultTLSTimeout},
		{"crawl.header_timeout", config.DefaultHeaderTimeout, crawler.DefaultHeaderTimeout},
		{"crawl.max_body_bytes", config.DefaultMaxBodyBytes, crawler.DefaultMaxBodyBytes},
		{"crawl.max_pages", config.DefaultMaxPages, crawler.DefaultMaxPages},
		{"crawl.max_redirects", config.DefaultMaxRedirects, crawler.DefaultMaxRedirects},
		{"crawl.retries", config.DefaultRetries, crawler.DefaultRetries},
		{"crawl.max_domain_failures", config.DefaultMaxDomainFailures, crawler.DefaultMaxDomainFailures},
		{"crawl.sitemap_max_age", config.DefaultSitemapMaxAge, crawler.DefaultSitemapMaxAge},
		{"crawl.memory_budget", config.DefaultMemoryBudget, crawler.DefaultMemoryBudget},
		{"crawl.max_sitemaps", config.DefaultMaxSitemaps, crawler.DefaultMaxSitemaps},
		{"crawl.lease_ttl", config.DefaultLeaseTTL, crawler.DefaultLeaseTTL},
		{"sources[].max_depth", config.DefaultMaxDepth, crawler.DefaultMaxDepth},
		{"crawl.revisit.young_for", time.Duration(rev.YoungFor), crawler.DefaultRevisitYoungFor},
		{"crawl.revisit.fresh_for", time.Duration(rev.FreshFor), crawler.DefaultRevisitFreshFor},
		{"crawl.revisit.fresh_every", time.Duration(rev.FreshEvery), crawler.DefaultRevisitFreshEvery},
		{"crawl.revisit.recent_for", time.Duration(rev.RecentFor), crawler.DefaultRevisitRecentFor},
		{"crawl.revisit.recent_every", time.Duration(rev.RecentEvery), crawler.DefaultRevisitRecentEvery},
		{"crawl.revisit.old_every", time.Duration(rev.OldEvery), crawler.DefaultRevisitOldEvery},
		{"crawl.revisit.offtopic_every", time.Duration(rev.OffTopicEvery), crawler.DefaultRevisitOffTopicEvery},
		{"crawl.revisit.forget_after", time.Duration(rev.ForgetAfter), crawler.DefaultRevisitForgetAfter},
		{"crawl.revisit.max_backoff", rev.MaxBackoff, crawler.DefaultRevisitMaxBackoff},
		{"crawl.dead_link_ttl", time.Duration(config.Default().Crawl.DeadLinkTTL), crawler.DefaultDeadLinkTTL},
	} {
		// Untyped constants become int or time.Duration on both sides;
		// compare what they mean, not their Go types.
		if got, want := fmt.Sprint(c.config), fmt.Sprint(c.stage); got != want {
			t.Errorf("%s: config default %s, the stage's %s", c.name, got, want)
		}
	}
}

// The config's 0 means "none" where the stages' 0 means "the default": the
// wiring must hand the stages their explicit "none", not a 0 that would
// quietly turn into the default (events kept 30 days instead of forever).
func TestConfigZeroIsTheStagesExplicitNone(t *testing.T) {
	cfg := config.Default()
	if got := busOptions(cfg, "", "test", nil).MaxAge; got != config.DefaultMaxAge {
		t.Errorf("default nats.max_age: MaxAge %v, want %v", got, config.DefaultMaxAge)
	}
	cfg.NATS.MaxAge = 0
	if got := busOptions(cfg, "", "test", nil).MaxAge; got != events.KeepForever {
		t.Errorf("nats.max_age 0: MaxAge %v, want events.KeepForever", got)
	}
	cfg.NATS.MaxAge = config.Duration(48 * time.Hour)
	if got := busOptions(cfg, "", "test", nil).MaxAge; got != 48*time.Hour {
		t.Errorf("nats.max_age 48h: MaxAge %v", got)
	}
}
