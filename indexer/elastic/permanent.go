package elastic

import "fmt"

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

// Permanent reports whether retrying the same document cannot succeed: a
// 400 answer, or one of refusedTypes, rejects the document itself. The
// events consumer looks for this method and dead-letters such a document
// at once instead of retrying it max_deliver times.
func (e *Error) Permanent() bool { return e.Status == 400 || refusedTypes[e.Type] }

// invalidDoc is a document that Store refuses before sending it, because
// Elasticsearch would (an id over 512 bytes fails the whole bulk request,
// not just its item): as permanent as Elasticsearch's own refusal.
type invalidDoc struct{ msg string }

func invalidDocf(format string, args ...any) *invalidDoc {
	return &invalidDoc{msg: fmt.Sprintf(format, args...)}
}

func (e *invalidDoc) Error() string   { return e.msg }
func (e *invalidDoc) Permanent() bool { return true }
