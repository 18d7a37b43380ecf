package events

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Defaults of CrawlStateOptions.
const (
	DefaultCrawlBucket = "NEWSDESK_CRAWL"
	// DefaultCrawlStateMaxAge bounds the bucket: a page or article not seen
	// for this long is forgotten, and is new again if it comes back.
	DefaultCrawlStateMaxAge = 90 * 24 * time.Hour
)

// CrawlStateOptions configure the crawl state bucket.
type CrawlStateOptions struct {
	// Bucket is the JetStream key-value bucket, default NEWSDESK_CRAWL.
	Bucket string
	// Replicas as for the article stream: 0 means 1 on a single server and
	// 3 in a cluster.
	Replicas int
	// MaxAge is how long an entry lives without being written again,
	// default 90 days.
	MaxAge time.Duration
	// Instance names this process in leases, so that "held by" says where
	// the other crawler runs; default host name, pid and a random suffix.
	Instance string
	// Now is the clock leases are timed with; nil means time.Now. Leases
	// compare expiry times written by other machines: keep clocks in sync
	// (NTP) to well within a lease's ttl.
	Now func() time.Time
}

// CrawlState is the crawler's memory in a JetStream key-value bucket: what
// it knows of each page and article (crawler.StateStore) and the leases
// on sources (crawler.Leaser, through a small adapter in cmd/newsdesk). It
// works the same on the embedded server and on a cluster, survives
// restarts and is shared by every crawler instance on the bus.
type CrawlState struct {
	kv       jetstream.KeyValue
	instance string
	now      func() time.Time
	budget   time.Duration // retries of a lease operation (Bus.retryBudget)
}

// CrawlState opens the crawl state bucket, creating it when it is missing.
// An existing bucket is left as it is (its replicas are never lowered by a
// crawler with another config); creating it at the same moment as another
// process is retried within the retry budget.
func (b *Bus) CrawlState(ctx context.Context, opts CrawlStateOptions) (*CrawlState, error) {
	if opts.Bucket == "" {
		opts.Bucket = DefaultCrawlBucket
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultCrawlStateMaxAge
	}
	if opts.Instance == "" {
		host, _ := os.Hostname()
		opts.Instance = host + "/" + strconv.Itoa(os.Getpid()) + "/" + rand.Text()[:8]
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	replicas := opts.Replicas
	if replicas <= 0 {
		replicas = b.defaultReplicas()
	}
	var kv jetstream.KeyValue
	err := retrySetup(ctx, b.retryBudget, func(ctx context.Context) error {
		var err error
		kv, err = b.js.KeyValue(ctx, opts.Bucket)
		if !errors.Is(err, jetstream.ErrBucketNotFound) {
			return err
		}
		kv, err = b.js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      opts.Bucket,
			Description: "newsdesk crawl state: pages, article revisions, source leases",
			History:     1,
			TTL:         opts.MaxAge,
			Storage:     jetstream.FileStorage,
			Replicas:    replicas,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("creating key-value bucket %s (replicas %d): %w", opts.Bucket, replicas, err)
	}
	return &CrawlState{kv: kv, instance: opts.Instance, now: opts.Now, budget: b.retryBudget}, nil
}

// Instance is the name this process's leases are held under.
func (s *CrawlState) Instance() string { return s.instance }

// Get returns the value of key, or nil and no error when there is none. A
// leader election or a server restart is ridden out within the retry
// budget, as a publish is: a crawl pass reads state for every page.
func (s *CrawlState) Get(ctx context.Context, key string) ([]byte, error) {
	var value []byte
	err := retry(ctx, s.budget, func(ctx context.Context) error {
		e, err := s.kv.Get(ctx, key)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
			value = nil
			return nil
		case err != nil:
			return err
		}
		value = e.Value()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("getting %s: %w", key, err)
	}
	return value, nil
}

// Put stores value under key, retried as Get is. Writing the same value
// twice (a try whose answer was lost) leaves the same state.
func (s *CrawlState) Put(ctx context.Context, key string, value []byte) error {
	err := retry(ctx, s.budget, func(ctx context.Context) error {
		_, err := s.kv.Put(ctx, key, value)
		return err
	})
	if err != nil {
		return fmt.Errorf("putting %s: %w", key, err)
	}
	return nil
}
