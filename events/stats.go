package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// ConsumerStat is one durable consumer of the article stream, for metrics
// and `newsdesk doctor`.
type ConsumerStat struct {
	Name        string
	Pending     uint64 // not yet delivered
	AckPending  uint64 // delivered and not yet acknowledged
	Redelivered uint64 // delivered more than once, not yet acknowledged
	Replicas    int    // 0: the stream's
}

// Connected reports whether the connection to NATS is up right now (not
// reconnecting, not closed): what a readiness probe asks.
func (b *Bus) Connected() bool { return b.nc.IsConnected() }

// ConsumerStats lists the durable consumers of the article stream with
// their backlogs, in the server's order.
func (b *Bus) ConsumerStats(ctx context.Context) ([]ConsumerStat, error) {
	stream, err := b.js.Stream(ctx, b.stream)
	if err != nil {
		return nil, fmt.Errorf("reading stream %s: %w", b.stream, err)
	}
	var out []ConsumerStat
	lister := stream.ListConsumers(ctx)
	for info := range lister.Info() {
		out = append(out, ConsumerStat{Name: info.Name, Pending: info.NumPending,
			AckPending: uint64(info.NumAckPending), Redelivered: uint64(info.NumRedelivered),
			Replicas: info.Config.Replicas})
	}
	if err := lister.Err(); err != nil {
		return out, fmt.Errorf("listing the consumers of stream %s: %w", b.stream, err)
	}
	return out, nil
}

// DeadLetterCount is how many events the dead-letter stream holds; 0 when
// it does not exist yet.
func (b *Bus) DeadLetterCount(ctx context.Context) (uint64, error) {
	stream, err := b.js.Stream(ctx, b.dlqStream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading stream %s: %w", b.dlqStream, err)
	}
	return stream.CachedInfo().State.Msgs, nil
}
