package crawler

import "time"

// Options whose zero value means the default name "none" explicitly, for a
// caller whose own zero means none (the config's crawl.delay: 0 and
// crawl.retries: 0, after the config applied its defaults).
const (
	// NoDelay as Options.Delay: no wait between requests to one domain.
	NoDelay time.Duration = -1
	// NoRetries as Options.Retries: a failed request is not retried.
	NoRetries = -1
)
