package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"

	"newsdesk/news"
)

// pass is the state of one Crawl: colly's callbacks run concurrently and
// report here.
type pass struct {
	opts   Options
	parser PageParser
	pub    Publisher
	log    *slog.Logger
	ctx    context.Context // cancelled by the caller or by the first publish error
	cancel context.CancelCauseFunc
	gate   *gate

	budget        atomic.Int64 // requests left
	budgetWarning sync.Once

	mu        sync.Mutex
	sum       Summary
	seeds     int                 // seed pages fetched
	skipped   map[string]struct{} // distinct refused URLs
	published map[string]struct{} // article ids published in this pass
	pubErr    error               // the first publish error
}

func newPass(ctx context.Context, c *Crawler) *pass {
	ctx, cancel := context.WithCancelCause(ctx)
	p := &pass{
		opts:      c.opts,
		parser:    c.parser,
		pub:       c.pub,
		log:       c.opts.Logger,
		ctx:       ctx,
		cancel:    cancel,
		gate:      newGate(c.opts.Delay),
		skipped:   make(map[string]struct{}),
		published: make(map[string]struct{}),
	}
	p.budget.Store(int64(c.opts.MaxPages))
	return p
}

// finish returns the summary and the pass's error; parent is Crawl's ctx.
func (p *pass) finish(parent context.Context, start time.Time) (Summary, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	sum := p.sum
	sum.Skipped = len(p.skipped)
	sum.Elapsed = time.Since(start)
	switch {
	case p.pubErr != nil:
		return sum, fmt.Errorf("crawling: %w", p.pubErr)
	case parent.Err() != nil:
		return sum, fmt.Errorf("crawling: %w", parent.Err())
	case p.seeds == 0:
		return sum, errors.New("crawling: no seed could be fetched")
	}
	return sum, nil
}

// visit asks colly to fetch a URL that passed the site's checks, within the
// pass's request budget, and sorts out colly's refusals.
func (p *pass) visit(s *site, link string, visit func(string) error) {
	if p.ctx.Err() != nil || !p.reserve() {
		return
	}
	err := visit(link)
	if err == nil {
		return
	}
	p.budget.Add(1) // nothing was requested
	var seen *colly.AlreadyVisitedError
	switch {
	case errors.As(err, &seen), errors.Is(err, colly.ErrMaxDepth):
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		p.skip(s, link, "robots.txt")
	case errors.Is(err, colly.ErrForbiddenDomain):
		p.skip(s, link, "domain")
	case p.ctx.Err() != nil:
	default: // robots.txt could not be fetched, or the URL is unusable
		p.fail(s, link, 0, fmt.Errorf("visiting: %w", err))
	}
}

// reserve takes one request from the budget.
func (p *pass) reserve() bool {
	if p.budget.Add(-1) >= 0 {
		return true
	}
	p.budget.Add(1)
	p.budgetWarning.Do(func() {
		p.log.Warn("page budget of the pass exhausted; further links are dropped", "max_pages", p.opts.MaxPages)
	})
	return false
}

// follow handles one link found on a page of site s.
func (p *pass) follow(s *site, from *colly.Request, abs string) {
	if from.Depth > s.maxDepth { // the link would be beyond MaxDepth
		return
	}
	link, v := s.check(abs)
	switch v {
	case refuse:
		p.skip(s, link, "pattern")
	case follow:
		p.visit(s, link, from.Visit)
	}
}

// page handles a 2xx response.
func (p *pass) page(s *site, r *colly.Response) {
	now := p.opts.Now()
	pageURL := r.Request.URL.String()
	p.mu.Lock()
	p.sum.Pages++
	if r.Request.Depth == 1 {
		p.seeds++
	}
	p.mu.Unlock()

	ct := r.Headers.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(r.Body)
	}
	switch kindOf(ct) {
	case htmlKind:
		p.article(s, r, pageURL, now)
	case feedKind:
		p.feed(s, r, pageURL)
	}
}

// article parses an HTML page and publishes it if it is an article. Its links
// are followed by the OnHTML callback either way.
func (p *pass) article(s *site, r *colly.Response, pageURL string, now time.Time) {
	if len(r.Body) >= p.opts.MaxBodyBytes {
		p.fail(s, pageURL, r.StatusCode, fmt.Errorf("page reaches MaxBodyBytes (%d): not parsed", p.opts.MaxBodyBytes))
		return
	}
	art, err := p.parse(pageURL, pageBytes(r.Body, r.Headers.Get(headerCharset)))
	switch {
	case errors.Is(err, news.ErrNotArticle):
		p.log.Debug("listing page", "source", s.name, "url", pageURL)
		return
	case err != nil:
		p.fail(s, pageURL, r.StatusCode, fmt.Errorf("parsing page: %w", err))
		return
	}
	p.publish(s, pageURL, art, now)
}

// parse calls the parser, turning a panic on hostile HTML into an error.
func (p *pass) parse(pageURL string, body []byte) (art news.Article, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("parser panicked: %v", v)
		}
	}()
	return p.parser.Parse(pageURL, body)
}

// publish stamps and publishes an article once per pass. A publish error ends
// the pass: the event was not stored, and the next ones would fail alike.
func (p *pass) publish(s *site, pageURL string, art news.Article, now time.Time) {
	if p.ctx.Err() != nil {
		return // the pass failed or was cancelled; Crawl reports it
	}
	art.Source = s.name
	art.FetchedAt = now
	if art.URL == "" {
		art.URL = pageURL
	}
	ev := news.NewArticleEvent(news.ArticleCreated, art, now)
	p.mu.Lock()
	_, dup := p.published[ev.Data.ID]
	p.published[ev.Data.ID] = struct{}{}
	p.mu.Unlock()
	if dup {
		p.log.Debug("article already published in this pass", "source", s.name, "url", pageURL, "id", ev.Data.ID)
		return
	}

	if err := p.pub.Publish(p.ctx, ev); err != nil {
		err = fmt.Errorf("publishing article %s: %w", pageURL, err)
		p.log.Error("publishing article failed; stopping the pass", "source", s.name, "url", pageURL, "err", err)
		p.mu.Lock()
		p.sum.Errors++
		if p.pubErr == nil {
			p.pubErr = err
		}
		p.mu.Unlock()
		p.cancel(err)
		return
	}
	p.mu.Lock()
	p.sum.Articles++
	if ev.Data.Paywall.Detected {
		p.sum.Paywalls++
	}
	p.mu.Unlock()
}

// feed follows the item links of an RSS or Atom document.
func (p *pass) feed(s *site, r *colly.Response, pageURL string) {
	links, err := feedLinks(r.Body)
	if err != nil {
		p.fail(s, pageURL, r.StatusCode, err)
		return
	}
	for _, l := range links {
		p.follow(s, r.Request, r.Request.AbsoluteURL(l))
	}
}

// fetchFailed is colly's OnError callback for site s.
func (p *pass) fetchFailed(s *site, r *colly.Response, err error) {
	if p.ctx.Err() != nil {
		return // requests cut short by the end of the pass are not page errors
	}
	u := r.Request.URL.String()
	var seen *colly.AlreadyVisitedError
	switch {
	case errors.Is(err, colly.ErrAbortedAfterHeaders): // our own abort in OnResponseHeaders
		p.log.Debug("neither an HTML page nor a feed", "source", s.name, "url", u)
	case errors.As(err, &seen): // redirected to a page already fetched
	case errors.Is(err, colly.ErrForbiddenDomain):
		p.skip(s, u, "redirect off the allowed domains")
	default:
		p.fail(s, u, r.StatusCode, err)
	}
}

// fail counts and logs a page that could not be fetched or parsed.
func (p *pass) fail(s *site, u string, status int, err error) {
	p.mu.Lock()
	p.sum.Errors++
	p.mu.Unlock()
	p.log.Warn("page failed", "source", s.name, "url", u, "status", status, "err", err)
}

// skip counts a refused URL once per pass.
func (p *pass) skip(s *site, u, why string) {
	p.mu.Lock()
	_, seen := p.skipped[u]
	p.skipped[u] = struct{}{}
	p.mu.Unlock()
	if !seen {
		p.log.Debug("skipping URL", "source", s.name, "url", u, "reason", why)
	}
}
