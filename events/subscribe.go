package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// SubscribeOptions say what Subscribe delivers.
type SubscribeOptions struct {
	// Subject is a subject or wildcard, e.g. newsdesk.article.*.*.privacy.
	Subject string
	// Since starts at the first stored message at or after this time.
	Since time.Time
	// Last starts with the last Last stored messages on Subject. With
	// neither Since nor Last, only new messages are delivered.
	Last int
}

// Message is one message Subscribe delivers.
type Message struct {
	Subject string
	// Seq and Time are the stream sequence and the time it was stored; zero
	// for a subject no stream captures.
	Seq    uint64
	Time   time.Time
	Header nats.Header
	Data   []byte
}

// Subscribe calls fn with each message on opts.Subject, in stream order,
// until ctx ends (then it returns nil) or fn returns an error (which it
// returns). It reads through an ephemeral ordered consumer of the stream
// that captures the subject, so it can start in the past and acks nothing:
// it never takes events away from the indexer or the alerter. A subject no
// stream captures is subscribed to directly, new messages only.
//
// Last starts at the sequence from which Last messages on the subject
// remain (see lastStart), so it reads Last messages, not every match
// before them.
func (b *Bus) Subscribe(ctx context.Context, opts SubscribeOptions, fn func(Message) error) error {
	if opts.Subject == "" {
		return errors.New("subscribing: empty subject")
	}
	streams, err := b.streamsOf(ctx, opts.Subject)
	if err != nil {
		return err
	}
	history := !opts.Since.IsZero() || opts.Last > 0
	if len(streams) != 1 {
		if history {
			return fmt.Errorf("subscribing to %s with history: it must lie in one stream, but it lies in %d %v (subscribe to newsdesk.article.>, newsdesk.alert.> or newsdesk.dlq.> separately)",
				opts.Subject, len(streams), streams)
		}
		return b.subscribeCore(ctx, opts.Subject, fn)
	}
	stream := streams[0]
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: []string{opts.Subject}, DeliverPolicy: jetstream.DeliverNewPolicy}
	switch {
	case !opts.Since.IsZero():
		since := opts.Since
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &since
	case opts.Last > 0:
		cfg.DeliverPolicy = jetstream.DeliverAllPolicy
		start, err := b.lastStart(ctx, stream, opts)
		if err != nil {
			return err
		}
		if start > 1 {
			cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, start
		}
	}
	cons, err := b.js.OrderedConsumer(ctx, stream, cfg)
	if err != nil {
		return fmt.Errorf("creating consumer on %s for %s: %w", stream, opts.Subject, err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("reading %s from %s: %w", opts.Subject, stream, err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	for {
		m, err := it.Next()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return nil
			}
			return fmt.Errorf("reading %s from %s: %w", opts.Subject, stream, err)
		}
		meta, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("reading %s from %s: %w", opts.Subject, stream, err)
		}
		err = fn(Message{Subject: m.Subject(), Seq: meta.Sequence.Stream, Time: meta.Timestamp, Header: m.Headers(), Data: m.Data()})
		if err != nil {
			return err
		}
	}
}

// lastStart is the sequence to start at to read the last opts.Last
// messages on opts.Subject in stream; 0 when there are no more than that
// (read from the start). On a subject that is the whole stream it is the
// last sequence minus Last. On a narrower one it is found by bisection
// on the count of matching messages from a sequence on, which the server
// computes for a consumer (NumPending): some 2·log2(stream length) API
// calls, against delivering every earlier match only to skip it.
func (b *Bus) lastStart(ctx context.Context, stream string, opts SubscribeOptions) (uint64, error) {
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("reading stream %s: %w", stream, err)
	}
	info := s.CachedInfo()
	first, last, want := info.State.FirstSeq, info.State.LastSeq, uint64(opts.Last)
	if len(info.Config.Subjects) == 1 && info.Config.Subjects[0] == opts.Subject {
		if last < want {
			return 0, nil
		}
		return max(last-want+1, first), nil
	}
	// The greatest sequence from which at least want messages match.
	lo, hi := first, last
	if n, err := matchingFrom(ctx, s, opts.Subject, lo); err != nil || n <= want {
		return 0, err
	}
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		n, err := matchingFrom(ctx, s, opts.Subject, mid)
		if err != nil {
			return 0, err
		}
		if n >= want {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, nil
}

// matchingFrom counts the messages on subject in stream from sequence seq
// on: the pending count of a consumer that starts there, made and deleted
// for the question (in memory, acking nothing, so it delivers nothing).
func matchingFrom(ctx context.Context, s jetstream.Stream, subject string, seq uint64) (uint64, error) {
	c, err := s.CreateConsumer(ctx, jetstream.ConsumerConfig{
		FilterSubject: subject, DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: seq,
		AckPolicy: jetstream.AckNonePolicy, MemoryStorage: true, InactiveThreshold: time.Minute,
	})
	if err != nil {
		return 0, fmt.Errorf("counting %s from sequence %d: %w", subject, seq, err)
	}
	info := c.CachedInfo()
	if err := s.DeleteConsumer(ctx, info.Name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return 0, fmt.Errorf("counting %s from sequence %d: %w", subject, seq, err)
	}
	return info.NumPending, nil
}

// streamsOf names the streams that capture messages on subject.
func (b *Bus) streamsOf(ctx context.Context, subject string) ([]string, error) {
	var names []string
	lister := b.js.StreamNames(ctx, jetstream.WithStreamListSubject(subject))
	for name := range lister.Name() {
		names = append(names, name)
	}
	if err := lister.Err(); err != nil {
		return nil, fmt.Errorf("finding the streams of %s: %w", subject, err)
	}
	return names, nil
}

// subscribeCore delivers new messages on subject through a plain
// subscription.
func (b *Bus) subscribeCore(ctx context.Context, subject string, fn func(Message) error) error {
	ch := make(chan *nats.Msg, 256)
	sub, err := b.nc.ChanSubscribe(subject, ch)
	if err != nil {
		return fmt.Errorf("subscribing to %s: %w", subject, err)
	}
	defer func() { _ = sub.Unsubscribe() }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-ch:
			if err := fn(Message{Subject: m.Subject, Header: m.Header, Data: m.Data}); err != nil {
				return err
			}
		}
	}
}
