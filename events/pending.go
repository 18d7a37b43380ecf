package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// Pending reports how many events the durable consumer has not acked yet:
// not yet delivered plus delivered and awaiting an ack (including those
// waiting for a redelivery), so a caller can wait until the index caught up.
// Terminated events do not count. When the consumer does not exist yet it
// would start from the beginning of the stream, so the stream's message
// count is returned (0 for an empty stream). durable "" means "indexer".
func (b *Bus) Pending(ctx context.Context, durable string) (uint64, error) {
	if durable == "" {
		durable = DefaultDurable
	}
	cons, err := b.js.Consumer(ctx, b.stream, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		stream, err := b.js.Stream(ctx, b.stream)
		if err != nil {
			return 0, fmt.Errorf("reading stream %s: %w", b.stream, err)
		}
		return stream.CachedInfo().State.Msgs, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading consumer %s on stream %s: %w", durable, b.stream, err)
	}
	info := cons.CachedInfo()
	return info.NumPending + uint64(info.NumAckPending), nil
}
