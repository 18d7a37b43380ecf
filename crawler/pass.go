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
)

// pass is the state of one Crawl: colly's callbacks run concurrently and
// report here.
type pass struct {
	opts   Options
	parser PageParser
	pub    Publisher
	norm   *normalizer
	state  states
	log    *slog.Logger
	ctx    context.Context // cancelled by the caller, the first publish error or a lost lease
	cancel context.CancelCauseFunc
	gate   *gate
	start  time.Time
	retry  *retryTransport
	net    *http.Transport

	budget         *pageBudget  // requests left, fairly shared by the sources (budget.go)
	mem            *memory      // bounds bodies in hand and parses (memory.go)
	sitemapsLeft   atomic.Int64 // child sitemaps this pass may still visit (MaxSitemaps)
	sitemapWarning sync.Once
	revisitsLeft   atomic.Int64 // revisits this pass may still make (Revisit.MaxPerPass)
	requests       *requestCounter

	mu         sync.Mutex
	sum        Summary
	seeds      int                      // seed pages fetched
	skipped    map[string]struct{}      // distinct refused URLs
	published  map[string]struct{}      // article ids handled in this pass (a crawl; nil in a backfill)
	inHand     *articleLocks            // a backfill's article ids being handled right now (see forBackfill)
	known      map[string]*pageState    // page state read when the request went out, by URL
	hints      map[string]time.Time     // URL -> date a feed or sitemap gave it
	robotsMaps map[string][]string      // host -> Sitemap lines of its robots.txt
	explored   map[string]struct{}      // sites whose robots sitemaps were visited
	queues     map[string]*revisitQueue // source -> its revisit queue (with a StateStore)
	revisiting map[string]bool          // URLs fetched as due revisits (revisitDue)
	failErr    error                    // the first error that fails the pass

	seedAnswered sync.Map // site name -> *seedSignal, see startSources (lease.go)
	archived     sync.Map // *colly.Response -> *news.ArchiveRef while it is handled (archive.go)
	origins      sync.Map // *colly.Request -> the URL it was made for, while redirects may change it (redirect.go)
}

func newPass(ctx context.Context, c *Crawler) (*pass, error) {
	g, err := newGuard(c.opts.AllowPrivateNetworks, c.opts.PrivateExceptions)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	p := &pass{
		opts:       c.opts,
		parser:     c.parser,
		pub:        c.pub,
		norm:       c.norm,
		state:      states{store: c.opts.State},
		log:        c.opts.Logger,
		ctx:        ctx,
		cancel:     cancel,
		gate:       newGate(c.opts.Delay),
		start:      time.Now(),
		skipped:    make(map[string]struct{}),
		published:  make(map[string]struct{}),
		known:      make(map[string]*pageState),
		hints:      make(map[string]time.Time),
		robotsMaps: make(map[string][]string),
		explored:   make(map[string]struct{}),
		queues:     make(map[string]*revisitQueue),
		revisiting: make(map[string]bool),
		requests:   &requestCounter{},
	}
	p.net = newNetTransport(c.opts, g)
	p.requests.next = p.net
	p.retry = newRetryTransport(p.requests, c.opts, p.gate)
	p.revisitsLeft.Store(int64(c.opts.Revisit.MaxPerPass))
	p.budget = newPageBudget(c.opts.MaxPages)
	p.mem = newMemory(c.opts)
	p.sitemapsLeft.Store(int64(c.opts.MaxSitemaps))
	return p, nil
}

// wait waits for every site's requests, then lets go of idle connections.
// Once a site's discovery is done, its due revisits that no link led to
// are fetched (new stories come first) and its revisit queue is saved;
// then what is left of its page budget goes to the sites still crawling.
// Sites are waited for side by side, so a quick one's share is released
// as soon as it is done, whatever its place in the list.
func (p *pass) wait(sites []*site) {
	var wg sync.WaitGroup
	for _, s := range sites {
		wg.Go(func() {
			s.col.Wait()
			p.revisitDue(s)
			s.col.Wait()
			p.saveQueue(p.queueOf(s))
			p.budget.release(s.name)
		})
	}
	wg.Wait()
	p.net.CloseIdleConnections()
}

// abort fails the pass with err and stops it.
func (p *pass) abort(err error) {
	p.mu.Lock()
	if p.failErr == nil {
		p.failErr = err
	}
	p.mu.Unlock()
	p.log.Error("stopping the pass", "err", err)
	p.cancel(err)
}

// finish returns the summary and the pass's error; parent is Crawl's ctx.
func (p *pass) finish(parent context.Context, start time.Time) (Summary, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	sum := p.sum
	sum.Skipped = len(p.skipped)
	sum.Requests, sum.Conditional = p.requests.counts()
	sum.Elapsed = time.Since(start)
	switch {
	case p.failErr != nil:
		return sum, fmt.Errorf("crawling: %w", p.failErr)
	case parent.Err() != nil:
		return sum, fmt.Errorf("crawling: %w", parent.Err())
	case p.seeds == 0:
		return sum, errors.New("crawling: no seed could be fetched")
	}
	return sum, nil
}

// progress reports the running totals, when someone listens.
func (p *pass) progress() {
	if p.opts.Progress == nil {
		return
	}
	p.mu.Lock()
	sum := p.sum
	sum.Skipped = len(p.skipped)
	p.mu.Unlock()
	sum.Requests, sum.Conditional = p.requests.counts()
	sum.Elapsed = time.Since(p.start)
	p.opts.Progress(sum)
}

// visit asks colly to fetch a URL that passed the site's checks, within the
// pass's request budget, and sorts out colly's refusals.
func (p *pass) visit(s *site, link string, visit func(string) error) {
	if p.ctx.Err() != nil {
		return
	}
	if !p.reserve(s) {
		p.skip(s, link, skipBudget)
		return
	}
	err := visit(link)
	if err == nil {
		return
	}
	p.budget.give(s.name) // nothing was requested
	var seen *colly.AlreadyVisitedError
	switch {
	case errors.As(err, &seen), errors.Is(err, colly.ErrMaxDepth):
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		p.skip(s, link, skipRobots)
	case errors.Is(err, colly.ErrForbiddenDomain):
		p.skip(s, link, skipOffSite)
	case errors.Is(err, ErrPrivateAddress):
		p.skip(s, link, skipPrivate)
	case errors.Is(err, ErrDomainFailing):
		p.skip(s, link, skipFailing)
	case p.ctx.Err() != nil:
	default: // robots.txt could not be fetched, or the URL is unusable
		p.fail(s, link, 0, fmt.Errorf("visiting: %w", err))
	}
}

// reserve takes one request for site s from its share of the budget, or
// from what finished sources left.
func (p *pass) reserve(s *site) bool {
	if p.budget.take(s.name) {
		return true
	}
	p.budget.warned.Do(func() {
		p.log.Warn("page budget of the pass exhausted for a source (each has max_pages/sources, plus what finished sources left); further links are dropped",
			"source", s.name, "max_pages", p.opts.MaxPages)
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
		p.skip(s, link, skipPattern)
	case follow:
		p.visit(s, link, from.Visit)
	}
}

// page handles a 2xx response.
func (p *pass) page(s *site, r *colly.Response) {
	now := p.opts.Now()
	pageURL := r.Request.URL.String()
	seed := r.Request.Depth == 1 && !p.isRevisit(pageURL)
	p.mu.Lock()
	p.sum.Pages++
	if seed {
		p.seeds++
	}
	p.mu.Unlock()
	defer p.progress()
	p.rememberRedirect(s, r.Request, pageURL, now)
	if seed {
		p.seedDone(s)
		p.exploreRobots(s, r.Request.URL.Host)
	}

	defer p.archive(s, r)() // archive.go
	ct := r.Headers.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(r.Body)
	}
	switch kindOf(ct) {
	case htmlKind:
		p.html(s, r, pageURL, now)
	case feedKind:
		p.links(s, r, pageURL, now)
	}
}

// fetchFailed is colly's OnError callback for site s.
func (p *pass) fetchFailed(s *site, r *colly.Response, err error) {
	if r.StatusCode == http.StatusNotModified {
		p.rememberRedirect(s, r.Request, r.Request.URL.String(), p.opts.Now()) // still true
	}
	p.forgetRequest(r.Request)
	if p.ctx.Err() != nil {
		return // requests cut short by the end of the pass are not page errors
	}
	if r.Request.Depth == 1 {
		p.seedDone(s)
	}
	u := r.Request.URL.String()
	var seen *colly.AlreadyVisitedError
	switch {
	case r.StatusCode == http.StatusNotModified:
		p.notModified(s, r.Request, p.opts.Now())
	case errors.Is(err, colly.ErrAbortedAfterHeaders): // our own abort in OnResponseHeaders
		p.log.Debug("neither an HTML page nor a feed", "source", s.name, "url", u)
	case errors.As(err, &seen): // redirected to a page already fetched
	case errors.Is(err, colly.ErrForbiddenDomain):
		p.skip(s, u, skipOffSite) // a redirect off the allowed domains
	case errors.Is(err, ErrPrivateAddress):
		p.skip(s, u, skipPrivate)
		p.log.Warn("refused a private address", "source", s.name, "url", u, "err", err)
	case errors.Is(err, ErrDomainFailing):
		p.skip(s, u, skipFailing)
	case errors.Is(err, ErrBodyTooLarge):
		p.tooLarge(s, u, err)
	case r.StatusCode >= 400 && r.StatusCode < 500 && r.StatusCode != http.StatusTooManyRequests:
		p.deadLink(s, u, r.StatusCode)
	default:
		p.fail(s, u, r.StatusCode, err)
	}
	p.progress()
}

// fail counts and logs a page that could not be fetched or parsed.
func (p *pass) fail(s *site, u string, status int, err error) {
	p.mu.Lock()
	p.sum.Errors++
	p.mu.Unlock()
	p.log.Warn("page failed", "source", s.name, "url", u, "status", status, "err", err)
}

// deadLink counts a 4xx answer: the page is not there (or not for us), a
// fact about the site rather than a failure of the crawl. A 404 or 410 is
// remembered, so the next passes do not ask again.
func (p *pass) deadLink(s *site, u string, status int) {
	p.mu.Lock()
	p.sum.Dead++
	p.mu.Unlock()
	if status == http.StatusNotFound || status == http.StatusGone {
		p.gone(s, u, status, p.opts.Now())
		return
	}
	p.log.Debug("client error", "source", s.name, "url", u, "status", status)
}

// skip counts a URL not fetched, once per pass, under its reason.
func (p *pass) skip(s *site, u string, why skipReason) {
	p.mu.Lock()
	_, seen := p.skipped[u]
	if !seen {
		p.skipped[u] = struct{}{}
		p.sum.Skips.add(why)
	}
	p.mu.Unlock()
	if !seen {
		p.log.Debug("skipping URL", "source", s.name, "url", u, "reason", why.String())
	}
}

// forBackfill makes the pass remember only the articles it is handling
// right now rather than every article id it has handled: a backfill's
// "pass" is a whole import, so a set of every id would grow with the
// archive (about 100 bytes a story). A second copy of a story waits for
// the first to be handled and is then compared with the crawl state the
// first one wrote, as any later fetch is: unchanged, or an update.
func (p *pass) forBackfill() {
	p.published = nil
	p.inHand = &articleLocks{busy: make(map[string]chan struct{})}
}

// articleLocks holds the ids of the articles being handled, so two copies
// of one story are never handled at once (both would read the state before
// either wrote it). It holds as many ids as pages are parsed at once.
type articleLocks struct {
	mu   sync.Mutex
	busy map[string]chan struct{} // closed when the id is let go
}

// lock waits until no one handles id and takes it; unlock lets it go.
func (l *articleLocks) lock(id string) (unlock func()) {
	for {
		l.mu.Lock()
		done, held := l.busy[id]
		if !held {
			done = make(chan struct{})
			l.busy[id] = done
			l.mu.Unlock()
			return func() {
				l.mu.Lock()
				delete(l.busy, id)
				l.mu.Unlock()
				close(done)
			}
		}
		l.mu.Unlock()
		<-done
	}
}
