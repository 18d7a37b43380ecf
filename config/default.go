package config

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Defaults that other packages and help texts may quote. Where a stage has
// the same setting, its exported default is the same value: config cannot
// import the stages, so cmd/newsdesk's TestConfigDefaultsAreTheStagesDefaults
// fails when the two drift.
const (
	DefaultDataDir         = "./data"
	DefaultStream          = "NEWSDESK_ARTICLES"
	DefaultReplicas        = 1
	DefaultMaxAge          = 720 * time.Hour
	DefaultDuplicateWindow = 10 * time.Minute
	DefaultStorage         = "file"
	DefaultAlertStream     = "NEWSDESK_ALERTS"
	DefaultDLQStream       = "NEWSDESK_DLQ"
	DefaultMaxDeliver      = 10
	DefaultEmbeddedHost    = "127.0.0.1"
	DefaultEmbeddedPort    = 4222
	DefaultIndex           = "newsdesk-articles"
	DefaultAnalyzer        = "standard"
	DefaultRefreshInterval = 500 * time.Millisecond
	DefaultRetryBudget     = 30 * time.Second
	DefaultESShards        = 1
	DefaultESReplicas      = "0-1"
	DefaultHTTPAddr        = "127.0.0.1:8080"
	DefaultMaxConcurrent   = 64
	DefaultUserAgent       = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk)"
	DefaultInterval        = 15 * time.Minute
	DefaultParallelism     = 2
	DefaultDelay           = time.Second
	DefaultTimeout         = 30 * time.Second
	DefaultMaxPages        = 1000
	DefaultMaxBodyBytes    = 10 << 20
	DefaultMemoryBudget    = 512 << 20
	DefaultMaxSitemaps     = 100
	DefaultArchiveMaxBytes = 1 << 30
	DefaultMaxDepth        = 2
	DefaultRetries         = 3
	DefaultMaxRedirects    = 5
	DefaultSitemapMaxAge   = 72 * time.Hour
	DefaultLeaseTTL        = 2 * time.Minute
	// Connection timeouts and the domain-failure threshold.
	DefaultConnectTimeout    = 10 * time.Second
	DefaultTLSTimeout        = 10 * time.Second
	DefaultHeaderTimeout     = 20 * time.Second
	DefaultMaxDomainFailures = 5
)

//go:embed newsdesk.example.yaml
var exampleYAML []byte

// ExampleYAML returns newsdesk.example.yaml, every key with its default and
// a comment, for a command that prints a starting config. Its sources are the
// default sources, so there is one list, not two.
func ExampleYAML() []byte { return bytes.Clone(exampleYAML) }

// Default returns the built-in configuration: the defaults above and the
// example file's sources. Each call returns a fresh copy.
func Default() *Config {
	c := &Config{
		DataDir: DefaultDataDir,
		NATS: NATS{
			Stream:          DefaultStream,
			Replicas:        DefaultReplicas,
			MaxAge:          Duration(DefaultMaxAge),
			DuplicateWindow: Duration(DefaultDuplicateWindow),
			Storage:         DefaultStorage,
			AlertStream:     DefaultAlertStream,
			DLQStream:       DefaultDLQStream,
			MaxDeliver:      DefaultMaxDeliver,
			Embedded:        EmbeddedNATS{Host: DefaultEmbeddedHost, Port: DefaultEmbeddedPort},
			RetryBudget:     Duration(DefaultRetryBudget),
		},
		Elasticsearch: Elasticsearch{Index: DefaultIndex, Analyzer: DefaultAnalyzer, RefreshInterval: Duration(DefaultRefreshInterval),
			Shards: DefaultESShards, Replicas: DefaultESReplicas},
		HTTP: HTTP{Addr: DefaultHTTPAddr, MaxConcurrent: DefaultMaxConcurrent},
		Log:  Log{Format: "text", Level: "info"},
		Crawl: Crawl{
			ArchiveMaxBytes: DefaultArchiveMaxBytes,

			UserAgent:     DefaultUserAgent,
			Interval:      Duration(DefaultInterval),
			Parallelism:   DefaultParallelism,
			Delay:         Duration(DefaultDelay),
			Timeout:       Duration(DefaultTimeout),
			MaxPages:      DefaultMaxPages,
			MaxBodyBytes:  DefaultMaxBodyBytes,
			MemoryBudget:  DefaultMemoryBudget,
			MaxSitemaps:   DefaultMaxSitemaps,
			Retries:       DefaultRetries,
			MaxRedirects:  DefaultMaxRedirects,
			SitemapMaxAge: Duration(DefaultSitemapMaxAge),
			LeaseTTL:      Duration(DefaultLeaseTTL),

			Revisit: Revisit{
				YoungFor: Duration(6 * time.Hour), FreshFor: Duration(48 * time.Hour), FreshEvery: Duration(time.Hour),
				RecentFor: Duration(30 * 24 * time.Hour), RecentEvery: Duration(24 * time.Hour), OldEvery: Duration(7 * 24 * time.Hour),
				OffTopicEvery: Duration(7 * 24 * time.Hour), ForgetAfter: Duration(90 * 24 * time.Hour), MaxBackoff: 4,
			},
			DeadLinkTTL: Duration(7 * 24 * time.Hour),

			ConnectTimeout:    Duration(DefaultConnectTimeout),
			TLSTimeout:        Duration(DefaultTLSTimeout),
			HeaderTimeout:     Duration(DefaultHeaderTimeout),
			MaxDomainFailures: DefaultMaxDomainFailures,
		},
	}
	c.Topics = Topics{Required: true}
	c.Sources = cloneSources(exampleSources())
	c.Watches = cloneWatches(exampleWatches())
	return c
}

// exampleSources decodes the embedded example once. The example is part of
// the binary and a test loads it, so a failure here is a build defect.
var exampleSources = sync.OnceValue(func() []Source {
	var c Config
	if err := decode(bytes.NewReader(exampleYAML), &c); err != nil {
		panic(fmt.Sprintf("config: embedded newsdesk.example.yaml: %v", err))
	}
	return c.Sources
})

// exampleWatches decodes the example's watches once, as exampleSources.
var exampleWatches = sync.OnceValue(func() []Watch {
	var c Config
	if err := decode(bytes.NewReader(exampleYAML), &c); err != nil {
		panic(fmt.Sprintf("config: embedded newsdesk.example.yaml: %v", err))
	}
	return c.Watches
})

func cloneSources(in []Source) []Source {
	if in == nil {
		return nil
	}
	out := make([]Source, len(in))
	for i, s := range in {
		s.Seeds = slices.Clone(s.Seeds)
		s.Feeds = slices.Clone(s.Feeds)
		s.Sitemaps = slices.Clone(s.Sitemaps)
		s.AllowedDomains = slices.Clone(s.AllowedDomains)
		s.Include = slices.Clone(s.Include)
		s.Exclude = slices.Clone(s.Exclude)
		s.Extract = Extract{Body: slices.Clone(s.Extract.Body), Walls: slices.Clone(s.Extract.Walls), Drop: slices.Clone(s.Extract.Drop)}
		out[i] = s
	}
	return out
}
