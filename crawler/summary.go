package crawler

import (
	"fmt"
	"time"
)

// Summary is what one crawl pass did, for logs and metrics.
type Summary struct {
	Pages     int // pages fetched (HTTP 2xx HTML pages, feeds and sitemaps)
	Articles  int // article events published, created and updated
	Updated   int // of which "updated" events: a story that changed since the last pass
	Unchanged int // articles revisited and found unchanged (304, same content, or dated before our last fetch)
	OffTopic  int // articles outside the configured topics: no event
	Paywalls  int // published articles whose paywall was detected
	Errors    int // failed fetches, parse errors (other than ErrNotArticle), publish and state errors
	TooLarge  int // of the errors: bodies longer than MaxBodyBytes once decoded (gzip bombs, endless bodies)
	Skipped   int // distinct URLs refused by robots.txt, patterns, the SSRF guard, a failing domain or an off-domain redirect
	Leased    int // sources skipped because another instance holds their lease
	// AllLeased says nothing was crawled because another instance holds
	// the lease of every source: not a success to take for granted, since
	// a lease whose holder crashed blocks its source until it expires.
	AllLeased bool
	Elapsed   time.Duration
}

// String renders the summary on one line, e.g. "pages=5 articles=3
// updated=1 unchanged=2 offtopic=0 paywalls=1 errors=0 toolarge=0 skipped=1 leased=0
// elapsed=1.2s".
func (s Summary) String() string {
	return fmt.Sprintf("pages=%d articles=%d updated=%d unchanged=%d offtopic=%d paywalls=%d errors=%d toolarge=%d skipped=%d leased=%d elapsed=%s",
		s.Pages, s.Articles, s.Updated, s.Unchanged, s.OffTopic, s.Paywalls, s.Errors, s.TooLarge, s.Skipped, s.Leased, s.Elapsed.Round(time.Millisecond))
}
