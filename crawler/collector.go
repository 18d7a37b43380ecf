package crawler

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/gocolly/colly/v2"
)

// accept asks for HTML first; feeds and sitemaps are welcome as seeds.
const accept = "text/html,application/xhtml+xml;q=0.9,application/rss+xml;q=0.8,application/atom+xml;q=0.8,application/feed+json;q=0.8,application/xml;q=0.5,*/*;q=0.1"

// collectors builds one colly collector per site (site.col). They are clones
// of one base collector, so they share the HTTP client, the per-domain
// limits and the robots.txt cache of the pass, and differ only in their
// domains, depth and callbacks.
func (p *pass) collectors(sites []*site) error {
	base, err := p.baseCollector(sites)
	if err != nil {
		return err
	}
	for _, s := range sites {
		col := base.Clone()
		col.AllowedDomains = s.domains
		col.MaxDepth = s.maxDepth + 1 // colly counts a seed as depth 1
		p.register(col, s)
		s.col = col
	}
	return nil
}

// baseCollector configures a collector explicitly. It is built with Init, not
// colly.NewCollector: NewCollector applies COLLY_* environment variables after
// its options (COLLY_IGNORE_ROBOTSTXT, COLLY_USER_AGENT, COLLY_CACHE_DIR...),
// and the environment must not change how we crawl.
func (p *pass) baseCollector(sites []*site) (*colly.Collector, error) {
	o := p.opts
	col := &colly.Collector{}
	col.Init()
	col.UserAgent = o.UserAgent
	col.Headers = &http.Header{"Accept": {accept}}
	col.Async = true
	col.IgnoreRobotsTxt = o.IgnoreRobots // colly's default is true: it ignores robots.txt
	// passTransport bounds the decoded body and fails a longer one
	// (ErrBodyTooLarge); colly's own bound would truncate it silently
	// first, and counts wire bytes.
	col.MaxBodySize = 0
	col.MaxDepth = 0    // set per site
	col.MaxRequests = 0 // our own budget, see pass.reserve
	col.DetectCharset = false
	col.ParseHTTPErrorResponse = false
	col.AllowURLRevisit = false
	col.CheckHead = false
	col.CacheDir = ""
	col.TraceHTTP = false
	col.Context = p.ctx // what colly.StdlibContext sets: cancellation reaches requests
	// The whole-request bound is retryTransport's, per attempt: colly's
	// would also cover the waits between retries.
	col.SetRequestTimeout(0)
	// No cookies: a metered paywall counts articles in a cookie, and would
	// show us a hard wall after a few pages. Every fetch is a first visit.
	col.DisableCookies()
	col.WithTransport(&passTransport{ctx: p.ctx, next: p.retry, maxBody: o.MaxBodyBytes, onRobots: p.robots})
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) > o.MaxRedirects {
			return fmt.Errorf("stopped after %d redirects", o.MaxRedirects)
		}
		return nil
	})

	// The base collector's domains are what redirects are checked against
	// (the shared client's CheckRedirect belongs to it): the union of all.
	var all []string
	for _, s := range sites {
		for _, d := range s.domains {
			all = appendUnique(all, d)
		}
	}
	col.AllowedDomains = all
	// One LimitRule per domain: a single DomainGlob "*" rule would share one
	// slot pool between all domains. Delays are the gate's job (see gate),
	// not LimitRule's.
	for _, d := range all {
		if err := col.Limit(domainRule(d, o.Parallelism)); err != nil {
			return nil, fmt.Errorf("limiting domain %q: %w", d, err)
		}
	}
	return col, nil
}

// domainRule limits the concurrent requests to one domain. colly matches
// rules against the URL's host, port included.
func domainRule(domain string, parallelism int) *colly.LimitRule {
	return &colly.LimitRule{
		DomainRegexp: `^` + regexp.QuoteMeta(domain) + `(:\d+)?$`,
		Parallelism:  parallelism,
	}
}

// register wires the pass's callbacks into a site's collector.
func (p *pass) register(col *colly.Collector, s *site) {
	col.OnRequest(func(r *colly.Request) {
		if p.ctx.Err() != nil {
			r.Abort()
			return
		}
		p.prepare(s, r)
	})
	// OnRequestHeaders runs inside the domain's LimitRule slot, right before
	// the request goes out: the place to keep the per-domain delay.
	col.OnRequestHeaders(func(r *colly.Request) {
		if p.gate.wait(p.ctx, r.URL.Host) != nil {
			r.Abort()
		}
	})
	col.OnResponseHeaders(func(r *colly.Response) {
		if r.StatusCode >= 200 && r.StatusCode < 300 && kindOf(r.Headers.Get("Content-Type")) == otherKind {
			r.Request.Abort() // an image, a PDF...: not worth the download
			return
		}
		// The body is read only once the pass's memory has room for it;
		// it is given back when colly is done (OnScraped, OnError).
		if !p.mem.takeBody(p.ctx, r.Request) {
			r.Request.Abort()
		}
	})
	// No OnHTML: colly would parse every page into a second document.
	// page reads the links itself (pageLinks).
	col.OnResponse(func(r *colly.Response) { p.responded(s, r, nil); p.page(s, r) })
	col.OnScraped(func(r *colly.Response) { p.mem.doneBody(r.Request) })
	col.OnError(func(r *colly.Response, err error) {
		p.mem.doneBody(r.Request)
		p.responded(s, r, err)
		p.fetchFailed(s, r, err)
	})
}

type pageKind int

const (
	otherKind pageKind = iota
	htmlKind
	feedKind // a feed or a sitemap: XML or JSON whose links are followed
)

// kindOf classifies a Content-Type; an empty one may be anything until the
// body is sniffed.
func kindOf(contentType string) pageKind {
	mt, _, _ := strings.Cut(contentType, ";")
	switch strings.ToLower(strings.TrimSpace(mt)) {
	case "", "text/html", "application/xhtml+xml":
		return htmlKind
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml",
		"application/xml", "text/xml", "application/feed+json", "application/json",
		"application/x-gzip", "application/gzip":
		return feedKind
	}
	return otherKind
}

// isFeedType reports whether a <link rel=alternate> type names a feed.
func isFeedType(t string) bool {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "application/rss+xml", "application/atom+xml", "application/feed+json":
		return true
	}
	return false
}
