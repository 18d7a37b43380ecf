package elastic

// Permanent reports whether retrying the same document cannot succeed: a
// 400 answer (mapper_parsing_exception, document_parsing_exception,
// illegal_argument_exception) rejects the document itself. The events
// consumer looks for this method and dead-letters such a document at once
// instead of retrying it max_deliver times.
func (e *Error) Permanent() bool { return e.Status == 400 }
