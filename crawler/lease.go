package crawler

import (
	"context"
	"fmt"
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

// Lease is one held lease. Renew extends it by its ttl and fails when the
// lease was lost (expired and taken by another instance); Release gives it
// up.
type Lease interface {
	Renew(ctx context.Context) error
	Release(ctx context.Context) error
}

// DefaultLeaseTTL is how long a source lease lasts without renewal. A pass
// renews it every third of that, so only a crashed or frozen instance loses
// it.
const DefaultLeaseTTL = 2 * time.Minute

// leaseName is the lease key of a source.
func leaseName(source string) string { return "lease.source." + source }

// leases holds the sources' leases of one pass and keeps them alive.
type leases struct {
	held map[string]Lease // by source name
	stop chan struct{}
	done chan struct{} // closed when the renewing goroutine ended; nil if none ran
}

// acquireLeases takes the lease of every site it can. It returns the sites
// this instance may crawl, and for the others who holds them.
func (c *Crawler) acquireLeases(ctx context.Context, sites []*site) ([]*site, map[string]string, *leases, error) {
	l := &leases{held: make(map[string]Lease), stop: make(chan struct{})}
	if c.leaser == nil {
		return sites, nil, l, nil
	}
	var mine []*site
	others := make(map[string]string)
	for _, s := range sites {
		lease, holder, err := c.leaser.Acquire(ctx, leaseName(s.name), c.opts.LeaseTTL)
		if err != nil {
			l.release(context.WithoutCancel(ctx))
			return nil, nil, nil, fmt.Errorf("acquiring lease of source %s: %w", s.name, err)
		}
		if lease == nil {
			others[s.name] = holder
			continue
		}
		l.held[s.name] = lease
		mine = append(mine, s)
	}
	return mine, others, l, nil
}

// keepAlive renews the leases every ttl/3 until release; a lease that
// cannot be renewed calls lost, which ends the pass: another instance may
// already be crawling the source.
func (l *leases) keepAlive(ctx context.Context, ttl time.Duration, lost func(error)) {
	if len(l.held) == 0 {
		return
	}
	l.done = make(chan struct{})
	go func() {
		defer close(l.done)
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				for name, lease := range l.held {
					if err := lease.Renew(ctx); err != nil && ctx.Err() == nil {
						lost(fmt.Errorf("renewing lease of source %s: %w", name, err))
						return
					}
				}
			}
		}
	}()
}

// release stops the renewals and gives every lease up. A release that fails
// is harmless: the lease expires by itself.
func (l *leases) release(ctx context.Context) {
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	if l.done != nil {
		<-l.done
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for _, lease := range l.held {
		_ = lease.Release(ctx)
	}
}
