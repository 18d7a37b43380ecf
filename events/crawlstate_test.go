package events_test

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/internal/testenv"
)

// fakeClock is a settable clock, so lease expiry is tested without sleeping.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestCrawlStateSurvivesReconnectAndIsShared(t *testing.T) {
	ctx := testContext(t)
	url := testenv.NATS(t)
	a, err := connect(ctx, t, url).CrawlState(ctx, events.CrawlStateOptions{})
	if err != nil {
		t.Fatalf("CrawlState: %v", err)
	}
	if v, err := a.Get(ctx, "page.missing"); err != nil || v != nil {
		t.Fatalf("Get of a missing key = %q, %v; want nil, nil", v, err)
	}
	if err := a.Put(ctx, "page.abc", []byte(`{"etag":"x"}`)); err != nil {
		t.Fatalf("Put: %v", err)
	}
	// Another connection, as another crawler process would have.
	b, err := connect(ctx, t, url).CrawlState(ctx, events.CrawlStateOptions{})
	if err != nil {
		t.Fatalf("second CrawlState: %v", err)
	}
	if v, err := b.Get(ctx, "page.abc"); err != nil || !bytes.Equal(v, []byte(`{"etag":"x"}`)) {
		t.Errorf("Get from another connection = %q, %v", v, err)
	}
	if err := b.Put(ctx, "page.abc", []byte(`{"etag":"y"}`)); err != nil {
		t.Fatalf("overwriting Put: %v", err)
	}
	if v, _ := a.Get(ctx, "page.abc"); !bytes.Equal(v, []byte(`{"etag":"y"}`)) {
		t.Errorf("after overwrite Get = %q", v)
	}
}

func TestLeaseIsExclusiveRenewableAndExpires(t *testing.T) {
	ctx := testContext(t)
	url := testenv.NATS(t)
	clock := &fakeClock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	open := func(instance string) *events.CrawlState {
		s, err := connect(ctx, t, url).CrawlState(ctx, events.CrawlStateOptions{Instance: instance, Now: clock.Now})
		if err != nil {
			t.Fatalf("CrawlState: %v", err)
		}
		return s
	}
	a, b := open("crawler-a"), open("crawler-b")
	const ttl = time.Minute

	la, holder, err := a.Acquire(ctx, "lease.source.daily", ttl)
	if err != nil || la == nil || holder != "" {
		t.Fatalf("first Acquire = %v, %q, %v; want the lease", la, holder, err)
	}
	if lb, holder, err := b.Acquire(ctx, "lease.source.daily", ttl); err != nil || lb != nil || holder != "crawler-a" {
		t.Fatalf("second Acquire = %v, %q, %v; want refused, held by crawler-a", lb, holder, err)
	}
	// Renewing keeps it: 50s later plus a renewal, then 50s more, it is
	// still a's.
	clock.Add(50 * time.Second)
	if err := la.Renew(ctx); err != nil {
		t.Fatalf("Renew: %v", err)
	}
	clock.Add(50 * time.Second)
	if lb, _, _ := b.Acquire(ctx, "lease.source.daily", ttl); lb != nil {
		t.Fatal("b took a renewed lease")
	}
	// a crashes: no renewal. After the ttl b takes over, and a learns it.
	clock.Add(ttl)
	lb, holder, err := b.Acquire(ctx, "lease.source.daily", ttl)
	if err != nil || lb == nil {
		t.Fatalf("Acquire of an expired lease = %v, %q, %v; want it taken over", lb, holder, err)
	}
	if err := la.Renew(ctx); !errors.Is(err, events.ErrLeaseLost) {
		t.Errorf("Renew of a lost lease = %v, want ErrLeaseLost", err)
	}
	if err := la.Release(ctx); err == nil {
		t.Error("Release of a lost lease succeeded: it would have freed b's lease")
	}
	// Released, it is free at once.
	if err := lb.Release(ctx); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if l, holder, err := a.Acquire(ctx, "lease.source.daily", ttl); err != nil || l == nil {
		t.Fatalf("Acquire after release = %v, %q, %v", l, holder, err)
	}
}

func TestLeaseRaceHasOneWinner(t *testing.T) {
	ctx := testContext(t)
	url := testenv.NATS(t)
	const n = 8
	states := make([]*events.CrawlState, n)
	for i := range states {
		s, err := connect(ctx, t, url).CrawlState(ctx, events.CrawlStateOptions{})
		if err != nil {
			t.Fatalf("CrawlState: %v", err)
		}
		states[i] = s
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, refused := 0, 0
	for _, s := range states {
		wg.Go(func() {
			l, holder, err := s.Acquire(ctx, "lease.source.race", time.Minute)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Errorf("Acquire: %v", err)
			case l != nil:
				won++
			case holder != "":
				refused++
			}
		})
	}
	wg.Wait()
	if won != 1 || refused != n-1 {
		t.Errorf("%d instances won the lease and %d were refused with a holder; want 1 and %d", won, refused, n-1)
	}
}
