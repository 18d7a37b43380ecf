package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// ErrDomainFailing is the error of a request not sent because its host
// kept failing earlier in the pass.
var ErrDomainFailing = errors.New("domain skipped for the rest of the pass: it keeps failing")

// retryTransport retries what is worth retrying (network errors, 5xx, 429)
// with exponential backoff and full jitter, honouring Retry-After, and
// gives up on a host for the rest of the pass after too many failures in a
// row, so a publisher in trouble is not hammered.
type retryTransport struct {
	next    http.RoundTripper
	timeout time.Duration // of one attempt, body included
	retries int
	base    time.Duration
	maxWait time.Duration
	gate    *gate
	log     *slog.Logger

	mu       sync.Mutex
	failures map[string]int // host -> consecutive failed requests
	maxFails int
	down     map[string]bool
}

func newRetryTransport(next http.RoundTripper, o Options, g *gate) *retryTransport {
	return &retryTransport{
		next: next, timeout: o.Timeout, retries: o.Retries, base: o.RetryBase, maxWait: o.MaxRetryWait, gate: g, log: o.Logger,
		failures: make(map[string]int), maxFails: o.MaxDomainFailures, down: make(map[string]bool),
	}
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Host
	if t.isDown(host) {
		return nil, fmt.Errorf("%w: %s", ErrDomainFailing, host)
	}
	// colly fetches robots.txt itself, outside OnRequestHeaders where
	// pages pass the gate: it waits here, so the delay (and a Crawl-delay
	// it sets) spaces it from the first page too.
	if req.URL.Path == "/robots.txt" {
		if err := t.gate.wait(req.Context(), host); err != nil {
			return nil, err
		}
	}
	for attempt := 0; ; attempt++ {
		resp, err := t.attempt(req)
		if req.Context().Err() != nil || errors.Is(err, ErrPrivateAddress) {
			return resp, err
		}
		if errors.Is(err, context.DeadlineExceeded) { // a hanging server would hang again
			t.record(host, true)
			return resp, err
		}
		wait, retry := t.backoff(resp, err, attempt)
		if !retry || attempt >= t.retries || req.Body != nil {
			t.record(host, retry)
			return resp, err
		}
		if wait > t.maxWait { // e.g. Retry-After: 3600
			t.giveUp(host, fmt.Sprintf("asked to come back in %s", wait.Round(time.Second)))
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		t.gate.holdUntil(host, time.Now().Add(wait))
		t.log.Debug("retrying request", "url", req.URL.String(), "attempt", attempt+1, "wait", wait, "status", statusOf(resp), "err", err)
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// attempt sends req once, bounded by the total timeout (headers and body:
// the bound ends when the body is closed).
func (t *retryTransport) attempt(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: cancel}
	return resp, nil
}

// backoff says whether a result is worth retrying and after how long:
// Retry-After when the server sent one, else base·2^attempt with full
// jitter.
func (t *retryTransport) backoff(resp *http.Response, err error, attempt int) (time.Duration, bool) {
	if err == nil {
		switch resp.StatusCode {
		case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		default:
			return 0, false
		}
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return d, true
		}
	}
	ceiling := t.base << min(attempt, 16)
	return rand.N(ceiling) + time.Millisecond, true
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

func (t *retryTransport) isDown(host string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.down[host]
}

// record counts a request's final outcome for its host.
func (t *retryTransport) record(host string, failed bool) {
	t.mu.Lock()
	if !failed {
		t.failures[host] = 0
		t.mu.Unlock()
		return
	}
	t.failures[host]++
	n := t.failures[host]
	t.mu.Unlock()
	if n >= t.maxFails {
		t.giveUp(host, fmt.Sprintf("%d requests in a row failed", n))
	}
}

// giveUp marks host as down for the pass, logging it once.
func (t *retryTransport) giveUp(host, why string) {
	t.mu.Lock()
	already := t.down[host]
	t.down[host] = true
	t.mu.Unlock()
	if !already {
		t.log.Warn("skipping domain for the rest of the pass", "host", host, "reason", why)
	}
}

func statusOf(resp *http.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// sleep waits d, or less when ctx ends first (then it returns ctx's error),
// so no wait in a pass outlives a cancelled crawl.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
