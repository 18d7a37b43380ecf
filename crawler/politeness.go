package crawler

import (
	"context"
	"sync"
	"time"
)

// MaxCrawlDelay caps a robots.txt Crawl-delay: a site asking for an hour
// between requests is crawled once a minute, at most, and never faster.
const MaxCrawlDelay = time.Minute

// gate spaces the starts of requests to one host by at least the pass's
// delay, or the host's robots.txt Crawl-delay when longer, and holds every
// request to a host back until a Retry-After it sent has passed.
//
// It replaces the Delay of colly's LimitRule, which sleeps after every request
// while holding its slot and ignores cancellation: with a 1s delay and a
// hundred queued links, Ctrl-C would take fifty seconds to drain. Waiting
// here is cancellable, so a cancelled pass ends at once.
type gate struct {
	delay     time.Duration
	mu        sync.Mutex
	next      map[string]time.Time     // host -> earliest start of the next request
	hostDelay map[string]time.Duration // host -> robots.txt Crawl-delay
}

func newGate(delay time.Duration) *gate {
	return &gate{delay: delay, next: make(map[string]time.Time), hostDelay: make(map[string]time.Duration)}
}

// setCrawlDelay records a host's robots.txt Crawl-delay (capped), read
// as robots.txt arrives: the next request starts the delay after that,
// so the site sees at least the delay between the two requests however
// long the first took to reach it (a new connection's handshake).
func (g *gate) setCrawlDelay(host string, d time.Duration) {
	d = min(d, MaxCrawlDelay)
	g.mu.Lock()
	g.hostDelay[host] = d
	if at := time.Now().Add(d); at.After(g.next[host]) {
		g.next[host] = at
	}
	g.mu.Unlock()
}

// holdUntil keeps every request to host waiting until t (a Retry-After).
func (g *gate) holdUntil(host string, t time.Time) {
	g.mu.Lock()
	if t.After(g.next[host]) {
		g.next[host] = t
	}
	g.mu.Unlock()
}

// wait reserves the next start time for host and sleeps until then. It
// returns ctx's error if ctx ends first.
func (g *gate) wait(ctx context.Context, host string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	g.mu.Lock()
	delay := max(g.delay, g.hostDelay[host])
	now := time.Now()
	at := g.next[host]
	if at.Before(now) {
		at = now
	}
	if delay > 0 || g.next[host].After(now) {
		g.next[host] = at.Add(delay)
	}
	g.mu.Unlock()

	if d := time.Until(at); d > 0 {
		return sleep(ctx, d)
	}
	return nil
}
