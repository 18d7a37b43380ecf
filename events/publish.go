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
const contentType = "application/cloudevents+json; charset=UTF-8"

// Publish sends one article event on news.ArticleSubject(kind,
// ev.Data.Source) with Nats-Msg-Id = ev.ID and waits for the JetStream ack. A
// duplicate within the stream's DuplicateWindow is reported as success: it is
// stored once.
//
// A nil error means the event is stored in the stream. Any other outcome is
// an error: an event of a type this version does not know, without an id, or
// with a source that is not a valid subject token (news.ValidSourceName); an
// event larger than the server's max payload; no ack before ctx ends (5
// seconds when ctx has no deadline). The caller must retry or give up loudly;
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
	data, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encoding article event %s: %w", ev.ID, err)
	}
	msg := &nats.Msg{
		Subject: news.ArticleSubject(kind, ev.Data.Source),
		Header:  nats.Header{"Content-Type": []string{contentType}},
		Data:    data,
	}
	ack, err := b.js.PublishMsg(ctx, msg, jetstream.WithMsgID(ev.ID), jetstream.WithExpectStream(b.stream))
	if err != nil {
		return fmt.Errorf("publishing article event %s on %s: %w", ev.ID, msg.Subject, err)
	}
	if ack.Duplicate {
		b.log.Debug("duplicate article event dropped by the stream", "id", ev.ID, "seq", ack.Sequence)
	}
	return nil
}
