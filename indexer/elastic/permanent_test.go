package elastic

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"newsdesk/news"
)

// The events consumer dead-letters at once what matches news.ErrPermanent
// (no retry can fix it), and retries the rest: a document Elasticsearch refused must be
// permanent, load and outages must not.
func TestPermanentTellsRefusedDocumentsFromTransientFailures(t *testing.T) {
	for _, c := range []struct {
		err  *Error
		want bool
	}{
		{&Error{Status: 400, Type: "mapper_parsing_exception"}, true},
		{&Error{Status: 400, Type: "document_parsing_exception"}, true},
		{&Error{Status: 400, Type: "illegal_argument_exception"}, true},
		{&Error{Status: 400, Type: "action_request_validation_exception"}, true},
		{&Error{Status: 0, Type: "strict_dynamic_mapping_exception"}, true},
		{&Error{Status: 429, Type: "es_rejected_execution_exception"}, false},
		{&Error{Status: 503, Type: "unavailable_shards_exception"}, false},
		{&Error{Status: 404, Type: "index_not_found_exception"}, false},
	} {
		wrapped := fmt.Errorf("indexing article x: %w", c.err)
		if got := errors.Is(wrapped, news.ErrPermanent); got != c.want {
			t.Errorf("%v: permanent %v, want %v", c.err, got, c.want)
		}
	}
}

// New fails with ErrUnavailable when waiting may help (nothing answers,
// the cluster is not ready, or overloaded), and without it when the
// cluster refused what was asked: `newsdesk index` waits for the first and
// exits on the second.
func TestUnavailableTellsAnOutageFromARefusal(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("checking cluster health: %w", refused), true},
		{fmt.Errorf("checking cluster health: %w", &notReadyError{"red"}), true},
		{fmt.Errorf("checking cluster health: %w", context.DeadlineExceeded), true},
		{&Error{Status: 503, Type: "master_not_discovered_exception"}, true},
		{&Error{Status: 429}, true},
		{&Error{Status: 401, Type: "security_exception"}, false},
		{fmt.Errorf("installing index template: %w", &Error{Status: 400, Type: "illegal_argument_exception"}), false},
	} {
		if got := unavailable(c.err); got != c.want {
			t.Errorf("unavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
