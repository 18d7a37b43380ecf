package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Leaser hands out leases on source names, so that of several crawler
// processes (cron runs that overlap, instances on other machines) one at a
// time crawls a source. events.CrawlState implements it on NATS KV.
//
// Acquire returns the lease, or a nil lease and the current holder when
// another instance holds it. A lease not renewed within ttl expires, so a
// crashed instance's sources are crawled again by the next pass elsewhere.
type Leaser interface {
	Acquire(ctx context.Context, name string, ttl time.Duration) (lease Lease, heldBy string, err error)
}

// HolderReader is implemented by a Leaser that can say when the holder of
// a lease last renewed it, so that a pass reports a lease whose holder
// stopped renewing (crashed, frozen, cut off) as stale instead of skipping
// the source as if it were being crawled.
type HolderReader interface {
	LeaseHolder(ctx context.Context, name string) (h Holder, found bool, err error)
}

// Holder is who holds a lease and since when it was not renewed.
type Holder struct {
	Instance string
	Renewed  time.Time // zero when unknown
	Expires  time.Time
}

// Lease is one held lease. Renew extends it by its ttl and fails when the
// lease was lost (expired and taken by another instance): the error then
// has a method LeaseLost() bool that returns true, and retrying is
// pointless. Other Renew errors (an outage) are retried while the lease
// lasts. Release gives it up.
type Lease interface {
	Renew(ctx context.Context) error
	Release(ctx context.Context) error
}

// DefaultLeaseTTL is how long a source lease lasts without renewal. A pass
// renews it every third of that, so only a crashed or frozen instance loses
// it.
const DefaultLeaseTTL = 2 * time.Minute

// Lease timing. A renewal that fails is tried again until the lease has
// only a tenth of its ttl left (renewMargin), then the lease is given up
// as lost. Release has its own bound, so a pass stopped by Ctrl-C or
// SIGTERM still gives its leases back. The next source is leased once
// the previous one's first seed was answered, or after startGap: a
// crawler that starts a moment later finds sources still free.
const (
	renewMargin    = 10 // a tenth of the ttl
	releaseTimeout = 5 * time.Second
	startGap       = 2 * time.Second
	renewRetryMax  = time.Second
)

// leaseName is the lease key of a source.
func leaseName(source string) string { return "lease.source." + source }

// leases holds the sources' leases of one pass and keeps them alive.
type leases struct {
	leaser Leaser // nil: no leases, every source is ours
	ttl    time.Duration
	log    *slog.Logger

	mu     sync.Mutex
	held   map[string]*heldLease // by source name
	others map[string]string     // source -> holder, for the sources skipped

	stop chan struct{}
	done chan struct{} // closed when the renewing goroutine ended; nil if none ran
}

// heldLease is one lease and when it runs out unless renewed.
type heldLease struct {
	lease   Lease
	expires time.Time
}

func (c *Crawler) newLeases() *leases {
	return &leases{leaser: c.leaser, ttl: c.opts.LeaseTTL, log: c.opts.Logger,
		held: make(map[string]*heldLease), others: make(map[string]string), stop: make(chan struct{})}
}

// acquire takes the lease of source; false when another instance holds it.
func (l *leases) acquire(ctx context.Context, source string) (bool, error) {
	if l.leaser == nil {
		return true, nil
	}
	lease, holder, err := l.leaser.Acquire(ctx, leaseName(source), l.ttl)
	if err != nil {
		return false, fmt.Errorf("acquiring lease of source %s: %w", source, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if lease == nil {
		l.others[source] = holder
		return false, nil
	}
	l.held[source] = &heldLease{lease: lease, expires: time.Now().Add(l.ttl)}
	return true, nil
}

// skipped is how many sources were skipped because another instance holds
// their lease.
func (l *leases) skipped() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.others)
}

// reportHeld logs each skipped source and who holds it, warning about a
// lease whose holder stopped renewing: nothing crawls that source until the
// lease expires.
func (l *leases) reportHeld(ctx context.Context) {
	l.mu.Lock()
	others := make(map[string]string, len(l.others))
	for s, h := range l.others {
		others[s] = h
	}
	l.mu.Unlock()
	reader, _ := l.leaser.(HolderReader)
	for source, holder := range others {
		if reader != nil {
			h, found, err := reader.LeaseHolder(ctx, leaseName(source))
			if err == nil && found && stale(h, time.Now()) {
				ago, left := time.Since(h.Renewed), time.Until(h.Expires)
				l.log.Warn(fmt.Sprintf("lease on source %s held by %s, last renewed %.0fs ago (stale, expires in %.0fs)",
					source, h.Instance, ago.Seconds(), left.Seconds()),
					"source", source, "holder", h.Instance, "renewed_ago", ago.Round(time.Second), "expires_in", left.Round(time.Second))
				continue
			}
		}
		l.log.Info("source is being crawled by another instance; skipping it", "source", source, "holder", holder)
	}
}

// stale reports a lease its holder has not renewed for more than half its
// ttl: a live holder renews every third.
func stale(h Holder, now time.Time) bool {
	if h.Renewed.IsZero() || !h.Expires.After(h.Renewed) {
		return false
	}
	return now.Sub(h.Renewed) > h.Expires.Sub(h.Renewed)/2
}

// keepAlive renews the leases every ttl/3 until release. A renewal that
// fails is retried while the lease lasts; a lease that is lost, or about
// to run out unrenewed, calls lost, which ends the pass: another instance
// may soon be crawling the source.
func (l *leases) keepAlive(ctx context.Context, lost func(error)) {
	if l.leaser == nil {
		return
	}
	l.done = make(chan struct{})
	go func() {
		defer close(l.done)
		t := time.NewTicker(l.ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if err := l.renewAll(ctx); err != nil && ctx.Err() == nil {
					lost(err)
					return
				}
			}
		}
	}()
}

// renewAll renews every held lease at the same time, so one that waits out
// an outage does not hold the others back, and returns the first failure.
func (l *leases) renewAll(ctx context.Context) error {
	l.mu.Lock()
	held := make(map[string]*heldLease, len(l.held))
	for s, h := range l.held {
		held[s] = h
	}
	l.mu.Unlock()
	errs := make(chan error, len(held))
	var wg sync.WaitGroup
	for source, h := range held {
		wg.Go(func() { errs <- l.renew(ctx, source, h) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// renew renews one lease, trying again after failures until only the
// margin of its ttl is left.
func (l *leases) renew(ctx context.Context, source string, h *heldLease) error {
	l.mu.Lock()
	deadline := h.expires.Add(-l.ttl / renewMargin)
	l.mu.Unlock()
	rctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	wait := 50 * time.Millisecond
	for {
		start := time.Now()
		err := h.lease.Renew(rctx)
		if err == nil {
			l.mu.Lock()
			h.expires = start.Add(l.ttl)
			l.mu.Unlock()
			return nil
		}
		if leaseLost(err) {
			return fmt.Errorf("renewing lease of source %s: %w", source, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Until(deadline) < wait {
			return fmt.Errorf("renewing lease of source %s: failed until %s before it expires, giving it up: %w",
				source, time.Until(h.expires).Round(time.Second), err)
		}
		l.log.Warn("renewing a source lease failed; retrying while it lasts", "source", source,
			"expires_in", time.Until(h.expires).Round(time.Second), "err", err)
		select {
		case <-time.After(wait/2 + rand.N(wait/2+1)):
		case <-rctx.Done():
		}
		wait = min(2*wait, renewRetryMax)
	}
}

// leaseLost reports an error that says the lease is another's now.
func leaseLost(err error) bool {
	var l interface{ LeaseLost() bool }
	return errors.As(err, &l) && l.LeaseLost()
}

// release stops the renewals and gives every lease up, with its own
// timeout: ctx may be the pass's, cancelled by Ctrl-C. A lease that cannot
// be released is logged: no instance crawls its source until it expires.
func (l *leases) release(ctx context.Context) {
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	if l.done != nil {
		<-l.done
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	l.mu.Lock()
	defer l.mu.Unlock()
	for source, h := range l.held {
		l.releaseOne(ctx, source, h.lease, h.expires)
	}
}

// crawledKey is the crawl state key that says when a pass last finished
// a source.
func crawledKey(source string) string { return "crawled.source." + source }

// crawledRecord is the value of a crawledKey.
type crawledRecord struct {
	At time.Time `json:"at"`
}

// markCrawled records, before the leases are released, that a pass
// crawled its sources, so that a crawler whose pass started earlier and
// reaches one of them after the release does not crawl it a second time.
func (l *leases) markCrawled(ctx context.Context, st states) {
	if l.leaser == nil {
		return
	}
	now := time.Now().UTC()
	l.mu.Lock()
	defer l.mu.Unlock()
	for source := range l.held {
		if err := st.put(ctx, crawledKey(source), crawledRecord{At: now}); err != nil {
			l.log.Warn("recording a crawled source failed; a crawler running beside this one may crawl it again", "source", source, "err", err)
		}
	}
}

// crawledElsewhere gives back the lease just taken on s when another pass
// finished s after this pass started: its crawl is as fresh as ours
// would be. Such a source counts as leased.
func (p *pass) crawledElsewhere(held *leases, s *site) bool {
	var rec crawledRecord
	found, err := p.state.get(p.ctx, crawledKey(s.name), &rec)
	if err != nil || !found || !rec.At.After(p.start) {
		return false
	}
	held.drop(p.ctx, s.name, "another instance, which crawled it at "+rec.At.Format(time.RFC3339)+" during this pass")
	return true
}

// drop releases the lease of source at once and counts the source as
// held by holder.
func (l *leases) drop(ctx context.Context, source, holder string) {
	l.mu.Lock()
	h := l.held[source]
	delete(l.held, source)
	l.others[source] = holder
	var expires time.Time
	if h != nil {
		expires = h.expires
	}
	l.mu.Unlock()
	if h == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	l.releaseOne(ctx, source, h.lease, expires)
}

// releaseOne gives one lease up, logging a failure: no crawler takes the
// source until the lease expires.
func (l *leases) releaseOne(ctx context.Context, source string, lease Lease, expires time.Time) {
	if err := lease.Release(ctx); err != nil {
		l.log.Warn("releasing a source lease failed; no crawler takes the source until the lease expires",
			"source", source, "expires_in", time.Until(expires).Round(time.Second), "err", err)
	}
}

// startSources leases the sources one at a time, starting each as soon as
// its lease is taken, and returns those it started. The next lease is
// taken once the previous source's first seed was answered (or after
// startGap), so two crawlers started together share the sources instead
// of the first taking them all in a few milliseconds. A failure to
// acquire a lease stops the pass.
func (p *pass) startSources(held *leases, sites []*site) []*site {
	var mine []*site
	for i, s := range sites {
		if p.ctx.Err() != nil {
			break
		}
		ok, err := held.acquire(p.ctx, s.name)
		if err != nil {
			p.abort(err)
			break
		}
		if !ok || p.crawledElsewhere(held, s) {
			p.budget.release(s.name) // not ours to crawl: its share is the others'
			continue
		}
		mine = append(mine, s)
		if p.opts.State != nil {
			q := p.loadQueue(s)
			p.mu.Lock()
			p.queues[s.name] = q
			p.mu.Unlock()
		}
		answered := p.seedWatch(s)
		for _, seed := range s.seeds {
			p.visit(s, seed, s.col.Visit)
		}
		if held.leaser != nil && i < len(sites)-1 {
			select {
			case <-answered:
			case <-time.After(startGap):
			case <-p.ctx.Done():
			}
		}
	}
	return mine
}

// seedSignal is closed once, when a site's first seed is answered.
type seedSignal struct {
	once sync.Once
	ch   chan struct{}
}

func (p *pass) seedSignal(s *site) *seedSignal {
	v, _ := p.seedAnswered.LoadOrStore(s.name, &seedSignal{ch: make(chan struct{})})
	return v.(*seedSignal)
}

// seedWatch returns a channel closed when the first seed of s is answered.
func (p *pass) seedWatch(s *site) <-chan struct{} { return p.seedSignal(s).ch }

// seedDone marks the first seed of s answered, with a page or an error.
func (p *pass) seedDone(s *site) {
	sig := p.seedSignal(s)
	sig.once.Do(func() { close(sig.ch) })
}
