package crawler

import (
	"fmt"
	"time"
)

// Summary is what one crawl pass did, for logs and metrics.
type Summary struct {
	Pages    int // pages fetched (HTTP 2xx HTML pages and feeds)
	Articles int // article events published
	Paywalls int // published articles whose paywall was detected
	Errors   int // failed fetches, parse errors (other than ErrNotArticle), publish errors
	Skipped  int // distinct URLs refused by robots.txt, Include/Exclude patterns or an off-domain redirect
	Elapsed  time.Duration
}

// String renders the summary on one line, e.g.
// "pages=5 articles=3 paywalls=1 errors=0 skipped=1 elapsed=1.2s".
func (s Summary) String() string {
	return fmt.Sprintf("pages=%d articles=%d paywalls=%d errors=%d skipped=%d elapsed=%s",
		s.Pages, s.Articles, s.Paywalls, s.Errors, s.Skipped, s.Elapsed.Round(time.Millisecond))
}
