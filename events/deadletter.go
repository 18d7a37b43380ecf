package events

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/news"
)

// Headers of a dead letter. Its payload is the original message's, byte for
// byte, so `newsdesk dlq replay` can send it again unchanged.
const (
	HeaderDLQReason     = "Newsdesk-Dlq-Reason"     // why the consumer gave up
	HeaderDLQSubject    = "Newsdesk-Dlq-Subject"    // the original subject
	HeaderDLQStream     = "Newsdesk-Dlq-Stream"     // the original stream
	HeaderDLQSequence   = "Newsdesk-Dlq-Sequence"   // its sequence there
	HeaderDLQDeliveries = "Newsdesk-Dlq-Deliveries" // deliveries before giving up
	HeaderDLQConsumer   = "Newsdesk-Dlq-Consumer"   // the durable that gave up
	HeaderDLQMsgID      = "Newsdesk-Dlq-Msg-Id"     // the original Nats-Msg-Id
	HeaderDLQTime       = "Newsdesk-Dlq-Time"       // when, RFC 3339
)

// deadLetter copies a message the consumer gives up on to
// news.DeadLetterSubject(durable) with the reason, then terminates it, so it
// never blocks the stream and is never lost. Should the copy fail (the
// dead-letter stream unreachable), the message is redelivered later instead.
func (c *consumer) deadLetter(ctx context.Context, d delivery, reason string) {
	m := d.msg
	log := c.log.With("seq", d.seq, "subject", m.Subject(), "delivery", d.delivered, "reason", reason)
	dl := &nats.Msg{
		Subject: news.DeadLetterSubject(c.opts.Durable),
		Header:  nats.Header{},
		Data:    m.Data(),
	}
	for k, v := range m.Headers() {
		if k != jetstream.MsgIDHeader {
			dl.Header[k] = v
		}
	}
	dl.Header.Set(HeaderDLQReason, reason)
	dl.Header.Set(HeaderDLQSubject, m.Subject())
	dl.Header.Set(HeaderDLQStream, c.bus.stream)
	dl.Header.Set(HeaderDLQSequence, strconv.FormatUint(d.seq, 10))
	dl.Header.Set(HeaderDLQDeliveries, strconv.FormatUint(d.delivered, 10))
	dl.Header.Set(HeaderDLQConsumer, c.opts.Durable)
	dl.Header.Set(HeaderDLQTime, time.Now().UTC().Format(time.RFC3339))
	if id := m.Headers().Get(jetstream.MsgIDHeader); id != "" {
		dl.Header.Set(HeaderDLQMsgID, id)
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackTimeout)
	defer cancel()
	// One dead letter per consumer and stream sequence, even when a lost
	// Term makes us give up on the same delivery twice.
	msgID := fmt.Sprintf("%s-%s-%d", c.opts.Durable, c.bus.stream, d.seq)
	if _, err := c.bus.js.PublishMsg(pctx, dl, jetstream.WithMsgID(msgID), jetstream.WithExpectStream(c.bus.dlqStream)); err != nil {
		log.Error("publishing dead letter failed; the event is redelivered and given up on again later", "err", err)
		if err := m.NakWithDelay(c.opts.RetryDelay); err != nil {
			log.Warn("nak failed; the event is redelivered after AckWait", "nak_err", err)
		}
		return
	}
	log.Error("gave up on event; it is in the dead-letter stream", "dlq_subject", dl.Subject)
	if err := m.TermWithReason(reason); err != nil {
		log.Warn("terminating message failed; it is redelivered and dead-lettered again (stored once)", "err", err)
	}
}
