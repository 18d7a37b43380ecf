package events

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/news"
)

// DeadLetter is one event a consumer gave up on, as `newsdesk dlq list`
// shows it.
type DeadLetter struct {
	// Seq is its sequence in the dead-letter stream: what replay takes.
	Seq uint64 `json:"seq"`
	// Time is when it was dead-lettered.
	Time time.Time `json:"time"`
	// Consumer is the durable consumer that gave up on it.
	Consumer string `json:"consumer"`
	// Reason says why, e.g. "not an article event: ...".
	Reason string `json:"reason"`
	// Subject, Stream and StreamSeq locate the original event.
	Subject   string `json:"subject"`
	Stream    string `json:"stream"`
	StreamSeq uint64 `json:"stream_seq"`
	// Deliveries is how often it was delivered before the consumer gave up.
	Deliveries uint64 `json:"deliveries"`
	// MsgID is the original Nats-Msg-Id (the event id), when it had one.
	MsgID string `json:"msg_id,omitempty"`
	// Data is the original payload, byte for byte (a string in JSON, so a
	// broken payload stays readable).
	Data []byte `json:"-"`
	// Payload is Data as text, for JSON output.
	Payload string `json:"payload"`
}

// DeadLetters returns up to limit dead letters of consumer ("" for all),
// oldest first; limit <= 0 means all. It reads the dead-letter stream one
// message at a time, so it is meant for the handful an operator looks at.
func (b *Bus) DeadLetters(ctx context.Context, consumer string, limit int) ([]DeadLetter, error) {
	stream, err := b.js.Stream(ctx, b.dlqStream)
	if err != nil {
		return nil, fmt.Errorf("reading stream %s: %w", b.dlqStream, err)
	}
	state := stream.CachedInfo().State
	var out []DeadLetter
	for seq := state.FirstSeq; seq <= state.LastSeq && state.Msgs > 0; seq++ {
		if limit > 0 && len(out) >= limit {
			break
		}
		raw, err := stream.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue // replayed, or deleted by hand
		}
		if err != nil {
			return out, fmt.Errorf("reading dead letter %d: %w", seq, err)
		}
		dl := deadLetterOf(raw)
		if consumer == "" || dl.Consumer == consumer {
			out = append(out, dl)
		}
	}
	return out, nil
}

func deadLetterOf(raw *jetstream.RawStreamMsg) DeadLetter {
	h := raw.Header
	num := func(key string) uint64 {
		n, _ := strconv.ParseUint(h.Get(key), 10, 64)
		return n
	}
	consumer := h.Get(HeaderDLQConsumer)
	if consumer == "" {
		consumer = strings.TrimPrefix(raw.Subject, news.DeadLetterSubject(""))
	}
	return DeadLetter{
		Seq: raw.Sequence, Time: raw.Time, Consumer: consumer,
		Reason: h.Get(HeaderDLQReason), Subject: h.Get(HeaderDLQSubject),
		Stream: h.Get(HeaderDLQStream), StreamSeq: num(HeaderDLQSequence),
		Deliveries: num(HeaderDLQDeliveries), MsgID: h.Get(HeaderDLQMsgID), Data: raw.Data,
		Payload: string(raw.Data),
	}
}

// ReplayDeadLetter publishes dead letter seq again on its original subject,
// unchanged, and waits for the article stream's ack; then it deletes the
// dead letter. Every consumer of the stream sees it again (the indexer
// upserts, so a replay never makes a second document). A replayed event the
// consumer still cannot handle comes back as a new dead letter.
func (b *Bus) ReplayDeadLetter(ctx context.Context, seq uint64) error {
	stream, err := b.js.Stream(ctx, b.dlqStream)
	if err != nil {
		return fmt.Errorf("reading stream %s: %w", b.dlqStream, err)
	}
	raw, err := stream.GetMsg(ctx, seq)
	if err != nil {
		return fmt.Errorf("reading dead letter %d: %w", seq, err)
	}
	dl := deadLetterOf(raw)
	if dl.Subject == "" {
		return fmt.Errorf("replaying dead letter %d: it does not name its original subject", seq)
	}
	msg := &nats.Msg{Subject: dl.Subject, Header: nats.Header{}, Data: dl.Data}
	for k, v := range raw.Header {
		if !strings.HasPrefix(k, "Newsdesk-Dlq-") && k != jetstream.MsgIDHeader {
			msg.Header[k] = v
		}
	}
	// A new id: the original one may still be in the duplicate window,
	// which would drop the replay. Replaying one dead letter twice within
	// the window stores it once.
	opts := []jetstream.PublishOpt{jetstream.WithMsgID(fmt.Sprintf("replay-%s-%d", b.dlqStream, seq))}
	if dl.Stream != "" {
		opts = append(opts, jetstream.WithExpectStream(dl.Stream))
	}
	if _, err := b.js.PublishMsg(ctx, msg, opts...); err != nil {
		return fmt.Errorf("replaying dead letter %d on %s: %w", seq, dl.Subject, err)
	}
	if err := stream.DeleteMsg(ctx, seq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		return fmt.Errorf("deleting replayed dead letter %d (it was replayed): %w", seq, err)
	}
	return nil
}
