package events

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/news"
)

// Sink is what Consume hands articles to; the indexer implements it.
type Sink interface {
	// Store stores docs and returns one error per doc, in the same order: nil
	// means the doc is accepted and its event may be acknowledged. A non-nil
	// error makes Consume redeliver that event later.
	Store(ctx context.Context, docs []news.Article) []error
}

// Prober is what a Sink may also implement to say whether it is reachable
// (the indexes' Ping). While Consume pauses after the sink rejected a whole
// batch, it probes the sink; once a probe failed and a later one succeeds,
// the sink is back and Consume resumes at once rather than sleeping out a
// pause of up to 5 minutes.
type Prober interface {
	Ping(ctx context.Context) error
}

// Backlogger is what a Sink may also implement to hear, just before each
// Store, whether a backlog waits behind that batch: at least another whole
// batch of events not yet delivered (a bulk load, or an indexer catching
// up). An index may then make what it stores searchable less often: each
// refresh is a small segment to write and later merge, and while a backlog
// lasts every event behind it waits far longer for its turn than for a
// refresh. Once the batch is the backlog's last, Backlog(false) comes
// before its Store.
type Backlogger interface {
	Backlog(behind bool)
}

// Defaults of ConsumeOptions.
const (
	DefaultDurable    = news.IndexerConsumer
	DefaultBatch      = 500
	DefaultMaxWait    = 100 * time.Millisecond
	DefaultAckWait    = 30 * time.Second
	DefaultMaxDeliver = 10
	DefaultRetryDelay = time.Second
)

const (
	// maxRetryDelay caps the doubling redelivery delay of a rejected doc.
	maxRetryDelay = 5 * time.Minute
	// fetchRetryBase and maxFetchRetry bound the pause after a failed fetch
	// (server unreachable, leader election, consumer deleted).
	fetchRetryBase = 100 * time.Millisecond
	maxFetchRetry  = 30 * time.Second
	// maxProbeEvery and probeTimeout pace and bound the probes of a sink
	// during a pause after an outage.
	maxProbeEvery = time.Second
	probeTimeout  = 5 * time.Second
)

// ConsumeOptions configures the durable pull consumer behind Consume.
type ConsumeOptions struct {
	// Durable is the consumer name, default "indexer". Processes consuming
	// with the same name share the work: each event goes to one of them.
	Durable string
	// Batch is how many events are fetched and handed to the sink at once,
	// default 500: a sink pays fixed costs per batch (the index's lookup
	// before writing, a bulk request's round trip), so a backlog is
	// indexed faster than in batches of 100 (BenchmarkIndexThroughput).
	// Two batches are held at most: the one being stored and the next,
	// fetched meanwhile.
	Batch int
	// MaxWait is how long a fetch waits to fill a batch, default 100ms: the
	// longest an event waits before indexing when traffic is low, and the
	// wait for the rest of a batch at the end of a backlog.
	MaxWait time.Duration
	// AckWait is how long the server waits for an ack before redelivering,
	// default 30s. Consume reports progress while the sink works, for the
	// batch being stored and the one waiting behind it, so a slow Store does
	// not cause redeliveries.
	AckWait time.Duration
	// MaxDeliver bounds deliveries of one event, default 10; negative means
	// unlimited. An event the sink rejected on its last delivery, or one
	// delivered MaxDeliver times without an answer (the consumer died while
	// handling it), goes to the dead-letter subject with the reason and is
	// terminated. It also stays in the article stream.
	MaxDeliver int
	// RetryDelay is the delay before a rejected doc is redelivered, doubled
	// on each further delivery up to 5 minutes; default 1s. When the sink
	// rejected a whole batch (it is probably down), its docs are released
	// at once instead and Consume pauses for that long, doubled while the
	// outage lasts, before it stores the next batch; the one batch already
	// fetched waits, kept alive, and nothing more is fetched. So an outage
	// spends one delivery of one batch per pause, not the deliveries of the
	// whole stream. A sink that is a Prober is probed during the pause,
	// which ends as soon as the sink answers again (see Prober).
	RetryDelay time.Duration
	// Logger receives skipped, rejected and terminated events; nil discards.
	Logger *slog.Logger
}

func (o ConsumeOptions) withDefaults() ConsumeOptions {
	if o.Durable == "" {
		o.Durable = DefaultDurable
	}
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	if o.MaxWait <= 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.AckWait <= 0 {
		o.AckWait = DefaultAckWait
	}
	switch {
	case o.MaxDeliver == 0:
		o.MaxDeliver = DefaultMaxDeliver
	case o.MaxDeliver < 0:
		o.MaxDeliver = -1
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = DefaultRetryDelay
	}
	o.Logger = orDiscard(o.Logger)
	return o
}

// consumer is one running Consume loop.
type consumer struct {
	bus  *Bus
	opts ConsumeOptions
	sink Sink
	log  *slog.Logger
	// acking is the acks of the last stored batch, still in flight.
	acking sync.WaitGroup
	// sinkSeenDown is set when a probe failed during the current outage:
	// from then on, a probe that succeeds ends the pause.
	sinkSeenDown bool
}

// Consume runs a durable pull consumer on the article stream until ctx is
// cancelled (then it returns nil) or the connection is closed (an error).
// Failed fetches (server unreachable, leader election, consumer deleted) are
// logged and retried with a growing pause; the consumer is re-created if it
// went away.
//
// Each fetched batch is decoded and handed to sink.Store. A message is acked
// (and the ack confirmed by the server) only after the sink accepted its doc;
// a doc the sink rejected is Nak'ed with a growing delay (see
// ConsumeOptions.RetryDelay), bounded by MaxDeliver; a doc rejected with an
// error matching news.ErrPermanent is not retried. A message that
// cannot be decoded, has an unknown event type, or that the sink rejected for
// good is copied to news.DeadLetterSubject(Durable) with the reason and
// terminated, so it never blocks the stream (see `newsdesk dlq`). Within one
// batch, of several events for the same article id only the one with the
// highest revision (the last in stream order among equals) is stored; the
// others are acked.
//
// While the sink stores a batch, the next one is fetched and decoded, so a
// backlog is indexed at the pace of the sink. That batch then waits, kept
// alive so it is not redelivered however long Store takes; nothing more is
// fetched until the sink has it. A sink that is a Backlogger hears before
// each Store whether a backlog waits behind the batch. On shutdown (ctx cancelled) the batch being
// stored is answered as usual, and fetched messages not handed to the sink,
// the waiting batch included, are released (Nak'ed), so another consumer
// gets them at once rather than after AckWait. Consume returns only after
// its goroutines ended and the acks in flight were answered.
func (b *Bus) Consume(ctx context.Context, opts ConsumeOptions, sink Sink) error {
	opts = opts.withDefaults()
	c := &consumer{
		bus:  b,
		opts: opts,
		sink: sink,
		log:  opts.Logger.With("stream", b.stream, "consumer", opts.Durable),
	}
	return c.run(ctx)
}

func (c *consumer) run(ctx context.Context) error {
	defer c.acking.Wait()
	cons, err := c.ensure(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	c.log.Info("consuming article events")
	batches := make(chan *batch) // unbuffered: one batch prefetched at most
	var fetchErr error
	var prefetcher sync.WaitGroup
	prefetcher.Go(func() {
		defer close(batches)
		fetchErr = c.prefetch(ctx, cons, batches)
	})
	sinkOutages := 0
	// Ends when prefetch does (shutdown or connection closed), after the
	// batch in hand is answered.
	for b := range batches {
		b.stopKeepAlive()
		if ctx.Err() != nil {
			c.release(b.msgs)
			continue
		}
		if !c.handle(ctx, b) {
			sinkOutages, c.sinkSeenDown = 0, false
			continue
		}
		// The sink is probably down. The batch prefetched meanwhile waits,
		// kept alive, until the pause is over: storing it now would only
		// spend a delivery of each of its events, and so would releasing it.
		sinkOutages++
		pause := backoff(c.opts.RetryDelay, sinkOutages, maxRetryDelay)
		c.log.Warn("sink rejected a whole batch, pausing before storing the next", "pause", pause, "batches", sinkOutages)
		c.pauseForSink(ctx, pause)
	}
	prefetcher.Wait()
	c.log.Info("stopped consuming article events")
	return fetchErr
}

// pauseForSink waits out pause after a sink outage, or less when the sink
// is a Prober: it probes at once and then about every second, and returns
// as soon as a probe succeeds after one failed during this outage. A sink
// that answers probes all along (it is up but rejects writes, e.g. a full
// disk) gets the whole pause, so its events do not spend their deliveries
// at the pace of the probes.
func (c *consumer) pauseForSink(ctx context.Context, pause time.Duration) {
	p, ok := c.sink.(Prober)
	if !ok {
		sleep(ctx, pause)
		return
	}
	end := time.Now().Add(pause)
	every := min(c.opts.RetryDelay, maxProbeEvery)
	for {
		left := time.Until(end)
		if left <= 0 {
			return
		}
		pctx, cancel := context.WithTimeout(ctx, min(probeTimeout, left))
		err := p.Ping(pctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			c.sinkSeenDown = true
			c.log.Debug("sink still unreachable", "err", err)
		case c.sinkSeenDown:
			c.log.Info("sink answers again, resuming before the pause is over", "pause_left", time.Until(end).Round(time.Millisecond))
			return
		}
		if !sleep(ctx, min(every, time.Until(end))) {
			return
		}
	}
}

// ensure creates the durable consumer, or updates it to the options. Two
// indexers starting at once race to create it, and a stream just created
// on a cluster may have no leader yet: both fail a try, not the start, so
// the creation is retried as the idempotent operation it is.
func (c *consumer) ensure(ctx context.Context) (jetstream.Consumer, error) {
	var cons jetstream.Consumer
	err := retrySetup(ctx, c.bus.retryBudget, func(ctx context.Context) error {
		var err error
		cons, err = c.bus.js.CreateOrUpdateConsumer(ctx, c.bus.stream, jetstream.ConsumerConfig{
			Durable:       c.opts.Durable,
			Description:   "newsdesk article consumer",
			DeliverPolicy: jetstream.DeliverAllPolicy,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       c.opts.AckWait,
			// Unlimited on the server: Consume counts deliveries itself and
			// dead-letters an event after MaxDeliver, also one whose consumer
			// died while handling it, which the server would drop silently.
			MaxDeliver: -1,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("creating consumer %s on stream %s: %w", c.opts.Durable, c.bus.stream, err)
	}
	return cons, nil
}

// fetch pulls up to Batch messages, waiting at most MaxWait. The wait is
// the server's (FetchMaxWait): it ends the pull request with a timeout
// status after the last message it delivered, so the client reads every
// message sent. A client-side deadline (FetchContext) would stop reading
// while messages were still on their way, and each of those would come
// back only after AckWait, spending a delivery. So a fetch is not cut
// short by ctx either; it ends within MaxWait (plus the client's one
// second of slack should the server not answer), and the caller releases
// what it got when shutting down. It returns the messages received even
// when the fetch ended with an error.
func (c *consumer) fetch(cons jetstream.Consumer) ([]jetstream.Msg, error) {
	batch, err := cons.Fetch(c.opts.Batch, jetstream.FetchMaxWait(c.opts.MaxWait))
	if err != nil {
		return nil, err
	}
	var msgs []jetstream.Msg
	for m := range batch.Messages() {
		msgs = append(msgs, m)
	}
	return msgs, batch.Error()
}

// release hands back messages fetched while shutting down, so another
// consumer gets them now rather than after AckWait.
func (c *consumer) release(msgs []jetstream.Msg) {
	for _, m := range msgs {
		if err := m.Nak(); err != nil {
			c.log.Debug("releasing message on shutdown failed; it is redelivered after AckWait", "err", err)
		}
	}
}

// backoff is base doubled n-1 times, capped at limit.
func backoff(base time.Duration, n int, limit time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// sleep waits for d or until ctx is done, and reports whether it was d.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
