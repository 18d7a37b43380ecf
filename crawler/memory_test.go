package crawler

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
)

// pollMem waits until cond holds, failing the test after a deadline.
func pollMem(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestMemoryBoundsConcurrentParses(t *testing.T) {
	m := newMemory(Options{MaxParses: 2, MemoryBudget: 1 << 30, MaxBodyBytes: 1 << 20})
	var called, active, done atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			called.Add(1)
			m.parse(context.Background(), 100, htmlCostFactor, func() {
				if n := active.Add(1); n > 2 {
					t.Errorf("%d parses at once, want at most MaxParses=2", n)
				}
				<-release
				active.Add(-1)
				done.Add(1)
			})
		})
	}
	pollMem(t, "two parses running and four waiting", func() bool { return called.Load() == 6 && active.Load() == 2 })
	close(release)
	wg.Wait()
	if done.Load() != 6 {
		t.Errorf("%d parses ran, want 6", done.Load())
	}
}

func TestMemoryWaitsForRoomForALargePage(t *testing.T) {
	// 1 MiB of budget for parses: a 20 KiB page (800 KiB at 40x) leaves
	// no room for a second one until it is done.
	m := newMemory(Options{MaxParses: 4, MemoryBudget: 2 << 20, MaxBodyBytes: 1 << 10})
	hold := make(chan struct{})
	first := make(chan struct{})
	go m.parse(context.Background(), 20<<10, htmlCostFactor, func() { close(first); <-hold })
	<-first
	second := make(chan bool, 1)
	go func() { second <- m.parse(context.Background(), 20<<10, htmlCostFactor, func() {}) }()
	pollMem(t, "the second page to wait for memory", func() bool {
		m.cost.mu.Lock()
		defer m.cost.mu.Unlock()
		return len(m.cost.waiters) == 1
	})
	close(hold)
	if !<-second {
		t.Error("the second page did not run once memory was free")
	}
}

func TestWeightedIsFIFOAndCancellable(t *testing.T) {
	w := newWeighted(10)
	if !w.acquire(context.Background(), 8) {
		t.Fatal("first acquire failed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	big := make(chan bool, 1)
	go func() { big <- w.acquire(ctx, 5) }()
	waiters := func(n int) func() bool {
		return func() bool { w.mu.Lock(); defer w.mu.Unlock(); return len(w.waiters) == n }
	}
	pollMem(t, "the big request to queue", waiters(1))
	small := make(chan bool, 1)
	go func() { small <- w.acquire(context.Background(), 1) }() // fits, but must queue behind big
	pollMem(t, "the small request to queue behind it", waiters(2))
	cancel()
	if <-big {
		t.Error("a cancelled acquire succeeded")
	}
	if !<-small {
		t.Error("the small request was not granted once the big one left")
	}
	w.release(8)
	w.release(1)
	if w.used != 0 {
		t.Errorf("used = %d after all releases, want 0", w.used)
	}
}

func TestMemoryBoundsBodiesInHand(t *testing.T) {
	// Half of 8 MiB for bodies of up to 2 MiB (4 MiB while read): one body
	// by the budget, but never fewer than MaxParses+2.
	m := newMemory(Options{MaxParses: 1, MemoryBudget: 8 << 20, MaxBodyBytes: 2 << 20})
	if cap(m.bodies) != 3 {
		t.Fatalf("%d body slots, want MaxParses+2 = 3", cap(m.bodies))
	}
	reqs := []*colly.Request{{}, {}, {}}
	for _, r := range reqs {
		if !m.takeBody(context.Background(), r) {
			t.Fatal("a free body slot was refused")
		}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if m.takeBody(cancelled, &colly.Request{}) {
		t.Error("a fourth body was taken while three are in hand")
	}
	m.doneBody(&colly.Request{}) // holds none: gives nothing back
	m.doneBody(reqs[0])
	m.doneBody(reqs[0]) // twice: once only
	if !m.takeBody(context.Background(), &colly.Request{}) {
		t.Error("no body slot after one was given back")
	}
	if m.takeBody(cancelled, &colly.Request{}) {
		t.Error("a slot was given back twice")
	}
}
