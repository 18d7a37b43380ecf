package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// batch is one fetched batch, decoded and sorted out by prepare, ready for
// handle.
type batch struct {
	msgs       []jetstream.Msg // every message fetched, in stream order
	dead       []unprocessable // messages to dead-letter
	superseded []jetstream.Msg // older revisions of an article with a newer one in the batch
	newest     []delivery      // the newest revision per article, in order of first appearance
	behind     uint64          // events not yet delivered when the batch's last one was (see Backlogger)
	// stopKeepAlive ends the progress reports sent while the batch waits to
	// be handled. Whoever takes the batch calls it before answering any of
	// its messages: a progress report sent after a Nak with delay would
	// reset the server's timer and defeat the delay.
	stopKeepAlive func()
}

// unprocessable is a delivery to give up on, and why.
type unprocessable struct {
	delivery
	reason string
}

// prefetch fetches and prepares batches and hands them to the loop of run
// over out, until ctx is done (it returns nil) or the connection is closed
// (an error). out is unbuffered, so while the loop stores one batch,
// prefetch fetches and decodes the next and then waits with it: one batch
// ahead at most, which bounds memory and the events held back from other
// consumers of the durable. Failed fetches are retried with a growing pause,
// re-creating the consumer in case it went away.
func (c *consumer) prefetch(ctx context.Context, cons jetstream.Consumer, out chan<- *batch) error {
	failures := 0
	for ctx.Err() == nil {
		msgs, err := c.fetch(cons)
		if ctx.Err() != nil {
			c.release(msgs)
			return nil
		}
		if len(msgs) > 0 && !c.offer(ctx, out, c.prepare(msgs)) {
			return nil
		}
		if err == nil {
			failures = 0
			continue
		}
		if errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, nats.ErrConnectionDraining) {
			return fmt.Errorf("consuming article events as %s: %w", c.opts.Durable, err)
		}
		failures++
		pause := backoff(fetchRetryBase, failures, maxFetchRetry)
		c.log.Warn("fetching article events failed, retrying", "err", err, "failures", failures, "pause", pause)
		if !sleep(ctx, pause) {
			return nil
		}
		if again, err := c.ensure(ctx); err == nil {
			cons = again
		} else if ctx.Err() == nil {
			c.log.Warn("re-creating consumer failed", "err", err)
		}
	}
	return nil
}

// offer hands b to the loop, keeping its messages alive while the loop is
// still storing the previous batch or pausing after a sink outage, which
// may take longer than AckWait. On shutdown it releases them instead, so
// another consumer gets them now, and reports false.
func (c *consumer) offer(ctx context.Context, out chan<- *batch, b *batch) bool {
	b.stopKeepAlive = c.keepAlive(b.msgs)
	select {
	case out <- b:
		return true
	case <-ctx.Done():
		b.stopKeepAlive()
		c.release(b.msgs)
		return false
	}
}

// prepare decodes a fetched batch and sorts its messages out: those to
// dead-letter, those superseded by a newer revision of the same article in
// the batch (see newer), and the newest revision per article, to store. It
// only computes, so it runs ahead while the previous batch is being stored.
// One goroutine is enough: decoding spread over GOMAXPROCS measured no
// faster (BenchmarkConsume), as it is hidden behind Store.
func (c *consumer) prepare(msgs []jetstream.Msg) *batch {
	b := &batch{msgs: msgs}
	index := map[string]int{} // article id -> position in b.newest
	for _, m := range msgs {
		d, reason := decode(m)
		b.behind = d.pending
		if reason == "" && c.opts.MaxDeliver > 0 && d.delivered > uint64(c.opts.MaxDeliver) {
			// Delivered MaxDeliver times and never acked or rejected: the
			// consumer died or hung while handling it, perhaps because of it.
			reason = fmt.Sprintf("not acknowledged after %d deliveries (the consumer stopped while handling it)", c.opts.MaxDeliver)
		}
		if reason != "" {
			b.dead = append(b.dead, unprocessable{d, reason})
			continue
		}
		j, seen := index[d.doc.ID]
		if !seen {
			index[d.doc.ID] = len(b.newest)
			b.newest = append(b.newest, d)
			continue
		}
		if !newer(d, b.newest[j]) {
			b.superseded = append(b.superseded, d.msg)
			continue
		}
		b.superseded = append(b.superseded, b.newest[j].msg)
		b.newest[j] = d
	}
	return b
}

// newer reports whether d is a later version of the article than e: the
// higher revision wins, whatever order the events were published in (a
// crawler that stalled can publish revision 1 after another published
// revision 2); the stream sequence only breaks a tie (a redelivery, or an
// event from before revisions existed). Revision 0 counts as 1, as in the
// index.
func newer(d, e delivery) bool {
	dr, er := max(d.doc.Revision, 1), max(e.doc.Revision, 1)
	if dr != er {
		return dr > er
	}
	return d.seq > e.seq
}
