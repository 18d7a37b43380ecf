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

// newMatcher compiles the configured watches (none is an empty matcher:
// searches saved as watches join it at run time). Its errors name the key,
// as config errors do.
func newMatcher(cfg *config.Config) (*alert.Matcher, error) {
	var errs []error
	for i, w := range cfg.Watches {
		if err := alert.ParseQuery(w.Query); err != nil {
			errs = append(errs, fmt.Errorf("watches[%d].query: %q: %w", i, w.Query, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return alert.NewMatcher(configWatches(cfg))
}

// runAlerter consumes article events as the alerter until ctx ends, with
// the config's watches and the saved ones (followed as they change); with
// m nil (alerts switched off) it returns nil at once.
func runAlerter(ctx context.Context, cfg *config.Config, m *alert.Matcher, bus *events.Bus, logger *slog.Logger) error {
	if m == nil {
		return nil
	}
	logger.Info("evaluating article events against watches", "durable", news.AlerterConsumer, "watches", m.Len())
	al := alert.NewAlerter(m, bus, logger)
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	go followSavedWatches(ctx, cfg, bus, al, logger)
	return bus.Consume(ctx, consumeOptions(cfg, news.AlerterConsumer, 0, logger), al)
}
