package events_test

import (
	"context"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/internal/testenv"
)

func TestLeaseRenewalRidesOutAServerRestart(t *testing.T) {
	ctx := testContext(t)
	srv := testenv.RestartableNATS(t)
	open := func(instance string) *events.CrawlState {
		s, err := connectBudget(ctx, t, srv.URL(), 30*time.Second).CrawlState(ctx, events.CrawlStateOptions{Instance: instance})
		if err != nil {
			t.Fatalf("CrawlState: %v", err)
		}
		return s
	}
	a, b := open("crawler-a"), open("crawler-b")
	lease, _, err := a.Acquire(ctx, "lease.source.daily", time.Minute)
	if err != nil || lease == nil {
		t.Fatalf("Acquire = %v, %v; want the lease", lease, err)
	}

	srv.Stop()
	done := result(func() error { return lease.Renew(context.WithoutCancel(ctx)) })
	time.Sleep(outage) // the outage
	srv.Start()

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Renew across a server restart: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Renew did not return after the server came back")
	}
	// Still ours: renewable again, refused to another instance.
	if err := lease.Renew(ctx); err != nil {
		t.Fatalf("Renew after the restart: %v", err)
	}
	if l, holder, err := b.Acquire(ctx, "lease.source.daily", time.Minute); err != nil || l != nil || holder != "crawler-a" {
		t.Fatalf("Acquire by another instance = %v, %q, %v; want refused, held by crawler-a", l, holder, err)
	}
}

func TestLeaseRecordsWhenItsHolderLastRenewedIt(t *testing.T) {
	ctx := testContext(t)
	url := testenv.NATS(t)
	clock := &fakeClock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	s, err := connect(ctx, t, url).CrawlState(ctx, events.CrawlStateOptions{Instance: "crawler-a", Now: clock.Now})
	if err != nil {
		t.Fatalf("CrawlState: %v", err)
	}
	if _, found, err := s.LeaseHolder(ctx, "lease.source.daily"); err != nil || found {
		t.Fatalf("LeaseHolder of a free lease = found %v, %v; want not found", found, err)
	}
	lease, _, err := s.Acquire(ctx, "lease.source.daily", 2*time.Minute)
	if err != nil || lease == nil {
		t.Fatalf("Acquire = %v, %v", lease, err)
	}
	clock.Add(40 * time.Second)
	if err := lease.Renew(ctx); err != nil {
		t.Fatalf("Renew: %v", err)
	}
	h, found, err := s.LeaseHolder(ctx, "lease.source.daily")
	if err != nil || !found {
		t.Fatalf("LeaseHolder = found %v, %v", found, err)
	}
	renewed := clock.Now()
	if h.Instance != "crawler-a" || !h.Renewed.Equal(renewed) || !h.Expires.Equal(renewed.Add(2*time.Minute)) {
		t.Errorf("LeaseHolder = %+v; want crawler-a, renewed %s, expiring 2m later", h, renewed)
	}
}
