package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/news"
)

// ReplayOptions bound a Replay.
type ReplayOptions struct {
	// From is the first stream sequence to read; 0 or 1 is the start of the
	// stream (or its oldest event still kept).
	From uint64
	// To is the last stream sequence to read (see LastSequence); Replay
	// returns once it has read it, or the stream has nothing more. 0 reads
	// up to what the stream holds when Replay starts.
	To uint64
	// Batch is how many docs go to the sink at once, default 500.
	Batch int
	// Retries is how often a doc the sink rejected (not permanently) is
	// offered again, default 3, after RetryDelay (default 1s) doubling.
	Retries    int
	RetryDelay time.Duration
}

// ReplayStats count what a Replay read and stored.
type ReplayStats struct {
	Events     int    // article events read
	Stored     int    // docs the sink accepted (fewer than Events: an article's older events are folded into its newest of the batch)
	Skipped    int    // messages that are not article events (they are in the dead-letter stream)
	Rejected   int    // docs the sink refused for good (see the log)
	LastSeq    uint64 // the last stream sequence read
	FirstSeq   uint64 // the first stream sequence read
	Superseded int    // events folded into a newer event of the same article
}

// LastSequence is the sequence of the newest event in the article stream,
// 0 when it is empty.
func (b *Bus) LastSequence(ctx context.Context) (uint64, error) {
	s, err := b.js.Stream(ctx, b.stream)
	if err != nil {
		return 0, fmt.Errorf("reading stream %s: %w", b.stream, err)
	}
	return s.CachedInfo().State.LastSeq, nil
}

// Replay reads the article stream from opts.From to opts.To through an
// ephemeral ordered consumer and hands the articles to sink in batches.
// It acks nothing and shares nothing with the durable consumers, so the
// live indexer and alerter are unaffected; it is how an index is rebuilt.
// Events that cannot be decoded are skipped (Consume already sent them to
// the dead-letter stream). A doc the sink rejects is offered again up to
// Retries times, then Replay fails; a doc rejected for good (Permanent) is
// counted and logged. Replay returns what it did so far, with ctx's error
// when cancelled.
func (b *Bus) Replay(ctx context.Context, opts ReplayOptions, sink Sink) (ReplayStats, error) {
	var st ReplayStats
	if opts.Batch <= 0 {
		opts.Batch = 500
	}
	if opts.Retries == 0 {
		opts.Retries = 3
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = time.Second
	}
	if opts.To == 0 {
		last, err := b.LastSequence(ctx)
		if err != nil {
			return st, err
		}
		opts.To = last
	}
	if opts.To == 0 || opts.To < opts.From {
		return st, nil // nothing to read
	}
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	if opts.From > 1 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, opts.From
	}
	cons, err := b.js.OrderedConsumer(ctx, b.stream, cfg)
	if err != nil {
		return st, fmt.Errorf("replaying stream %s: %w", b.stream, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(opts.Batch))
	if err != nil {
		return st, fmt.Errorf("replaying stream %s: %w", b.stream, err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()

	var batch []news.Article
	index := map[string]int{} // article id -> position in batch
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		stored, rejected, err := b.storeReplayed(ctx, sink, batch, opts)
		st.Stored += stored
		st.Rejected += rejected
		batch, index = batch[:0], map[string]int{}
		return err
	}
	for {
		m, err := it.Next()
		if err != nil {
			if ctx.Err() != nil {
				return st, fmt.Errorf("replaying stream %s: %w", b.stream, ctx.Err())
			}
			return st, fmt.Errorf("replaying stream %s: %w", b.stream, err)
		}
		d, reason := decode(m)
		meta, _ := m.Metadata() // decode failed without it, and reason says so
		if meta == nil {
			return st, fmt.Errorf("replaying stream %s: %s", b.stream, reason)
		}
		seq := meta.Sequence.Stream
		if st.FirstSeq == 0 {
			st.FirstSeq = seq
		}
		st.LastSeq = seq
		if reason != "" {
			st.Skipped++
		} else {
			st.Events++
			if i, ok := index[d.doc.ID]; ok {
				batch[i] = d.doc // stream order: the later event is the newer
				st.Superseded++
			} else {
				index[d.doc.ID] = len(batch)
				batch = append(batch, d.doc)
			}
		}
		end := seq >= opts.To || meta.NumPending == 0
		if len(batch) >= opts.Batch || end {
			if err := flush(); err != nil {
				return st, err
			}
		}
		if end {
			return st, nil
		}
	}
}

// storeReplayed stores docs, offering the rejected ones again up to
// opts.Retries times. It returns how many were stored and how many refused for good.
func (b *Bus) storeReplayed(ctx context.Context, sink Sink, docs []news.Article, opts ReplayOptions) (stored, rejected int, err error) {
	for attempt := 0; ; attempt++ {
		errs := sink.Store(ctx, docs)
		if len(errs) != len(docs) {
			return stored, rejected, fmt.Errorf("sink returned %d results for %d docs", len(errs), len(docs))
		}
		var again []news.Article
		var last error
		for i, e := range errs {
			switch {
			case e == nil:
				stored++
			case isPermanent(e):
				rejected++
				b.log.Warn("replay: article refused for good", "id", docs[i].ID, "url", docs[i].URL, "err", e)
			default:
				again, last = append(again, docs[i]), e
			}
		}
		if len(again) == 0 {
			return stored, rejected, nil
		}
		if attempt >= opts.Retries {
			return stored, rejected, fmt.Errorf("storing %d replayed articles: %w", len(again), last)
		}
		// The same pacing as Consume's redeliveries: the sink's Store does
		// not retry, so this is the one place a replayed doc is retried.
		pause := backoff(opts.RetryDelay, attempt+1, maxRetryDelay)
		b.log.Warn("replay: sink rejected articles, retrying", "count", len(again), "pause", pause, "err", last)
		if !sleep(ctx, pause) {
			return stored, rejected, fmt.Errorf("storing replayed articles: %w", errors.Join(ctx.Err(), last))
		}
		docs = again
	}
}
