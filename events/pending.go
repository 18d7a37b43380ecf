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
	stream, err := b.js.Stream(ctx, b.stream)
	if err != nil {
		return 0, fmt.Errorf("reading stream %s: %w", b.stream, err)
	}
	return undelivered(info, stream.CachedInfo().State) + uint64(info.NumAckPending), nil
}

// undelivered is how many events the consumer has yet to deliver. The
// server acks a publish before it tells the consumers about the message
// (on another goroutine), so right after a publish the consumer's
// NumPending can still miss it; the stream's last sequence already counts
// it. The durable has no subject filter, so every event after the last
// delivered one is the consumer's to deliver, but no more than the stream
// holds (events removed by max_age are never delivered).
func undelivered(info *jetstream.ConsumerInfo, state jetstream.StreamState) uint64 {
	if state.LastSeq > info.Delivered.Stream {
		return max(info.NumPending, min(state.LastSeq-info.Delivered.Stream, state.Msgs))
	}
	return info.NumPending
}
