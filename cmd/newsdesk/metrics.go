package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"newsdesk/crawler"
	"newsdesk/events"
	"newsdesk/internal/metrics"
	"newsdesk/news"
)

// crawlerOption adjusts the crawler's options and returns the publisher
// the crawler gets (pub itself or a wrapper around it).
type crawlerOption func(o *crawler.Options, pub crawler.Publisher) crawler.Publisher

// withCrawlMetrics counts the crawler's responses and published events in m.
func withCrawlMetrics(m *metrics.Metrics) crawlerOption {
	return func(o *crawler.Options, pub crawler.Publisher) crawler.Publisher {
		prev := o.OnResponse
		o.OnResponse = func(source string, status int, kind string) {
			m.CrawlResponse(source, status, kind)
			if prev != nil {
				prev(source, status, kind)
			}
		}
		return meteredPublisher{next: pub, m: m}
	}
}

// meteredPublisher counts and times the article events the crawler publishes.
type meteredPublisher struct {
	next crawler.Publisher
	m    *metrics.Metrics
}

func (p meteredPublisher) Publish(ctx context.Context, ev news.ArticleEvent) error {
	start := time.Now()
	err := p.next.Publish(ctx, ev)
	p.m.Published(ev.Data.Source, eventKind(ev.Type), string(ev.Data.Paywall.Kind), time.Since(start), err)
	return err
}

// eventKind is the kind in a CloudEvents type such as
// "io.newsdesk.article.created.v1": "created".
func eventKind(typ string) string {
	parts := strings.Split(typ, ".")
	if len(parts) < 2 {
		return typ
	}
	return parts[len(parts)-2]
}

// meteredSink counts the documents the index stores or refuses and times
// its batches. It stays a Prober when the index is one, so the consumer
// still probes the index during an outage, and passes Backlog on.
type meteredSink struct {
	next events.Sink
	m    *metrics.Metrics
}

func (s meteredSink) Store(ctx context.Context, docs []news.Article) []error {
	start := time.Now()
	errs := s.next.Store(ctx, docs)
	results := map[string]int{}
	for i := range docs {
		var err error
		if i < len(errs) {
			err = errs[i]
		}
		results[indexResult(err)]++
	}
	s.m.IndexBatch(time.Since(start), results)
	return errs
}

func (s meteredSink) Backlog(behind bool) {
	if b, ok := s.next.(events.Backlogger); ok {
		b.Backlog(behind)
	}
}

func (s meteredSink) Ping(ctx context.Context) error {
	if p, ok := s.next.(events.Prober); ok {
		return p.Ping(ctx)
	}
	return nil
}

// indexResult names what became of one document, as the consumer decides:
// a permanent refusal (news.ErrPermanent) sends its event to the
// dead-letter stream, another error to a redelivery.
func indexResult(err error) string {
	switch {
	case err == nil:
		return metrics.ResultStored
	case errors.Is(err, news.ErrPermanent):
		return metrics.ResultDeadLettered
	}
	return metrics.ResultRejected
}

// queueStats reads the article stream's consumers and the dead-letter
// stream from bus at every scrape.
func queueStats(bus *events.Bus) metrics.QueueStats {
	return func(ctx context.Context) ([]metrics.ConsumerStat, uint64, error) {
		cs, err := bus.ConsumerStats(ctx)
		if err != nil {
			return nil, 0, err
		}
		dlq, err := bus.DeadLetterCount(ctx)
		if err != nil {
			return nil, 0, err
		}
		out := make([]metrics.ConsumerStat, len(cs))
		for i, c := range cs {
			out[i] = metrics.ConsumerStat{Consumer: c.Name, Pending: c.Pending, AckPending: c.AckPending}
		}
		return out, dlq, nil
	}
}

// newMetrics is a process's metrics, with the queue gauges read from bus.
func newMetrics(bus *events.Bus) *metrics.Metrics {
	m := metrics.New()
	m.WatchQueues(queueStats(bus))
	return m
}

// readyCheck is one dependency a command needs to do its job.
type readyCheck struct {
	name  string
	check func(ctx context.Context) error
}

// natsReady is ready while the connection to NATS is up.
func natsReady(bus *events.Bus) readyCheck {
	return readyCheck{"nats", func(context.Context) error {
		if !bus.Connected() {
			return errors.New("not connected to NATS")
		}
		return nil
	}}
}

// indexReady is ready while the index answers a ping.
func indexReady(p events.Prober) readyCheck {
	return readyCheck{"index", p.Ping}
}

// opsHandler serves /metrics, /healthz (the process is alive) and /readyz
// (every check passes: 200, else 503 naming the failing ones).
func opsHandler(m *metrics.Metrics, checks ...readyCheck) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		var failed []string
		for _, c := range checks {
			if err := c.check(ctx); err != nil {
				failed = append(failed, fmt.Sprintf("%s: %v", c.name, err))
			}
		}
		if len(failed) > 0 {
			http.Error(w, "not ready: "+strings.Join(failed, "; "), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	return mux
}

// withReadyChecks answers GET /readyz with 503 while one of checks fails,
// and hands it to h (the API's own readiness: the index) otherwise: `run`
// cannot do its job without NATS either.
func withReadyChecks(h http.Handler, checks ...readyCheck) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/readyz" {
			h.ServeHTTP(w, r)
			return
		}
		for _, c := range checks {
			if err := c.check(r.Context()); err != nil {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable)
				_ = json.NewEncoder(w).Encode(map[string]string{"status": "unavailable", "error": c.name + ": " + err.Error()})
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// serveOps serves h on addr until ctx ends; it returns once listening, so
// a port already taken fails the command at start.
func serveOps(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s (--metrics-addr, metrics.addr): %w", addr, err)
	}
	srv := newHTTPServer(h)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics server stopped", "err", err)
		}
	}()
	logger.Info("serving /metrics, /healthz and /readyz", "url", "http://"+ln.Addr().String())
	return nil
}
