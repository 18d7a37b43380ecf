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
// Last on a subject that is the whole stream (newsdesk.article.>) starts at
// the stream's last sequence minus Last, reading Last messages. On a narrower
// filter it reads the matching messages from the start of the stream and
// skips all but the last Last: the server scans the stream for the filter
// once, which for a large article stream takes a moment; --since is cheaper
// there.
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
		if opts.Since.IsZero() && opts.Last > 0 && meta.NumPending >= uint64(opts.Last) {
			continue // before the last Last
		}
		err = fn(Message{Subject: m.Subject(), Seq: meta.Sequence.Stream, Time: meta.Timestamp, Header: m.Headers(), Data: m.Data()})
		if err != nil {
			return err
		}
	}
}

// lastStart is the sequence to start at to read the last opts.Last messages
// when opts.Subject covers all of stream, else 0 (read from the start and
// skip).
func (b *Bus) lastStart(ctx context.Context, stream string, opts SubscribeOptions) (uint64, error) {
	s, err := b.js.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("reading stream %s: %w", stream, err)
	}
	info := s.CachedInfo()
	if len(info.Config.Subjects) != 1 || info.Config.Subjects[0] != opts.Subject {
		return 0, nil
	}
	last := info.State.LastSeq
	if last < uint64(opts.Last) {
		return 0, nil
	}
	return max(last-uint64(opts.Last)+1, info.State.FirstSeq), nil
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
