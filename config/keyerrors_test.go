package config

import (
	"strings"
	"testing"
)

// TestDecodeErrorsNameTheKey: a value of the wrong type is reported with
// its key path, what was wanted in words, and the line.
func TestDecodeErrorsNameTheKey(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"crawl:\n  delay: 1s\n  parallelism: two\n", `crawl.parallelism: "two" is not a whole number (line 3)`},
		{"crawl:\n  ignore_robots: maybe\n", `crawl.ignore_robots: "maybe" is not true or false (line 2)`},
		{"crawl:\n  retries: [1, 2]\n", `crawl.retries: got a list, want a whole number (line 2)`},
		{"crawl:\n  max_body_bytes: a-very-long-value-indeed\n", `crawl.max_body_bytes: "a-very-long-value-indeed" is not a whole number (line 2)`},
		{"crawl:\n  timeout: 1 second\n", `crawl.timeout: "1 second" is not a duration (write e.g. 30s, 15m, 1h30m) (line 2)`},
		{"elasticsearch: {urls: [http://a, {x: y}], shards: lots}\n", `elasticsearch.urls[1]: got a mapping, want a string (line 1)`},
		{"elasticsearch: {urls: [http://a, {x: y}], shards: lots}\n", `elasticsearch.shards: "lots" is not a whole number (line 1)`},
		{"sources:\n  - name: a\n    seeds: [https://a.example/]\n  - name: b\n    max_depth: deep\n", `sources[1].max_depth: "deep" is not a whole number (line 5)`},
		{"sources:\n  - name: a\n    seeds: {x: y}\n", `sources[0].seeds: got a mapping, want a list (line 3)`},
		{"sources:\n  - name: a\n    seeeds: [https://a.example/]\n", `sources[0].seeeds: unknown key (line 3)`},
		{"nats:\n  max_deliver: lots\n", `nats.max_deliver: "lots" is not a whole number (line 2)`},
		{"crawl:\n  delay: 1s\n  delay: 2s\n", `crawl.delay: the key is written twice (lines 2 and 3)`},
	}
	for _, tc := range cases {
		err := decode(strings.NewReader(tc.yaml), Default())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("decode(%q) = %v, want an error containing %q", tc.yaml, err, tc.want)
		}
	}
}

// TestUpperBounds: numbers whose huge values switch off a safety cap are
// refused above their bound, naming the key and the bound; the bound
// itself is accepted.
func TestUpperBounds(t *testing.T) {
	cases := []struct {
		edit      func(c *Config, over bool)
		key, want string
	}{
		{func(c *Config, o bool) { c.Crawl.Parallelism = pick(o, 64, 65) }, "crawl.parallelism", "must be at most 64"},
		{func(c *Config, o bool) { c.Crawl.MaxPages = pick(o, 1_000_000, 1_000_001) }, "crawl.max_pages", "must be at most 1000000"},
		{func(c *Config, o bool) { c.Crawl.MaxBodyBytes = pick(o, 1<<30, 1<<30+1) }, "crawl.max_body_bytes", "must be at most 1073741824 (1 GiB"},
		{func(c *Config, o bool) { c.Crawl.Retries = pick(o, 20, 21) }, "crawl.retries", "must be at most 20"},
		{func(c *Config, o bool) { c.Crawl.MaxRedirects = pick(o, 30, 31) }, "crawl.max_redirects", "must be at most 30"},
		{func(c *Config, o bool) { c.Crawl.MaxDomainFailures = pick(o, 1000, 1001) }, "crawl.max_domain_failures", "must be at most 1000"},
		{func(c *Config, o bool) { c.Crawl.Timeout = Duration(pick(o, 1, 2)) * maxTimeout }, "crawl.timeout", "must be at most 1h"},
		{func(c *Config, o bool) { c.Crawl.HeaderTimeout = Duration(pick(o, 1, 2)) * maxTimeout }, "crawl.header_timeout", "must be at most 1h"},
		{func(c *Config, o bool) { c.Crawl.LeaseTTL = Duration(pick(o, 1, 2)) * maxLeaseTTL }, "crawl.lease_ttl", "must be at most 24h"},
		{func(c *Config, o bool) { c.NATS.MaxDeliver = pick(o, 1000, 1001) }, "nats.max_deliver", "must be at most 1000"},
		{func(c *Config, o bool) { c.Crawl.MaxParses = pick(o, 1024, 1025) }, "crawl.max_parses", "must be at most 1024"},
		{func(c *Config, o bool) { c.Crawl.MaxSitemaps = pick(o, 100_000, 100_001) }, "crawl.max_sitemaps", "must be at most 100000"},
		{func(c *Config, o bool) { c.Crawl.MemoryBudget = int64(pick(o, 64<<30, 64<<30+1)) }, "crawl.memory_budget", "must be at most 68719476736 (64 GiB"},
		{func(c *Config, o bool) { c.HTTP.MaxConcurrent = pick(o, 10_000, 10_001) }, "http.max_concurrent", "must be at most 10000"},
		{func(c *Config, o bool) { c.NATS.RetryBudget = Duration(pick(o, 1, 2)) * maxNATSRetryBudget }, "nats.retry_budget", "must be at most 1h"},
		{func(c *Config, o bool) { c.Elasticsearch.RefreshInterval = Duration(pick(o, 1, 2)) * maxTimeout }, "elasticsearch.refresh_interval", "must be at most 1h"},
	}
	for _, tc := range cases {
		c := Default()
		tc.edit(c, false)
		if err := c.Validate(); err != nil {
			t.Errorf("%s at its bound: %v", tc.key, err)
		}
		c = Default()
		tc.edit(c, true)
		err := c.Validate()
		if want := tc.key + ": " + tc.want; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s over its bound: %v, want %q", tc.key, err, want)
		}
	}
}

// pick returns atBound, or over when over is set.
func pick(over bool, atBound, above int) int {
	if over {
		return above
	}
	return atBound
}
