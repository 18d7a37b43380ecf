package events_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/internal/testenv"
)

// Two indexers start at once while the cluster cannot elect a stream leader
// (two of three nodes down, as after a rack restart): both create the same
// durable consumer, which the cluster cannot do until a node is back. Each
// must wait that out within the retry budget and then consume, not exit.
func TestIndexersStartedDuringAnElectionBothConsume(t *testing.T) {
	ctx := testContext(t)
	cluster := testenv.Cluster(t, 3)
	setup, err := events.Connect(ctx, events.Options{URL: cluster.ClientURLs(), Name: "setup", Replicas: 3, RetryBudget: 30 * time.Second})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	defer setup.Close()
	cluster.Kill(1)
	cluster.Kill(2)

	const n = 2
	sink := newMemSink()
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, n)
	ended := make(chan int, n) // an indexer that returned before being stopped
	for i := range n {
		bus, err := events.Connect(ctx, events.Options{URL: cluster.ClientURLs(), Name: fmt.Sprintf("indexer-%d", i),
			Streams: events.SkipStreams, RetryBudget: 30 * time.Second})
		if err != nil {
			t.Fatalf("Connect: %v", err)
		}
		defer bus.Close()
		wg.Go(func() {
			errs[i] = bus.Consume(cctx, fastConsume(), sink)
			ended <- i
		})
	}
	time.Sleep(outage) // the outage itself, shorter than the budget
	cluster.Restart(1)
	cluster.Restart(2)

	publish(ctx, t, setup, articleEvents(4)...)
	eventually(ctx, t, "the events stored by the indexers", func() bool {
		select {
		case i := <-ended:
			t.Fatalf("indexer %d stopped during the outage: %v", i, errs[i])
		default:
		}
		sink.mu.Lock()
		defer sink.mu.Unlock()
		return hasDocs(4)(sink)
	})
	cancel()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("indexer %d: %v", i, err)
		}
	}
}
