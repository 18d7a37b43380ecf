// Package events carries article events over NATS JetStream: an embedded
// server for the single-machine setup, the article stream, publishing with
// Msg-Id deduplication, and a durable pull consumer that hands articles to a
// Sink and acknowledges each message only after its article was accepted
// (at-least-once by construction).
//
// Only the event schema of package news crosses this boundary: subscribers
// outside newsdesk need nothing from this package.
package events
