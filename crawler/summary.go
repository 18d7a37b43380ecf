package crawler

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Summary is what one crawl pass did, for logs and metrics.
type Summary struct {
	Pages int // pages fetched (HTTP 2xx HTML pages, feeds and sitemaps)
	// Requests are the HTTP requests sent, robots.txt and retries
	// included; Conditional of them carried If-None-Match or
	// If-Modified-Since, and NotModified were answered 304.
	Requests    int
	Conditional int
	NotModified int
	Articles    int // article events published, created and updated
	Updated     int // of which "updated" events: a story that changed since the last pass
	Unchanged   int // articles revisited and found unchanged (304 or same content)
	OffTopic    int // articles outside the configured topics: no event
	Paywalls    int // published articles whose paywall was detected
	// RevisitsDue are the known articles whose revisit was due when the
	// pass started (see RevisitPolicy); Revisits the known articles
	// fetched again, due or hinted by a feed or sitemap date.
	RevisitsDue int
	Revisits    int
	Dead        int // 4xx answers (other than 429): dead links, not failures
	Errors      int // failures: 5xx, network errors, parse errors (other than ErrNotArticle), publish and state errors
	TooLarge    int // of the errors: bodies longer than MaxBodyBytes once decoded (gzip bombs, endless bodies)
	Skipped     int // distinct URLs not fetched, for the reasons in Skips
	Skips       Skips
	Leased      int // sources skipped because another instance holds their lease
	// AllLeased says nothing was crawled because another instance holds
	// the lease of every source: not a success to take for granted, since
	// a lease whose holder crashed blocks its source until it expires.
	AllLeased bool
	Elapsed   time.Duration
}

// Skips say why the Skipped URLs were not fetched.
type Skips struct {
	Robots  int // refused by robots.txt
	OffSite int // a redirect off the allowed domains, or a domain colly refused
	Pattern int // refused by the source's Include/Exclude patterns
	TooOld  int // sitemap entries older than SitemapMaxAge
	Budget  int // the pass's page budget or revisit allowance was spent
	Dead    int // a 404 or 410 remembered from an earlier pass
	Chrome  int // site chrome (about, login, careers...) linked from an article
	NotDue  int // known articles whose revisit is not due
	Other   int // the SSRF guard, a failing domain
}

// skipReason is why a URL was not fetched.
type skipReason int

const (
	skipRobots skipReason = iota
	skipOffSite
	skipPattern
	skipTooOld
	skipBudget
	skipDead
	skipChrome
	skipNotDue
	skipPrivate
	skipFailing
)

var skipNames = [...]string{"robots.txt", "off the allowed domains", "pattern", "too old", "budget", "dead link remembered", "site chrome", "revisit not due", "private address", "domain failing"}

func (r skipReason) String() string { return skipNames[r] }

func (k *Skips) add(r skipReason) {
	switch r {
	case skipRobots:
		k.Robots++
	case skipOffSite:
		k.OffSite++
	case skipPattern:
		k.Pattern++
	case skipTooOld:
		k.TooOld++
	case skipBudget:
		k.Budget++
	case skipDead:
		k.Dead++
	case skipChrome:
		k.Chrome++
	case skipNotDue:
		k.NotDue++
	default:
		k.Other++
	}
}

// String lists the non-zero reasons, e.g. "robots=1 notdue=40", or "-".
func (k Skips) String() string {
	var b strings.Builder
	for _, f := range []struct {
		name string
		n    int
	}{{"robots", k.Robots}, {"offsite", k.OffSite}, {"pattern", k.Pattern}, {"tooold", k.TooOld}, {"budget", k.Budget},
		{"dead", k.Dead}, {"chrome", k.Chrome}, {"notdue", k.NotDue}, {"other", k.Other}} {
		if f.n > 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s=%d", f.name, f.n)
		}
	}
	if b.Len() == 0 {
		return "-"
	}
	return b.String()
}

// String renders the summary on one line, e.g. "pages=5 requests=7
// conditional=2 notmodified=2 articles=3 updated=1 unchanged=2 offtopic=0
// paywalls=1 revisits=2/2 dead=1 errors=0 toolarge=0 skipped=1 (robots=1)
// leased=0 elapsed=1.2s"; revisits= is done/due.
func (s Summary) String() string {
	return fmt.Sprintf("pages=%d requests=%d conditional=%d notmodified=%d articles=%d updated=%d unchanged=%d offtopic=%d paywalls=%d revisits=%d/%d dead=%d errors=%d toolarge=%d skipped=%d (%s) leased=%d elapsed=%s",
		s.Pages, s.Requests, s.Conditional, s.NotModified, s.Articles, s.Updated, s.Unchanged, s.OffTopic, s.Paywalls,
		s.Revisits, s.RevisitsDue, s.Dead, s.Errors, s.TooLarge, s.Skipped, s.Skips, s.Leased, s.Elapsed.Round(time.Millisecond))
}

// requestCounter counts the requests that reach the network (every
// attempt: it sits under the retries).
type requestCounter struct {
	next        http.RoundTripper
	requests    atomic.Int64
	conditional atomic.Int64
}

func (c *requestCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.requests.Add(1)
	if req.Header.Get("If-None-Match") != "" || req.Header.Get("If-Modified-Since") != "" {
		c.conditional.Add(1)
	}
	return c.next.RoundTrip(req)
}

func (c *requestCounter) counts() (requests, conditional int) {
	return int(c.requests.Load()), int(c.conditional.Load())
}
