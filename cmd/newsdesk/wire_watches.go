package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"newsdesk/alert"
	"newsdesk/api"
	"newsdesk/config"
	"newsdesk/events"
	"newsdesk/news"
)

// watchStore is the API's store of saved watches over the NATS key-value
// bucket. Names of the config's watches are taken: a saved watch of the
// same name would publish on the same subject.
type watchStore struct {
	kv       *events.Watches
	reserved map[string]bool
}

// newWatchStore opens the saved watches' bucket on bus; nil (the API then
// answers 503) when it cannot, logged.
func newWatchStore(ctx context.Context, cfg *config.Config, bus *events.Bus, logger *slog.Logger) api.WatchStore {
	kv, err := bus.Watches(ctx, "")
	if err != nil {
		logger.Warn("saved watches unavailable", "err", err)
		return nil
	}
	st := &watchStore{kv: kv, reserved: map[string]bool{}}
	for _, w := range cfg.Watches {
		st.reserved[w.Name] = true
	}
	return st
}

func (s *watchStore) SaveWatch(ctx context.Context, w api.SavedWatch) error {
	if s.reserved[w.Name] {
		return fmt.Errorf("watch %s is in the config: %w", w.Name, api.ErrWatchExists)
	}
	err := s.kv.Create(ctx, events.SavedWatch{Name: w.Name, Query: w.Query, Sources: w.Filters.Source,
		Topics: w.Filters.Topic, Languages: w.Filters.Language, Paywall: w.Filters.Paywall,
		Subject: w.Subject, Created: w.Created})
	if errors.Is(err, events.ErrWatchExists) {
		return fmt.Errorf("%w: %w", err, api.ErrWatchExists)
	}
	return err
}

func (s *watchStore) Watches(ctx context.Context) ([]api.SavedWatch, error) {
	saved, err := s.kv.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.SavedWatch, len(saved))
	for i, w := range saved {
		out[i] = api.SavedWatch{Name: w.Name, Query: w.Query, Subject: w.Subject, Created: w.Created,
			Filters: api.WatchFilters{Source: w.Sources, Topic: w.Topics, Language: w.Languages, Paywall: w.Paywall}}
	}
	return out, nil
}

func (s *watchStore) DeleteWatch(ctx context.Context, name string) error {
	err := s.kv.Delete(ctx, name)
	if errors.Is(err, events.ErrWatchNotFound) {
		return fmt.Errorf("%w: %w", err, news.ErrNotFound)
	}
	return err
}

// serveNATS is the NATS connection of `newsdesk serve`, for the saved
// watches only: nats.url, else the server of a running `newsdesk run` on
// the embedded address. serve never starts a server of its own, and
// without one it searches on and answers /api/watches 503 (nil, logged).
func serveNATS(ctx context.Context, cfg *config.Config, logger *slog.Logger) *events.Bus {
	url := cfg.NATS.URL
	if url == "" {
		addr := net.JoinHostPort(cfg.NATS.Embedded.Host, fmt.Sprint(cfg.NATS.Embedded.Port))
		if !reachable(ctx, addr) {
			logger.Info("no NATS server: saved watches (/api/watches) are unavailable", "tried", addr)
			return nil
		}
		url = "nats://" + addr
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	opts := busOptions(cfg, url, "serve", logger)
	opts.Streams = events.SkipStreams
	bus, err := events.Connect(ctx, opts)
	if err != nil {
		logger.Warn("NATS unavailable: saved watches (/api/watches) answer 503", "err", err)
		return nil
	}
	return bus
}

// followSavedWatches keeps al's watches the config's plus the saved ones,
// rebuilt on every change of the bucket, until ctx ends. Without the bucket
// the config's watches go on alone.
func followSavedWatches(ctx context.Context, cfg *config.Config, bus *events.Bus, al *alert.Alerter, logger *slog.Logger) {
	kv, err := bus.Watches(ctx, "")
	if err != nil {
		logger.Warn("saved watches unavailable; alerting on the config's watches only", "err", err)
		return
	}
	err = kv.Watch(ctx, func(saved []events.SavedWatch) {
		m := savedMatcher(cfg, saved, logger)
		al.SetMatcher(m)
		logger.Info("watches loaded", "watches", m.Len(), "saved", len(saved))
	}, func(name string, err error) {
		logger.Warn("skipping a saved watch that does not decode", "watch", name, "err", err)
	})
	if err != nil {
		logger.Warn("following saved watches stopped; alerting on the watches loaded last", "err", err)
	}
}

// savedMatcher compiles the config's watches and the saved ones; a saved
// watch that does not compile (or takes a config watch's name) is skipped
// with a log line, so it cannot stop the others.
func savedMatcher(cfg *config.Config, saved []events.SavedWatch, logger *slog.Logger) *alert.Matcher {
	base, err := newMatcher(cfg)
	if err != nil { // checked at start; cannot happen
		logger.Error("compiling the config's watches", "err", err)
		return nil
	}
	ws := configWatches(cfg)
	taken := map[string]bool{}
	for _, w := range ws {
		taken[w.Name] = true
	}
	for _, s := range saved {
		w := alert.Watch{Name: s.Name, Query: s.Query, Sources: s.Sources, Topics: s.Topics, Languages: s.Languages, Subject: s.Subject}
		for _, k := range s.Paywall {
			w.Paywalls = append(w.Paywalls, news.PaywallKind(k))
		}
		if taken[s.Name] {
			logger.Warn("skipping a saved watch with the name of a config watch", "watch", s.Name)
			continue
		}
		if _, err := alert.NewMatcher([]alert.Watch{w}); err != nil {
			logger.Warn("skipping a saved watch that does not compile", "watch", s.Name, "err", err)
			continue
		}
		taken[s.Name] = true
		ws = append(ws, w)
	}
	m, err := alert.NewMatcher(ws)
	if err != nil {
		logger.Error("compiling watches; keeping the config's", "err", err)
		return base
	}
	return m
}

// configWatches are the config's watches as the alerter takes them.
func configWatches(cfg *config.Config) []alert.Watch {
	ws := make([]alert.Watch, len(cfg.Watches))
	for i, w := range cfg.Watches {
		ws[i] = alert.Watch{Name: w.Name, Query: w.Query, Sources: w.Sources, Topics: w.Topics,
			Languages: w.Languages, Subject: w.AlertSubject()}
		for _, k := range w.Paywall {
			ws[i].Paywalls = append(ws[i].Paywalls, news.PaywallKind(k))
		}
	}
	return ws
}
