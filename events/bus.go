package events

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Defaults of Options.
const (
	DefaultStream           = "NEWSDESK_ARTICLES"
	DefaultAlertStream      = "NEWSDESK_ALERTS"
	DefaultDeadLetterStream = "NEWSDESK_DLQ"
	DefaultMaxAge           = 30 * 24 * time.Hour
	DefaultDuplicateWindow  = 10 * time.Minute
	DefaultRetryBudget      = 30 * time.Second
)

// closeTimeout bounds how long Close waits for the connection to drain.
const closeTimeout = 30 * time.Second

// Options configures the connection to NATS and the article stream.
type Options struct {
	// URL is the server to connect to, nats://host:port; a comma-separated
	// list for a cluster. Default nats://127.0.0.1:4222.
	URL string
	// Name is the connection name shown in server monitoring, default "newsdesk".
	Name string
	// Stream is the JetStream stream that captures news.ArticleSubjects,
	// default "NEWSDESK_ARTICLES".
	Stream string
	// AlertStream captures news.AlertSubjects, default "NEWSDESK_ALERTS".
	AlertStream string
	// DeadLetterStream captures news.DeadLetterSubjects, default
	// "NEWSDESK_DLQ". Dead letters carry a copy of the event, so they stay
	// replayable even after the article stream dropped the original.
	DeadLetterStream string
	// Storage is "file" (default: survives restarts) or "memory" (faster,
	// lost with the server; only for throwaway setups). JetStream cannot
	// change the storage of an existing stream.
	Storage string
	// MaxBytes caps each stream's size; the oldest events go first. 0 means
	// no cap beyond MaxAge and the server's limits.
	MaxBytes int64
	// Replicas is the streams' replication factor. 0 means 1 on a single
	// server and 3 when the server we connected to is part of a cluster (a
	// cluster of fewer than three JetStream servers must set it explicitly).
	Replicas int
	// MaxAge is how long events are kept, default 30 days: long enough to
	// rebuild an index by replaying the stream after a mapping change.
	// Negative keeps them until MaxBytes or the server's limits apply.
	MaxAge time.Duration
	// DuplicateWindow is how long JetStream remembers a Nats-Msg-Id to drop
	// a second copy of an event, default 10 minutes.
	//
	// It has to outlast the gap between a publish and its retry: a lost ack
	// retried after a reconnect, a cluster leader election or a supervised
	// crawler restart, which can exceed the NATS default of 2 minutes. It must
	// stay short because event ids are derived from the content: a page
	// fetched as A, then B, then A again within the window (a metered page
	// served whole, then truncated) would have its last version dropped as a
	// duplicate of the first, leaving B in the index. With 10 minutes that
	// takes refetches of one page less than 5 minutes apart. A duplicate
	// outside the window only costs one idempotent index write (the indexer
	// upserts by document id). It is capped at MaxAge, as JetStream requires.
	DuplicateWindow time.Duration
	// RetryBudget is how long a publish, a lease renewal or a stream
	// operation is retried with backoff through a leader election or a
	// server restart before it fails; default DefaultRetryBudget.
	RetryBudget time.Duration
	// Streams is what Connect does about the streams: create missing ones
	// and leave existing ones alone (the zero value), only check that they
	// exist, or nothing. Only ApplyStreams changes an existing stream.
	Streams StreamSetup
	// Auth and TLS: see auth.go. At most one of CredsFile, NkeyFile,
	// User/Password and Token authenticates.
	Auth Auth
	// Logger receives connection events (disconnects, reconnects, async
	// errors) and consumer problems; nil discards them.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.URL == "" {
		o.URL = nats.DefaultURL
	}
	if o.Name == "" {
		o.Name = "newsdesk"
	}
	if o.Stream == "" {
		o.Stream = DefaultStream
	}
	if o.AlertStream == "" {
		o.AlertStream = DefaultAlertStream
	}
	if o.DeadLetterStream == "" {
		o.DeadLetterStream = DefaultDeadLetterStream
	}
	if o.Storage == "" {
		o.Storage = "file"
	}
	switch {
	case o.MaxAge == 0:
		o.MaxAge = DefaultMaxAge
	case o.MaxAge < 0:
		o.MaxAge = 0 // JetStream: no age limit
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = -1
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = DefaultDuplicateWindow
	}
	if o.MaxAge > 0 {
		o.DuplicateWindow = min(o.DuplicateWindow, o.MaxAge)
	}
	if o.RetryBudget <= 0 {
		o.RetryBudget = DefaultRetryBudget
	}
	o.Logger = orDiscard(o.Logger)
	return o
}

// Bus is a connection to NATS with the article stream set up. It is safe for
// concurrent use: several goroutines may Publish and Consume on one Bus.
type Bus struct {
	nc          *nats.Conn
	js          jetstream.JetStream
	stream      string // articles
	alertStream string
	dlqStream   string
	log         *slog.Logger
	// retryBudget bounds the retries of one operation through a leader
	// election or a server restart.
	retryBudget time.Duration
	// opts are the stream settings ApplyStreams applies.
	opts Options

	closed    chan struct{} // closed by the connection's ClosedHandler
	closeOnce sync.Once
}

// Connect connects to NATS and, as opts.Streams says, creates the article,
// alert and dead-letter streams that are missing or checks that they exist.
// It never changes an existing stream: that is ApplyStreams' job.
// Once connected, the client reconnects forever after a disconnect; the
// first connection is not retried, so a wrong URL fails at once.
func Connect(ctx context.Context, opts Options) (*Bus, error) {
	opts = opts.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("connecting to NATS: %w", err)
	}
	log := opts.Logger
	auth, err := opts.Auth.natsOptions()
	if err != nil {
		return nil, fmt.Errorf("connecting to NATS at %s: %w", redactURLs(opts.URL), err)
	}
	closed := make(chan struct{})
	nc, err := nats.Connect(opts.URL, append(auth,
		nats.Name(opts.Name),
		nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("disconnected from NATS", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("reconnected to NATS", "url", connectedURL(nc))
		}),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			if sub != nil {
				log.Warn("NATS async error", "subject", sub.Subject, "err", err)
				return
			}
			log.Warn("NATS async error", "err", err)
		}),
		nats.ClosedHandler(func(*nats.Conn) { close(closed) }),
	)...)
	if err != nil {
		return nil, fmt.Errorf("connecting to NATS at %s: %w", redactURLs(opts.URL), connectError(err, opts.Auth))
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("creating JetStream context: %w", err)
	}
	b := &Bus{nc: nc, js: js, stream: opts.Stream, alertStream: opts.AlertStream,
		dlqStream: opts.DeadLetterStream, log: log, closed: closed,
		retryBudget: opts.RetryBudget, opts: opts}
	if err := b.setupStreams(ctx, opts.Streams); err != nil {
		nc.Close()
		return nil, fmt.Errorf("NATS at %s: %w", connectedURL(nc), err)
	}
	log.Info("connected to NATS", "url", connectedURL(nc), "stream", opts.Stream)
	return b, nil
}

// Close drains the connection: subscriptions stop taking messages, buffered
// publishes and acks are flushed, then the connection closes. It waits for
// that to finish (at most 30 seconds) and is safe to call more than once.
// Call it after Consume has returned.
func (b *Bus) Close() {
	b.closeOnce.Do(func() {
		if err := b.nc.Drain(); err != nil {
			b.nc.Close()
		}
		select {
		case <-b.closed:
		case <-time.After(closeTimeout):
			b.log.Warn("NATS connection did not drain in time, closing it", "timeout", closeTimeout)
			b.nc.Close()
		}
	})
}

// redactURLs hides credentials in a comma-separated list of server URLs, so
// errors can name the server. The whole user part goes: NATS puts a token
// where the user name would be.
func redactURLs(list string) string {
	parts := strings.Split(list, ",")
	for i, p := range parts {
		if u, err := url.Parse(strings.TrimSpace(p)); err == nil && u.User != nil {
			u.User = url.User("redacted")
			parts[i] = u.String()
		}
	}
	return strings.Join(parts, ",")
}

// connectedURL is the server nc is connected to, safe to log. nats.go's
// ConnectedUrlRedacted hides a password but not a token (nats://token@host).
func connectedURL(nc *nats.Conn) string { return redactURLs(nc.ConnectedUrl()) }
