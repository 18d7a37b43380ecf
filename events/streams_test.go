package events_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/events"
	"newsdesk/internal/testenv"
)

// streamConfig is the article stream's configuration as the server holds it.
func (in *inspector) streamConfig(ctx context.Context, t *testing.T, name string) jetstream.StreamConfig {
	t.Helper()
	s, err := in.js.Stream(ctx, name)
	if err != nil {
		t.Fatalf("reading stream %s: %v", name, err)
	}
	return s.CachedInfo().Config
}

// connectWith opens a Bus with opts on url and closes it at the end of the test.
func connectWith(ctx context.Context, t *testing.T, url string, opts events.Options) (*events.Bus, error) {
	t.Helper()
	opts.URL = url
	opts.Name = t.Name()
	bus, err := events.Connect(ctx, opts)
	if err == nil {
		t.Cleanup(bus.Close)
	}
	return bus, err
}

// A process with another max_age (NEWSDESK_NATS_MAX_AGE=15m newsdesk
// subscribe) must not purge the stream it connects to, whatever its stream
// setup.
func TestConnectLeavesExistingStreamsAsTheyAre(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	in := newInspector(t, srv.ClientURL())
	if _, err := connectWith(ctx, t, srv.ClientURL(), events.Options{Replicas: 1, MaxAge: 720 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	before := in.streamConfig(ctx, t, events.DefaultStream)
	if before.MaxAge != 720*time.Hour {
		t.Fatalf("stream created with max_age %s, want 720h", before.MaxAge)
	}
	for _, setup := range []events.StreamSetup{events.CreateMissingStreams, events.RequireStreams, events.SkipStreams} {
		_, err := connectWith(ctx, t, srv.ClientURL(), events.Options{MaxAge: 15 * time.Minute,
			MaxBytes: 1 << 20, DuplicateWindow: time.Minute, Streams: setup})
		if err != nil {
			t.Fatalf("Connect with setup %d: %v", setup, err)
		}
		for _, name := range []string{events.DefaultStream, events.DefaultAlertStream, events.DefaultDeadLetterStream} {
			after := in.streamConfig(ctx, t, name)
			if after.MaxAge != 720*time.Hour || after.MaxBytes != -1 || after.Duplicates != events.DefaultDuplicateWindow {
				t.Errorf("setup %d: stream %s changed to max_age %s, max_bytes %d, duplicates %s",
					setup, name, after.MaxAge, after.MaxBytes, after.Duplicates)
			}
		}
	}
}

// A read-only command on a server without the streams fails, naming them,
// and creates nothing.
func TestConnectRequireStreamsCreatesNothing(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	_, err := connectWith(ctx, t, srv.ClientURL(), events.Options{Streams: events.RequireStreams})
	if !errors.Is(err, events.ErrStreamMissing) || !strings.Contains(err.Error(), events.DefaultStream) {
		t.Fatalf("Connect on a fresh server = %v, want ErrStreamMissing naming %s", err, events.DefaultStream)
	}
	in := newInspector(t, srv.ClientURL())
	if _, err := in.js.Stream(ctx, events.DefaultStream); !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Errorf("stream %s after a failed read-only Connect: %v, want not found", events.DefaultStream, err)
	}
}

// ApplyStreams grows a stream on its own, refuses to shrink it (saying how)
// unless allowed, and a dry run changes nothing.
func TestApplyStreamsRefusesToShrinkUnlessAllowed(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	in := newInspector(t, srv.ClientURL())
	if _, err := connectWith(ctx, t, srv.ClientURL(), events.Options{Replicas: 1, MaxAge: 720 * time.Hour}); err != nil {
		t.Fatal(err)
	}

	grow, err := connectWith(ctx, t, srv.ClientURL(), events.Options{MaxAge: 1000 * time.Hour, Streams: events.SkipStreams})
	if err != nil {
		t.Fatal(err)
	}
	changes, err := grow.ApplyStreams(ctx, events.ApplyOptions{})
	if err != nil {
		t.Fatalf("ApplyStreams growing max_age: %v", err)
	}
	if len(changes) != 3 || changes[0].String() != "stream NEWSDESK_ARTICLES: max_age 720h → 1000h" {
		t.Errorf("changes = %v, want max_age 720h → 1000h on each stream", changes)
	}
	if got := in.streamConfig(ctx, t, events.DefaultStream).MaxAge; got != 1000*time.Hour {
		t.Errorf("max_age after growing = %s, want 1000h", got)
	}

	shrink, err := connectWith(ctx, t, srv.ClientURL(), events.Options{MaxAge: 15 * time.Minute,
		MaxBytes: 1 << 20, Storage: "memory", Streams: events.SkipStreams})
	if err != nil {
		t.Fatal(err)
	}
	_, err = shrink.ApplyStreams(ctx, events.ApplyOptions{})
	want := "stream NEWSDESK_ARTICLES: max_age 1000h → 15m, max_bytes none → 1048576, storage file → memory would shrink it"
	if !errors.Is(err, events.ErrShrink) || !strings.Contains(err.Error(), want) {
		t.Fatalf("ApplyStreams shrinking = %v, want ErrShrink saying %q", err, want)
	}
	if _, err := shrink.ApplyStreams(ctx, events.ApplyOptions{AllowShrink: true, DryRun: true}); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if got := in.streamConfig(ctx, t, events.DefaultStream); got.MaxAge != 1000*time.Hour || got.MaxBytes != -1 {
		t.Fatalf("stream after a refused shrink and a dry run: max_age %s, max_bytes %d; want unchanged", got.MaxAge, got.MaxBytes)
	}

	// Storage cannot change in place; the rest shrinks when allowed.
	allowed, err := connectWith(ctx, t, srv.ClientURL(), events.Options{MaxAge: 15 * time.Minute,
		MaxBytes: 1 << 20, Streams: events.SkipStreams})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := allowed.ApplyStreams(ctx, events.ApplyOptions{AllowShrink: true}); err != nil {
		t.Fatalf("ApplyStreams with AllowShrink: %v", err)
	}
	if got := in.streamConfig(ctx, t, events.DefaultStream); got.MaxAge != 15*time.Minute || got.MaxBytes != 1<<20 {
		t.Errorf("stream after an allowed shrink: max_age %s, max_bytes %d; want 15m, 1048576", got.MaxAge, got.MaxBytes)
	}
}

// Several indexers and crawlers started together on an empty cluster all
// set up the same streams and bucket at once; every one must succeed.
func TestConcurrentFirstStartOnAFreshCluster(t *testing.T) {
	ctx := testContext(t)
	cluster := testenv.Cluster(t, 3)
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			bus, err := events.Connect(ctx, events.Options{URL: cluster.ClientURLs(), Name: "starter",
				Replicas: 3, Streams: events.SkipStreams})
			if err != nil {
				errs[i] = err
				return
			}
			defer bus.Close()
			if _, err := bus.ApplyStreams(ctx, events.ApplyOptions{}); err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = bus.CrawlState(ctx, events.CrawlStateOptions{Replicas: 3})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("starter %d: %v", i, err)
		}
	}
	in := newInspector(t, cluster.ClientURLs())
	for _, name := range []string{events.DefaultStream, events.DefaultAlertStream, events.DefaultDeadLetterStream, "KV_" + events.DefaultCrawlBucket} {
		if got := in.streamConfig(ctx, t, name).Replicas; got != 3 {
			t.Errorf("stream %s has %d replicas, want 3", name, got)
		}
	}
}

// A crawler with replicas 1 opening the crawl state of a cluster must not
// lower the bucket's replicas.
func TestCrawlStateNeverLowersReplicas(t *testing.T) {
	ctx := testContext(t)
	cluster := testenv.Cluster(t, 3)
	for _, replicas := range []int{3, 1} {
		bus, err := connectWith(ctx, t, cluster.ClientURLs(), events.Options{Replicas: replicas})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bus.CrawlState(ctx, events.CrawlStateOptions{Replicas: replicas}); err != nil {
			t.Fatalf("CrawlState with replicas %d: %v", replicas, err)
		}
	}
	in := newInspector(t, cluster.ClientURLs())
	for _, name := range []string{events.DefaultStream, "KV_" + events.DefaultCrawlBucket} {
		if got := in.streamConfig(ctx, t, name).Replicas; got != 3 {
			t.Errorf("%s has %d replicas after a replicas-1 client, want 3", name, got)
		}
	}
}
