package crawler

import (
	"context"
	"sync"
	"time"
)

// gate spaces the starts of requests to one host by at least delay.
//
// It replaces the Delay of colly's LimitRule, which sleeps after every request
// while holding its slot and ignores cancellation: with a 1s delay and a
// hundred queued links, Ctrl-C would take fifty seconds to drain. Waiting
// here is cancellable, so a cancelled pass ends at once. It is also where
// Crawl-delay and Retry-After will plug in.
type gate struct {
	delay time.Duration
	mu    sync.Mutex
	next  map[string]time.Time // host -> earliest start of the next request
}

func newGate(delay time.Duration) *gate {
	return &gate{delay: delay, next: make(map[string]time.Time)}
}

// wait reserves the next start time for host and sleeps until then. It
// returns ctx's error if ctx ends first.
func (g *gate) wait(ctx context.Context, host string) error {
	if err := ctx.Err(); err != nil || g.delay <= 0 {
		return err
	}
	g.mu.Lock()
	now := time.Now()
	at := g.next[host]
	if at.Before(now) {
		at = now
	}
	g.next[host] = at.Add(g.delay)
	g.mu.Unlock()

	d := time.Until(at)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
