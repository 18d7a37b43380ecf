package elastic

import (
	"fmt"

	"newsdesk/news"
)

// refusedTypes are the error types with which Elasticsearch refuses a
// document itself (its id, a field's value, the mapping), whatever the
// status: sending it again gets the same answer.
var refusedTypes = map[string]bool{
	"mapper_parsing_exception":            true,
	"document_parsing_exception":          true,
	"illegal_argument_exception":          true,
	"strict_dynamic_mapping_exception":    true,
	"action_request_validation_exception": true,
}

// Is makes a refusal of the document itself match news.ErrPermanent: a 400
// answer, or one of refusedTypes, cannot succeed on a retry, so the events
// consumer dead-letters such a document at once instead of retrying it
// max_deliver times. Load and outages (429, 5xx) do not match.
func (e *Error) Is(target error) bool {
	return target == news.ErrPermanent && (e.Status == 400 || refusedTypes[e.Type])
}

// invalidDoc is a document that Store refuses before sending it, because
// Elasticsearch would (an id over 512 bytes fails the whole bulk request,
// not just its item): as permanent as Elasticsearch's own refusal.
type invalidDoc struct{ msg string }

func invalidDocf(format string, args ...any) *invalidDoc {
	return &invalidDoc{msg: fmt.Sprintf(format, args...)}
}

func (e *invalidDoc) Error() string { return e.msg }

// Is makes invalidDoc match news.ErrPermanent.
func (e *invalidDoc) Is(target error) bool { return target == news.ErrPermanent }
