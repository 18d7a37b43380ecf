package crawler

import (
	"context"
	"sync"

	"github.com/gocolly/colly/v2"
)

// Parse costs estimate the peak memory of reading a body as a multiple
// of its size: an HTML DOM costs about 20 bytes per byte of a deeply
// nested page, and a parser's working copies about as much again; gofeed
// holds a feed's items as strings; a sitemap is streamed.
const (
	htmlCostFactor    = 40
	feedCostFactor    = 8
	sitemapCostFactor = 2
)

// memory keeps a pass within Options.MemoryBudget. Two things hold memory
// in a pass: response bodies in hand (downloaded, or being downloaded,
// and not yet done with) and parses. colly releases a domain's slot as
// soon as a body is read, so without a bound every page of every domain
// could sit in memory waiting for its parse, and every parse run at once.
//
//   - bodies bounds the responses in hand: a slot is taken when a response's
//     headers arrive (OnResponseHeaders), before its body is read, and
//     given back when colly is done with it (OnScraped or OnError). Half the
//     budget is theirs: each may hold 2·MaxBodyBytes while it is read. The
//     wait for a slot counts against that request's Timeout.
//   - parses bounds the parses (MaxParses at once) and their estimated
//     cost (a multiple of the body, at most the other half of the budget):
//     a large page waits until it fits; small ones run side by side.
type memory struct {
	bodies chan struct{}
	held   sync.Map // *colly.Request -> struct{}: those holding a body slot
	slots  chan struct{}
	cost   *weighted
}

func newMemory(o Options) *memory {
	half := o.MemoryBudget / 2
	n := max(int(half/(2*int64(o.MaxBodyBytes))), o.MaxParses+2)
	return &memory{
		bodies: make(chan struct{}, n),
		slots:  make(chan struct{}, o.MaxParses),
		cost:   newWeighted(max(half, 1)),
	}
}

// takeBody takes a body slot for r, or returns false when ctx ended.
func (m *memory) takeBody(ctx context.Context, r *colly.Request) bool {
	select {
	case m.bodies <- struct{}{}:
		m.held.Store(r, struct{}{})
		return true
	case <-ctx.Done():
		return false
	}
}

// doneBody gives r's body slot back, if it holds one.
func (m *memory) doneBody(r *colly.Request) {
	if _, ok := m.held.LoadAndDelete(r); ok {
		<-m.bodies
	}
}

// parse runs f once a parse slot and the memory for reading a body of n
// bytes (times factor) are free; it returns false, without running f, when
// ctx ended first.
func (m *memory) parse(ctx context.Context, n, factor int, f func()) bool {
	select {
	case m.slots <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	defer func() { <-m.slots }()
	cost := min(int64(n)*int64(factor), m.cost.size)
	if !m.cost.acquire(ctx, cost) {
		return false
	}
	defer m.cost.release(cost)
	f()
	return true
}

// weighted is a FIFO weighted semaphore: a large request is not starved
// by a stream of small ones.
type weighted struct {
	size    int64
	mu      sync.Mutex
	used    int64
	waiters []*waiter
}

type waiter struct {
	n     int64
	ready chan struct{}
}

func newWeighted(size int64) *weighted { return &weighted{size: size} }

// acquire takes n (at most size), or returns false when ctx ended first.
func (w *weighted) acquire(ctx context.Context, n int64) bool {
	w.mu.Lock()
	if len(w.waiters) == 0 && w.used+n <= w.size {
		w.used += n
		w.mu.Unlock()
		return true
	}
	me := &waiter{n: n, ready: make(chan struct{})}
	w.waiters = append(w.waiters, me)
	w.mu.Unlock()
	select {
	case <-me.ready:
		return true
	case <-ctx.Done():
		w.mu.Lock()
		defer w.mu.Unlock()
		select {
		case <-me.ready: // granted meanwhile: give it back
			w.used -= n
			w.wake()
		default:
			for i, x := range w.waiters {
				if x == me {
					w.waiters = append(w.waiters[:i], w.waiters[i+1:]...)
					break
				}
			}
			w.wake() // the head may have changed
		}
		return false
	}
}

func (w *weighted) release(n int64) {
	w.mu.Lock()
	w.used -= n
	w.wake()
	w.mu.Unlock()
}

// wake grants waiters in order while they fit; w.mu is held.
func (w *weighted) wake() {
	for len(w.waiters) > 0 && w.used+w.waiters[0].n <= w.size {
		x := w.waiters[0]
		w.waiters = w.waiters[1:]
		w.used += x.n
		close(x.ready)
	}
}
