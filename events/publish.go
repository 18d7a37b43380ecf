package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"newsdesk/news"
)

// contentType marks the payload as a CloudEvent in structured mode, as the
// CloudEvents NATS binding asks, so generic tools can recognise it.
//
// No ce-* headers are set: the binding (and the Go SDK's NATS and JetStream
// protocols) read a message that carries ce-specversion as binary mode, with
// the payload as the event's data, so headers beside a structured body would
// make such a consumer see the whole envelope as data.
const contentType = "application/cloudevents+json; charset=UTF-8"

// Publish sends one article event on news.ArticleSubject(kind, source,
// topic) with Nats-Msg-Id = ev.ID and waits for the JetStream ack. A
// duplicate within the stream's DuplicateWindow is reported as success: it is
// stored once.
//
// A nil error means the event is stored in the stream. Any other outcome is
// an error: an event of a type this version does not know, without an id, or
// with a source that is not a valid subject token (news.ValidSourceName); an
// event larger than the server's max payload; no ack before ctx ends or
// within the retry budget (Options.RetryBudget). A publish that finds no
// stream leader, times out or finds the connection down is retried with
// backoff and the same Nats-Msg-Id, so a leader election or a server
// restart only delays it. The caller must retry or give up loudly;
// retrying the same event is safe within the window.
func (b *Bus) Publish(ctx context.Context, ev news.ArticleEvent) error {
	kind, ok := ev.Kind()
	if !ok {
		return fmt.Errorf("publishing article event %q: unknown event type %q", ev.ID, ev.Type)
	}
	if ev.ID == "" {
		return errors.New("publishing article event: empty event id (build events with news.NewArticleEvent)")
	}
	if src := ev.Data.Source; src != "" && !news.ValidSourceName(src) {
		return fmt.Errorf("publishing article event %s: source %q is not a valid subject token", ev.ID, src)
	}
	subject := news.ArticleSubject(kind, ev.Data.Source, news.TopicToken(ev.Data.Topics))
	return b.publishEvent(ctx, "article", subject, ev.ID, b.stream, ev)
}

// PublishAlert sends one alert event on news.AlertSubject(subjectSuffix)
// into the alert stream, with Nats-Msg-Id = ev.ID, and waits for the ack, as
// Publish does. subjectSuffix must satisfy news.ValidSubjectSuffix.
func (b *Bus) PublishAlert(ctx context.Context, subjectSuffix string, ev news.AlertEvent) error {
	if ev.ID == "" || ev.Type != news.AlertType {
		return fmt.Errorf("publishing alert event %q: type %q is not %s or the id is empty", ev.ID, ev.Type, news.AlertType)
	}
	if !news.ValidSubjectSuffix(subjectSuffix) {
		return fmt.Errorf("publishing alert event %s: %q is not a valid subject suffix", ev.ID, subjectSuffix)
	}
	return b.publishEvent(ctx, "alert", news.AlertSubject(subjectSuffix), ev.ID, b.alertStream, ev)
}

// publishEvent encodes ev and publishes it with msgID, expecting stream.
func (b *Bus) publishEvent(ctx context.Context, what, subject, msgID, stream string, ev any) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encoding %s event %s: %w", what, msgID, err)
	}
	msg := &nats.Msg{
		Subject: subject,
		Header:  nats.Header{"Content-Type": []string{contentType}},
		Data:    data,
	}
	var ack *jetstream.PubAck
	err = retry(ctx, b.retryBudget, func(ctx context.Context) error {
		// The same message, so the same Nats-Msg-Id, on every try: a try
		// whose ack was lost is stored once, the stream drops the copy.
		ack, err = b.js.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID), jetstream.WithExpectStream(stream))
		return err
	})
	if err != nil {
		return fmt.Errorf("publishing %s event %s on %s: %w", what, msgID, subject, err)
	}
	if ack.Duplicate {
		b.log.Debug("duplicate event dropped by the stream", "what", what, "id", msgID, "seq", ack.Sequence)
	}
	return nil
}
