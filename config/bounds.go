package config

import "time"

// The upper bounds of numbers whose huge values would switch off a safety
// cap (a body size, a page budget, a retry count) or make a failure wait
// forever. They are far above any sensible setting.
const (
	maxParallelism       = 64
	maxPages             = 1_000_000
	maxBodyBytes         = 1 << 30 // 1 GiB
	maxRetries           = 20
	maxRedirects         = 30
	maxDomainFailures    = 1000
	maxNATSDeliver       = 1000
	maxParses            = 1024
	maxMemoryBudget      = 64 << 30 // 64 GiB
	maxSitemaps          = 100_000
	maxConcurrentQueries = 10_000
	maxTimeout           = Duration(time.Hour)
	maxLeaseTTL          = Duration(24 * time.Hour)
	maxNATSRetryBudget   = Duration(time.Hour)
	boundsReasonCap      = "a larger value disables the cap"
	boundsReasonNeverEnd = "a longer one lets a hung request or a dead peer hold things up for good"
)

// validateBounds reports numbers above their upper bound; the lower bounds
// are checked with each section.
func (c *Config) validateBounds(p *problems) {
	atMost := func(key string, n, limit int, why string) {
		if n > limit {
			p.add(key, "must be at most %d (%s), got %d", limit, why, n)
		}
	}
	atMostD := func(key string, d, limit Duration, why string) {
		if d > limit {
			p.add(key, "must be at most %s (%s), got %s", limit, why, d)
		}
	}
	cr := c.Crawl
	atMost("crawl.parallelism", cr.Parallelism, maxParallelism, "more concurrent requests per site is not polite")
	atMost("crawl.max_pages", cr.MaxPages, maxPages, boundsReasonCap)
	atMost("crawl.max_body_bytes", cr.MaxBodyBytes, maxBodyBytes, "1 GiB; "+boundsReasonCap)
	atMost("crawl.retries", cr.Retries, maxRetries, "more would hammer a failing site")
	atMost("crawl.max_redirects", cr.MaxRedirects, maxRedirects, "a longer chain is a redirect loop")
	atMost("crawl.max_domain_failures", cr.MaxDomainFailures, maxDomainFailures, boundsReasonCap)
	atMostD("crawl.timeout", cr.Timeout, maxTimeout, boundsReasonNeverEnd)
	atMostD("crawl.connect_timeout", cr.ConnectTimeout, maxTimeout, boundsReasonNeverEnd)
	atMostD("crawl.tls_timeout", cr.TLSTimeout, maxTimeout, boundsReasonNeverEnd)
	atMostD("crawl.header_timeout", cr.HeaderTimeout, maxTimeout, boundsReasonNeverEnd)
	atMost("crawl.max_parses", cr.MaxParses, maxParses, "more parses at once than any machine has cores")
	atMost("crawl.max_sitemaps", cr.MaxSitemaps, maxSitemaps, boundsReasonCap)
	if cr.MemoryBudget > maxMemoryBudget {
		p.add("crawl.memory_budget", "must be at most %d (64 GiB; %s), got %d", int64(maxMemoryBudget), boundsReasonCap, cr.MemoryBudget)
	}
	atMost("http.max_concurrent", c.HTTP.MaxConcurrent, maxConcurrentQueries, boundsReasonCap)
	atMostD("crawl.lease_ttl", cr.LeaseTTL, maxLeaseTTL, "a crashed crawler's sources would wait that long")
	atMost("nats.max_deliver", c.NATS.MaxDeliver, maxNATSDeliver, "use -1 to never dead-letter")
	atMostD("nats.retry_budget", c.NATS.RetryBudget, maxNATSRetryBudget, boundsReasonNeverEnd)
}
