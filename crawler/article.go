package crawler

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gocolly/colly/v2"

	"newsdesk/news"
)

// prepare runs before a request goes out. A known article is fetched only
// when its revisit is due (see schedule), a dead link remembered from an
// earlier pass not at all (until Options.DeadLinkTTL has passed), nor a
// remembered redirect to a story that is not due (see redirectNotDue); a
// revisit of an article, off-topic or not, is conditional
// (If-None-Match, If-Modified-Since). Listing pages, feeds and sitemaps
// are always fetched whole: their links are what a pass is for.
func (p *pass) prepare(s *site, r *colly.Request) {
	u := r.URL.String()
	if !p.schedule(s, u) {
		p.dropRequest(s, r)
		return
	}
	var st pageState
	found, err := p.state.get(p.ctx, pageKey(u), &st)
	if err != nil {
		p.log.Warn("crawl state unavailable; fetching unconditionally", "url", u, "err", err)
		return
	}
	p.askedFor(r, u)
	if found && st.Kind == kindRedirect {
		if p.redirectNotDue(s, u, st) {
			p.skip(s, u, skipNotDue)
			p.dropRequest(s, r)
			return
		}
		// The request will be redirected: it asks for the page it leads to
		// conditionally (Go's client keeps the headers on a redirect).
		u = st.Target
		if found, err = p.state.get(p.ctx, pageKey(u), &st); err != nil {
			return
		}
	}
	switch {
	case !found:
		return
	case st.Kind == kindGone:
		if p.opts.Now().Sub(st.FetchedAt) < p.opts.DeadLinkTTL && !slices.Contains(s.seeds, u) {
			p.skip(s, u, skipDead)
			p.dropRequest(s, r)
		}
		return
	case st.Kind != kindArticle && st.Kind != kindOffTopic:
		return
	}
	p.mu.Lock()
	p.known[u] = &st
	p.mu.Unlock()
	if st.ETag != "" {
		r.Headers.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		r.Headers.Set("If-Modified-Since", st.LastModified)
	}
}

// dropRequest aborts a request before it is sent and gives its page back
// to the budget.
func (p *pass) dropRequest(s *site, r *colly.Request) {
	r.Abort()
	p.forgetRequest(r)
	p.budget.give(s.name)
}

// notModified handles a 304: the article is as it was; only the time of
// the visit is recorded.
func (p *pass) notModified(s *site, r *colly.Request, now time.Time) {
	u := r.URL.String()
	p.mu.Lock()
	p.sum.Unchanged++
	p.sum.NotModified++
	st := p.known[u]
	p.mu.Unlock()
	if st == nil {
		return
	}
	next := *st
	next.FetchedAt = now
	if err := p.state.put(p.ctx, pageKey(u), next); err != nil {
		p.stateFailed(s, u, err)
	}
	p.scheduled(s, u, fetchedSame, st.Kind == kindOffTopic, time.Time{}, now)
}

// gone remembers a 404 or 410 (the negative cache, see prepare) and drops
// the page from the revisit queue.
func (p *pass) gone(s *site, u string, status int, now time.Time) {
	p.log.Debug("dead link", "source", s.name, "url", u, "status", status)
	if q := p.queueOf(s); q != nil {
		q.forget(u)
	}
	if p.opts.State == nil {
		return
	}
	if err := p.state.put(p.ctx, pageKey(u), pageState{URL: u, Kind: kindGone, FetchedAt: now}); err != nil {
		p.stateFailed(s, u, err)
	}
}

// html handles an HTML page: it is parsed once, by the PageParser, when
// the pass's memory allows (see memory), and its links are read with a
// tokenizer, which builds no second document.
func (p *pass) html(s *site, r *colly.Response, pageURL string, now time.Time) {
	var isArticle bool
	if p.mem.parse(p.ctx, len(r.Body), htmlCostFactor, func() { isArticle = p.article(s, r, pageURL, now) }) {
		p.pageLinks(s, r, isArticle)
	}
}

// tooLarge counts and logs a body cut off at MaxBodyBytes: a gzip bomb, an
// endless body, or a page larger than the crawl allows.
func (p *pass) tooLarge(s *site, u string, err error) {
	p.mu.Lock()
	p.sum.Errors++
	p.sum.TooLarge++
	p.mu.Unlock()
	p.log.Warn("response body too large; not parsed", "source", s.name, "url", u, "max_body_bytes", p.opts.MaxBodyBytes, "err", err)
}

// article parses an HTML page and publishes it if it is an article; it
// reports whether the page was an article (off-topic or not).
func (p *pass) article(s *site, r *colly.Response, pageURL string, now time.Time) bool {
	art, err := p.parse(pageURL, pageBytes(r.Body, r.Headers.Get(headerCharset)), now)
	switch {
	case errors.Is(err, news.ErrNotArticle):
		p.log.Debug("listing page", "source", s.name, "url", pageURL)
		p.remember(s, r, pageURL, kindListing, "", now)
		return false
	case errors.Is(err, ErrOffTopic):
		p.log.Debug("article off the configured topics", "source", s.name, "url", pageURL)
		p.mu.Lock()
		p.sum.OffTopic++
		p.mu.Unlock()
		p.remember(s, r, pageURL, kindOffTopic, "", now)
		p.scheduled(s, pageURL, fetchedSame, true, time.Time{}, now)
		return true
	case err != nil:
		p.fail(s, pageURL, r.StatusCode, fmt.Errorf("parsing page: %w", err))
		return false
	}
	p.publish(s, r, pageURL, art, now)
	return true
}

// FetchTimeParser is a PageParser that also reads dates printed relative
// to the fetch ("2 hours ago"): the crawler gives it the fetch time, the
// clock at the response or an archived record's WARC-Date.
type FetchTimeParser interface {
	ParseFetched(pageURL string, body []byte, fetched time.Time) (news.Article, error)
}

// parse calls the parser, turning a panic on hostile HTML into an error.
func (p *pass) parse(pageURL string, body []byte, fetched time.Time) (art news.Article, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("parser panicked: %v", v)
		}
	}()
	if fp, ok := p.parser.(FetchTimeParser); ok {
		return fp.ParseFetched(pageURL, body, fetched)
	}
	return p.parser.Parse(pageURL, body)
}

// publish compares an article with its last revision and publishes what is
// new: a "created" event for a story never seen, an "updated" event with
// the next revision and what changed for an edited one, nothing for an
// unchanged one. The state is written after the event is stored, so a crash
// in between republishes the same event (same id: JetStream drops it)
// rather than losing it. A publish error ends the pass: the event was not
// stored, and the next ones would fail alike.
func (p *pass) publish(s *site, r *colly.Response, pageURL string, art news.Article, now time.Time) {
	if p.ctx.Err() != nil {
		return // the pass failed or was cancelled; Crawl reports it
	}
	art.Source = s.name
	art.FetchedAt = now
	art.Archive = p.archiveRefOf(r) // archive.go
	if art.URL == "" {
		art.URL = pageURL
	}
	if art.CanonicalURL != "" {
		if c := p.norm.normalizeString(r.Request.AbsoluteURL(art.CanonicalURL)); c != "" {
			art.CanonicalURL = c
		}
	}
	art.ID = news.DocID(art.Key())
	if p.inHand != nil { // a backfill: see forBackfill
		defer p.inHand.lock(art.ID)()
	} else if p.handledBefore(art.ID) {
		p.log.Debug("article already handled in this pass", "source", s.name, "url", pageURL, "id", art.ID)
		p.remember(s, r, pageURL, kindArticle, art.ID, now) // its validators: the next visit is conditional
		p.scheduled(s, pageURL, fetchedSame, false, time.Time{}, now)
		return
	}

	var prev articleState
	found, err := p.state.get(p.ctx, articleKey(art.ID), &prev)
	if err != nil {
		p.stateFailed(s, pageURL, err) // publish as new: a duplicate beats a loss
	}
	if found && art.PublishedRelative && !prev.PublishedAt.IsZero() {
		art.Published = prev.PublishedAt // "1 day ago" now was "23 hours ago" then: the first reading is the finer
	}
	kind, rev := news.ArticleCreated, 1
	next := newArticleState(art, rev, now)
	if found {
		art.Changes = prev.changes(next)
		if prev.Hash == next.Hash || len(art.Changes) == 0 {
			p.mu.Lock()
			p.sum.Unchanged++
			p.mu.Unlock()
			p.remember(s, r, pageURL, kindArticle, art.ID, now)
			p.scheduled(s, pageURL, fetchedSame, false, prev.FirstSeen, now)
			return
		}
		kind, rev = news.ArticleUpdated, prev.Revision+1
		next.Revision, next.FirstSeen = rev, prev.FirstSeen
	}
	art.Revision, art.FirstSeen = rev, next.FirstSeen
	ev := news.NewArticleEventHashed(kind, art, now, next.Hash) // next.Hash is ContentHash(art)

	if err := p.pub.Publish(p.ctx, ev); err != nil {
		err = fmt.Errorf("publishing article %s: %w", pageURL, err)
		p.mu.Lock()
		p.sum.Errors++
		p.mu.Unlock()
		p.abort(err)
		return
	}
	p.mu.Lock()
	p.sum.Articles++
	if kind == news.ArticleUpdated {
		p.sum.Updated++
	}
	if ev.Data.Paywall.Detected {
		p.sum.Paywalls++
	}
	p.mu.Unlock()
	if kind == news.ArticleUpdated {
		p.log.Info("article changed", "source", s.name, "url", pageURL, "revision", rev, "changes", art.Changes)
	}
	if err := p.state.put(p.ctx, articleKey(art.ID), next); err != nil {
		p.stateFailed(s, pageURL, err)
	}
	p.remember(s, r, pageURL, kindArticle, art.ID, now)
	o := fetchedNew
	if kind == news.ArticleUpdated {
		o = fetchedChanged
	}
	p.scheduled(s, pageURL, o, false, next.FirstSeen, now)
}

// handledBefore reports whether the article was handled earlier in this
// pass, and notes that it now was.
func (p *pass) handledBefore(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, dup := p.published[id]
	p.published[id] = struct{}{}
	return dup
}

// remember writes what a fetched page was, with its validators.
func (p *pass) remember(s *site, r *colly.Response, pageURL, kind, docID string, now time.Time) {
	if p.opts.State == nil {
		return
	}
	st := pageState{URL: pageURL, Kind: kind, FetchedAt: now, DocID: docID}
	if kind == kindArticle || kind == kindOffTopic {
		st.ETag = r.Headers.Get("ETag")
		st.LastModified = r.Headers.Get("Last-Modified")
	}
	if err := p.state.put(p.ctx, pageKey(pageURL), st); err != nil {
		p.stateFailed(s, pageURL, err)
	}
}

// stateFailed counts a crawl state read or write that failed. It does not
// end the pass: the worst outcome is an event sent twice.
func (p *pass) stateFailed(s *site, u string, err error) {
	if p.ctx.Err() != nil {
		return
	}
	p.mu.Lock()
	p.sum.Errors++
	p.mu.Unlock()
	p.log.Warn("crawl state failed", "source", s.name, "url", u, "err", err)
}
