package elastic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/elastic/go-elasticsearch/v8/esapi"
)

// Error is an error answer of Elasticsearch. Callers can look at Status and
// Type (e.g. 429 es_rejected_execution_exception is worth a retry, 400
// mapper_parsing_exception is not).
type Error struct {
	Status int
	Type   string
	Reason string
	// Cause is the reason at the root of the "caused_by" chain, when there
	// is one: often the only part that names the culprit (a field, an
	// analyzer).
	Cause string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("elasticsearch status %d", e.Status)
	if e.Type != "" {
		msg += ": " + e.Type
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	if e.Cause != "" && e.Cause != e.Reason {
		msg += " (caused by: " + e.Cause + ")"
	}
	return msg
}

// esCause is the shape of an error object in Elasticsearch answers.
type esCause struct {
	Type     string   `json:"type"`
	Reason   string   `json:"reason"`
	CausedBy *esCause `json:"caused_by"`
}

// newError builds an Error from an error object.
func newError(status int, c esCause) *Error {
	e := &Error{Status: status, Type: c.Type, Reason: c.Reason}
	for depth, next := 0, c.CausedBy; next != nil && depth < 16; depth, next = depth+1, next.CausedBy {
		e.Cause = next.Reason
	}
	return e
}

// check turns a failed request or an error status into an error. On an error
// status it consumes and closes the body; on success it leaves the body to the
// caller, who must drain it.
func check(res *esapi.Response, err error) error {
	if err != nil {
		return scrub(err) // a transport error may name a URL with credentials
	}
	if !res.IsError() {
		return nil
	}
	defer drain(res.Body)
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	var body struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(raw, &body) != nil || len(body.Error) == 0 {
		return &Error{Status: res.StatusCode, Reason: string(raw)}
	}
	var c esCause
	if json.Unmarshal(body.Error, &c) != nil || c.Type == "" {
		return &Error{Status: res.StatusCode, Reason: string(body.Error)} // {"error":"text"}
	}
	return newError(res.StatusCode, c)
}

// ErrUnavailable marks a failure of New because the cluster did not answer
// or is not ready yet (no connection, a 5xx or 429 answer, health red or
// not yellow in time): starting again later may succeed. Other failures (a
// refused mapping, bad credentials) need a change first.
var ErrUnavailable = errors.New("no ready Elasticsearch cluster")

// unavailable reports whether err says the cluster could not be reached or
// is not ready, rather than that it refused what was asked.
func unavailable(err error) bool {
	var esErr *Error
	if errors.As(err, &esErr) {
		return esErr.Status >= 500 || esErr.Status == http.StatusTooManyRequests || esErr.Status == http.StatusRequestTimeout
	}
	var notReady *notReadyError
	if errors.As(err, &notReady) {
		return true
	}
	// No answer at all: refused, reset, timed out, name not resolved.
	var netErr net.Error
	var opErr *net.OpError
	return errors.As(err, &netErr) || errors.As(err, &opErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded)
}

// notReadyError is a cluster that answered but is not yet yellow.
type notReadyError struct{ status string }

func (e *notReadyError) Error() string { return "status " + e.status }
