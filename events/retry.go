package events

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Retry pacing through a leader election or a server restart: the first
// retry comes quickly (an election usually takes seconds), later ones no
// more often than every maxBackoff. attemptTimeout bounds one try, so a
// request lost in a disconnect is sent again instead of waited for.
const (
	firstRetryDelay = 50 * time.Millisecond
	maxBackoff      = 2 * time.Second
	attemptTimeout  = 5 * time.Second
)

// budgetKey names the setting that bounds retries, for error messages.
const budgetKey = "nats.retry_budget"

// retry runs op until it succeeds, fails with an error that retrying cannot
// cure, ctx ends, or budget has passed. Each try gets its own timeout
// (attemptTimeout, cut to what is left of the budget). The returned error
// wraps op's last error; after the budget it says "no JetStream response
// for <budget> (retry budget nats.retry_budget)". The caller names the
// operation and the subject.
func retry(ctx context.Context, budget time.Duration, op func(ctx context.Context) error) error {
	deadline := time.Now().Add(budget)
	delay := firstRetryDelay
	for {
		err := attempt(ctx, deadline, op)
		if err == nil || !transient(err) {
			return err
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (last error: %w)", context.Cause(ctx), err)
		}
		wait := jitter(delay)
		if time.Until(deadline) < wait {
			return fmt.Errorf("no JetStream response for %s (retry budget %s): %w", budget, budgetKey, err)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %w)", context.Cause(ctx), err)
		}
		delay = min(2*delay, maxBackoff)
	}
}

// attempt runs op once, bounded by attemptTimeout and the deadline.
func attempt(ctx context.Context, deadline time.Time, op func(ctx context.Context) error) error {
	actx, cancel := context.WithDeadline(ctx, earliest(deadline, time.Now().Add(attemptTimeout)))
	defer cancel()
	err := op(actx)
	if err != nil && ctx.Err() == nil && actx.Err() != nil && !transient(err) {
		// The try's own timeout, whatever op made of it: worth another try.
		return fmt.Errorf("%w: %w", nats.ErrTimeout, err)
	}
	return err
}

// earliest is the earlier of two times.
func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// jitter spreads retries of many clients over [d/2, d].
func jitter(d time.Duration) time.Duration {
	return d/2 + rand.N(d/2+1)
}

// transient reports whether err is what a leader election, a node restart
// or a reconnect looks like: no responder, no answer in time, a connection
// not up right now, or JetStream saying it is temporarily unavailable.
func transient(err error) bool {
	switch {
	case errors.Is(err, jetstream.ErrNoStreamResponse),
		errors.Is(err, nats.ErrNoResponders),
		errors.Is(err, nats.ErrTimeout),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, nats.ErrConnectionReconnecting),
		errors.Is(err, nats.ErrDisconnected),
		errors.Is(err, nats.ErrNoServers),
		errors.Is(err, jetstream.ErrJetStreamNotEnabled):
		return true
	}
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code == 503 || apiErr.ErrorCode == jsErrCodeClusterNotAvailable
	}
	return false
}

// jsErrCodeClusterNotAvailable is the server's "JetStream system
// temporarily unavailable" (JSClusterNotAvailErr), answered while a
// cluster has no meta leader.
const jsErrCodeClusterNotAvailable jetstream.ErrorCode = 10008
