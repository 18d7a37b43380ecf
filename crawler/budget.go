package crawler

import (
	"sync"
	"sync/atomic"
)

// pageBudget is a pass's page budget (MaxPages), shared fairly between
// its sources: a page is taken when its link is queued, so without shares
// a sitemap of thousands of entries would spend the whole budget in
// milliseconds and leave nothing for the other publishers. Each source
// has MaxPages/sources pages of its own; what it does not use goes back
// to a common pool when it is done (or not crawled by this instance), for
// the sources still crawling.
type pageBudget struct {
	pool   atomic.Int64             // pages any source may take
	shares map[string]*atomic.Int64 // source -> pages only it may take; read-only once split
	warned sync.Once
}

func newPageBudget(maxPages int) *pageBudget {
	b := &pageBudget{shares: map[string]*atomic.Int64{}}
	b.pool.Store(int64(maxPages))
	return b
}

// split gives each site its share of the pool; the remainder of the
// division stays in the pool. It must run before any page is taken.
func (b *pageBudget) split(sites []*site) {
	if len(sites) == 0 {
		return
	}
	total := b.pool.Load()
	each := total / int64(len(sites))
	for _, s := range sites {
		sh := &atomic.Int64{}
		sh.Store(each)
		b.shares[s.name] = sh
	}
	b.pool.Store(total - each*int64(len(sites)))
}

// take takes one page for the source, from its share first, then from
// the pool; false when both are spent.
func (b *pageBudget) take(source string) bool {
	if sh := b.shares[source]; sh != nil && decrement(sh) {
		return true
	}
	return decrement(&b.pool)
}

// give returns a page taken for the source that was not requested.
func (b *pageBudget) give(source string) {
	if sh := b.shares[source]; sh != nil {
		sh.Add(1)
		return
	}
	b.pool.Add(1)
}

// left reports whether the source could still take a page.
func (b *pageBudget) left(source string) bool {
	if sh := b.shares[source]; sh != nil && sh.Load() > 0 {
		return true
	}
	return b.pool.Load() > 0
}

// release hands what is left of the source's share to the pool: the
// source is done, or is not crawled in this pass.
func (b *pageBudget) release(source string) {
	if sh := b.shares[source]; sh != nil {
		b.pool.Add(sh.Swap(0))
	}
}

// decrement takes one from n unless it is spent.
func decrement(n *atomic.Int64) bool {
	for {
		v := n.Load()
		if v <= 0 {
			return false
		}
		if n.CompareAndSwap(v, v-1) {
			return true
		}
	}
}
