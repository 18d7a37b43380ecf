package events_test

import (
	"testing"
	"time"

	"newsdesk/events"
)

// TestConsumerStatsAndDeadLetterCount publishes three events, one of which
// the sink refuses for good, and reads the backlog and the dead letters as
// the metrics and `newsdesk doctor` do.
func TestConsumerStatsAndDeadLetterCount(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	if !bus.Connected() {
		t.Fatal("Connected() is false on a fresh connection")
	}
	if n, err := bus.DeadLetterCount(ctx); err != nil || n != 0 {
		t.Fatalf("DeadLetterCount before anything: %d, %v", n, err)
	}
	evs := articleEvents(3)
	sink := newMemSink()
	sink.refuse[evs[2].Data.ID] = true
	publish(ctx, t, bus, evs...)
	stop := consume(ctx, t, bus, events.ConsumeOptions{Durable: "indexer", MaxWait: 50 * time.Millisecond}, sink)
	sink.waitFor(ctx, t, "two docs stored", hasDocs(2))

	deadline := time.Now().Add(30 * time.Second)
	for {
		stats, err := bus.ConsumerStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		dlq, err := bus.DeadLetterCount(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(stats) == 1 && stats[0].Name == "indexer" && stats[0].Pending == 0 && stats[0].AckPending == 0 && dlq == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumers %+v, dead letters %d; want indexer with nothing pending and 1 dead letter", stats, dlq)
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	srv.Shutdown()
	deadline = time.Now().Add(30 * time.Second)
	for bus.Connected() {
		if time.Now().After(deadline) {
			t.Fatal("Connected() still true after the server shut down")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
