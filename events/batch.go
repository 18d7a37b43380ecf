package events

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/news"
)

// ackTimeout bounds the wait for the server to confirm a batch's acks. Acks
// are sent even when ctx was cancelled meanwhile: the docs are stored.
const ackTimeout = 10 * time.Second

// delivery is one decoded message of a batch.
type delivery struct {
	msg       jetstream.Msg
	doc       news.Article
	seq       uint64 // stream sequence: the order events were stored in
	delivered uint64 // how many times this message was delivered, this one included
	pending   uint64 // events of the stream not yet delivered to the consumer, as of this one
}

// handle answers one prepared batch: it dead-letters what can never be
// processed, acks superseded events, stores the rest and acks or retries
// each by the sink's answer. It reports whether the sink rejected every doc
// it was given, none of them for good (then the sink is probably down; a
// doc refused for good, dead-lettered at once, is an answer and no reason
// to pause).
func (c *consumer) handle(ctx context.Context, b *batch) (allRejected bool) {
	for _, d := range b.dead {
		c.deadLetter(ctx, d.delivery, d.reason)
	}
	// Acked before storing, so a slow Store cannot get them redelivered later
	// to overwrite the newer doc. Should the newest fail, it comes back itself.
	c.ack(ctx, b.superseded)
	newest := b.newest
	if len(newest) == 0 {
		return false
	}

	docs := make([]news.Article, len(newest))
	msgs := make([]jetstream.Msg, len(newest))
	for i, d := range newest {
		docs[i], msgs[i] = d.doc, d.msg
	}
	if bl, ok := c.sink.(Backlogger); ok {
		bl.Backlog(b.behind >= uint64(c.opts.Batch))
	}
	stop := c.keepAlive(msgs)
	errs := c.sink.Store(ctx, docs)
	stop()
	if len(errs) != len(docs) {
		err := fmt.Errorf("sink returned %d results for %d docs", len(errs), len(docs))
		c.log.Error("sink broke its contract, treating every doc of the batch as rejected", "err", err)
		errs = make([]error, len(docs))
		for i := range errs {
			errs[i] = err
		}
	}

	var accepted []jetstream.Msg
	refused := 0 // refused for good: the sink answered, so it is not down
	for i, d := range newest {
		switch {
		case errs[i] == nil:
			accepted = append(accepted, d.msg)
		case isPermanent(errs[i]):
			refused++
		}
	}
	outage := len(accepted) == 0 && refused == 0
	for i, d := range newest {
		if errs[i] != nil {
			c.retry(ctx, d, errs[i], outage)
		}
	}
	c.ackBehind(ctx, accepted)
	return outage
}

// ackBehind acknowledges a stored batch while Consume stores the next one,
// so the acks' round trips do not add to every batch's time. One batch's
// acks are in flight at most: it first waits for the previous batch's.
// Consume waits for the last before it returns.
func (c *consumer) ackBehind(ctx context.Context, msgs []jetstream.Msg) {
	c.acking.Wait()
	c.acking.Go(func() { c.ack(ctx, msgs) })
}

// decode reads a message as an article event. A non-empty reason says why
// it cannot be processed, ever.
func decode(m jetstream.Msg) (delivery, string) {
	meta, err := m.Metadata()
	if err != nil {
		return delivery{msg: m}, "no JetStream metadata: " + err.Error()
	}
	d := delivery{msg: m, seq: meta.Sequence.Stream, delivered: meta.NumDelivered, pending: meta.NumPending}
	var ev news.ArticleEvent
	if err := decodeEvent(m.Data(), &ev); err != nil {
		return d, "not an article event: " + err.Error()
	}
	if _, ok := ev.Kind(); !ok {
		return d, fmt.Sprintf("unknown event type %q", ev.Type)
	}
	d.doc = ev.Data
	if d.doc.ID == "" {
		if d.doc.Key() == "" {
			return d, "article has neither id nor url"
		}
		d.doc.ID = news.DocID(d.doc.Key())
	}
	return d, ""
}

// retry asks for a later redelivery of a doc the sink rejected, or gives up
// on it: at once when the error says it is permanent, else on its last
// delivery. A doc given up on goes to the dead-letter subject. A doc
// rejected with the rest of its batch (outage: the sink is probably down)
// is released without a delay of its own: Consume pauses before it fetches
// again, so the doc comes back after the pause, and as soon as the sink
// answers again, rather than up to 5 minutes after it.
func (c *consumer) retry(ctx context.Context, d delivery, cause error, outage bool) {
	log := c.log.With("id", d.doc.ID, "url", d.doc.URL, "seq", d.seq, "delivery", d.delivered, "err", cause)
	if isPermanent(cause) {
		c.deadLetter(ctx, d, fmt.Sprintf("rejected by sink for good: %v", cause))
		return
	}
	if c.opts.MaxDeliver > 0 && d.delivered >= uint64(c.opts.MaxDeliver) {
		c.deadLetter(ctx, d, fmt.Sprintf("rejected by sink after %d deliveries: %v", d.delivered, cause))
		return
	}
	var delay time.Duration // shutting down: let another consumer have it now
	if ctx.Err() == nil && !outage {
		delay = backoff(c.opts.RetryDelay, int(d.delivered), maxRetryDelay)
	}
	log.Warn("sink rejected article, will redeliver", "retry_in", delay, "sink_down", outage)
	if err := d.msg.NakWithDelay(delay); err != nil {
		log.Warn("nak failed; the event is redelivered after AckWait", "nak_err", err)
	}
}

// isPermanent reports whether err says that retrying cannot help: a sink
// marks a document the index refuses for good (a mapping conflict) with
// news.ErrPermanent, without importing events.
func isPermanent(err error) bool {
	return errors.Is(err, news.ErrPermanent)
}

// ackWorkers bounds the goroutines that wait for one batch's acks to be
// confirmed. A goroutine per message grew a stack per message in the
// client's request path (a tenth of the consumer's own CPU time in
// BenchmarkIndexThroughput); this many still keep the round trips of a
// batch of 500 in flight together.
const ackWorkers = 64

// ack acknowledges msgs and waits until the server confirmed each ack, in
// parallel. A lost ack is not fatal: the event is redelivered and stored
// again, which the sink does idempotently; it is logged so it is not silent.
func (c *consumer) ack(ctx context.Context, msgs []jetstream.Msg) {
	if len(msgs) == 0 {
		return
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
	defer cancel()
	var (
		wg       sync.WaitGroup
		next     atomic.Int64 // the next message to ack
		mu       sync.Mutex
		failed   int
		firstErr error
	)
	for range min(ackWorkers, len(msgs)) {
		wg.Go(func() {
			for k := next.Add(1) - 1; k < int64(len(msgs)); k = next.Add(1) - 1 {
				if err := msgs[k].DoubleAck(actx); err != nil {
					mu.Lock()
					if failed++; failed == 1 {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if failed > 0 {
		c.log.Warn("acks not confirmed; those events will be redelivered and stored again",
			"failed", failed, "of", len(msgs), "err", firstErr)
	}
}

// keepAlive tells the server msgs are still being worked on, while the sink
// stores them or while they wait for their turn, so a slow Store does not
// exceed AckWait and cause redeliveries. stop must be called before acking.
func (c *consumer) keepAlive(msgs []jetstream.Msg) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(max(c.opts.AckWait/3, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				for _, m := range msgs {
					_ = m.InProgress() // best effort: a loss means at worst a redelivery
				}
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}
