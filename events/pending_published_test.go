package events_test

import (
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/events"
)

// TestPendingCountsAnEventAtOnceAfterItsPublish checks that Pending counts
// an event as soon as its publish returned. The server acks a publish
// before it tells the stream's consumers about the new message (on another
// goroutine), so the consumer's own pending count can lag behind for a
// moment; a caller waiting for "nothing pending" (the tests' waitIndexed)
// then went on before the event was indexed.
func TestPendingCountsAnEventAtOnceAfterItsPublish(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	in := newInspector(t, srv.ClientURL())
	// A durable that exists and fetches nothing: every event stays pending.
	const durable = "idle"
	if _, err := in.js.CreateOrUpdateConsumer(ctx, events.DefaultStream, jetstream.ConsumerConfig{
		Durable: durable, DeliverPolicy: jetstream.DeliverAllPolicy, AckPolicy: jetstream.AckExplicitPolicy,
	}); err != nil {
		t.Fatalf("creating consumer %s: %v", durable, err)
	}
	for i, ev := range articleEvents(300) {
		publish(ctx, t, bus, ev)
		if got, want := pending(ctx, t, bus, durable), uint64(i+1); got != want {
			t.Fatalf("Pending right after publish %d = %d, want %d", i+1, got, want)
		}
	}
}
