package embedded

import (
	"fmt"

	"newsdesk/news"
)

// refusedDoc is a document the index cannot take as it is (no id, a value
// the mapping cannot index): storing it again fails the same way. It
// matches news.ErrPermanent, so the events consumer dead-letters it on the
// first delivery, as it does for Elasticsearch's refusals.
type refusedDoc struct{ err error }

func refused(format string, args ...any) *refusedDoc {
	return &refusedDoc{err: fmt.Errorf(format, args...)}
}

func (e *refusedDoc) Error() string { return e.err.Error() }
func (e *refusedDoc) Unwrap() error { return e.err }

// Is makes refusedDoc match news.ErrPermanent.
func (e *refusedDoc) Is(target error) bool { return target == news.ErrPermanent }
