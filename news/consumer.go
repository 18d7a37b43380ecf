package news

// The durable consumers of article events. A name is a contract beyond one
// process: every process of the role shares the consumer (so each event is
// handled once however many run), its dead letters are on
// DeadLetterSubject(name), and `newsdesk dlq` and the reindex read it back.
const (
	// IndexerConsumer is the consumer the indexers share.
	IndexerConsumer = "indexer"
	// AlerterConsumer is the consumer the alerters share, beside the
	// indexers': each article event is evaluated against the watches once.
	AlerterConsumer = "alerter"
)
