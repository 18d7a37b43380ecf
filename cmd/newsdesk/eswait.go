package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"newsdesk/config"
	"newsdesk/indexer"
	"newsdesk/indexer/elastic"
)

// esWaitBase and esWaitMax pace the attempts of openIndexWaiting.
const (
	esWaitBase = time.Second
	esWaitMax  = 30 * time.Second
)

// openIndexWaiting is openIndex for `newsdesk index`, a long-running
// consumer that a service manager may start before Elasticsearch is up:
// while the cluster does not answer or is not ready it logs why and tries
// again, the pause doubling from 1 s to 30 s, until the cluster is ready
// or ctx is cancelled. Any other failure (a mapping the cluster refuses,
// bad credentials) is returned at once: waiting would not fix it.
func openIndexWaiting(ctx context.Context, cfg *config.Config, logger *slog.Logger) (indexer.Index, error) {
	pause := esWaitBase
	for attempt := 1; ; attempt++ {
		idx, err := openIndex(ctx, cfg, logger)
		if err == nil || !errors.Is(err, elastic.ErrUnavailable) {
			return idx, err
		}
		addrs := esAddresses(cfg.Elasticsearch.URLs)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("waiting for Elasticsearch at %s: %w", addrs, ctx.Err())
		}
		logger.Warn(fmt.Sprintf("waiting for Elasticsearch at %s: %s; retrying", addrs, rootCause(err)),
			"retry_in", pause, "attempt", attempt)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for Elasticsearch at %s: %w", addrs, ctx.Err())
		case <-time.After(pause):
		}
		pause = min(2*pause, esWaitMax)
	}
}

// esAddresses lists the cluster's URLs for a log line, without any user
// info: a password in a URL is never printed.
func esAddresses(urls []string) string {
	out := make([]string, len(urls))
	for i, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			out[i] = "(an invalid URL)"
			continue
		}
		u.User = nil
		out[i] = u.String()
	}
	return strings.Join(out, ", ")
}

// rootCause is the innermost error of err's chain (following the last of
// several wrapped errors), e.g. "connection refused" rather than the whole
// chain of the failed request: what an operator needs to read. Those
// innermost errors (a system call's, Elasticsearch's answer, a cluster
// status) carry no URL and no credential.
func rootCause(err error) string {
	for {
		var next error
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			next = u.Unwrap()
		case interface{ Unwrap() []error }:
			if errs := u.Unwrap(); len(errs) > 0 {
				next = errs[len(errs)-1]
			}
		}
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
