// Package events carries article and alert events over NATS JetStream: an
// embedded server for the single-machine setup, the article, alert and
// dead-letter streams, publishing with Msg-Id deduplication, a durable pull
// consumer that hands articles to a Sink and acknowledges each message only
// after its article was accepted (at-least-once by construction) and
// dead-letters what it cannot process, and Subscribe for live readers.
//
// Only the event schema of package news crosses this boundary: subscribers
// outside newsdesk need nothing from this package.
package events
