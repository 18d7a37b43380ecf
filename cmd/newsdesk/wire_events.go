package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"newsdesk/alert"
	"newsdesk/config"
	"newsdesk/events"
	"newsdesk/news"
)

// busOptions maps the nats config onto the events options.
func busOptions(cfg *config.Config, url, name string, logger *slog.Logger) events.Options {
	n := cfg.NATS
	maxAge := time.Duration(n.MaxAge)
	if maxAge == 0 {
		maxAge = events.KeepForever // the config's 0 keeps events forever
	}
	return events.Options{
		URL: url, Name: "newsdesk-" + name, Stream: n.Stream, AlertStream: n.AlertStream,
		DeadLetterStream: n.DLQStream, Storage: n.Storage, MaxBytes: n.MaxBytes,
		Replicas: n.Replicas, MaxAge: maxAge, DuplicateWindow: time.Duration(n.DuplicateWindow),
		RetryBudget: time.Duration(n.RetryBudget), Logger: logger,
		Auth: events.Auth{
			CredsFile: n.CredsFile, NkeyFile: n.NkeyFile,
			User: n.User, Password: n.Password, PasswordFile: n.PasswordFile,
			Token: n.Token, TokenFile: n.TokenFile,
			CAFile: n.TLS.CAFile, CertFile: n.TLS.CertFile, KeyFile: n.TLS.KeyFile,
		},
	}
}

// consumeOptions are the options of the durable consumer named durable.
func consumeOptions(cfg *config.Config, durable string, batch int, logger *slog.Logger) events.ConsumeOptions {
	return events.ConsumeOptions{Durable: durable, Batch: batch, MaxDeliver: cfg.NATS.MaxDeliver, Logger: logger}
}

// newMatcher compiles the configured watches; nil when there are none. Its
// errors name the key, as config errors do.
func newMatcher(cfg *config.Config) (*alert.Matcher, error) {
	if len(cfg.Watches) == 0 {
		return nil, nil
	}
	ws := make([]alert.Watch, len(cfg.Watches))
	var errs []error
	for i, w := range cfg.Watches {
		if err := alert.ParseQuery(w.Query); err != nil {
			errs = append(errs, fmt.Errorf("watches[%d].query: %q: %w", i, w.Query, err))
		}
		ws[i] = alert.Watch{Name: w.Name, Query: w.Query, Sources: w.Sources, Topics: w.Topics,
			Languages: w.Languages, Subject: w.AlertSubject()}
		for _, k := range w.Paywall {
			ws[i].Paywalls = append(ws[i].Paywalls, news.PaywallKind(k))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return alert.NewMatcher(ws)
}

// runAlerter consumes article events as the alerter until ctx ends; with no
// watches it returns nil at once.
func runAlerter(ctx context.Context, cfg *config.Config, m *alert.Matcher, bus *events.Bus, logger *slog.Logger) error {
	if m == nil {
		return nil
	}
	logger.Info("evaluating article events against watches", "durable", news.AlerterConsumer, "watches", m.Len())
	return bus.Consume(ctx, consumeOptions(cfg, news.AlerterConsumer, 0, logger), alert.NewAlerter(m, bus, logger))
}
