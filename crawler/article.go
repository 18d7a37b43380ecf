package crawler

import (
	"errors"
	"fmt"
	"time"

	"github.com/gocolly/colly/v2"

	"newsdesk/news"
)

// prepare runs before a request goes out: it reads what the state knows of
// the URL and makes a revisit of an article conditional (If-None-Match,
// If-Modified-Since). Listing pages, feeds and sitemaps are always fetched
// whole: their links are what a pass is for. An article a feed or sitemap
// dates before our last fetch is not requested at all.
func (p *pass) prepare(s *site, r *colly.Request) {
	u := r.URL.String()
	var st pageState
	found, err := p.state.get(p.ctx, pageKey(u), &st)
	if err != nil {
		p.log.Warn("crawl state unavailable; fetching unconditionally", "url", u, "err", err)
		return
	}
	if !found || st.Kind != kindArticle {
		return
	}
	p.mu.Lock()
	p.known[u] = &st
	hint, hinted := p.hints[u]
	p.mu.Unlock()
	if hinted && !hint.IsZero() && st.FetchedAt.After(hint) {
		r.Abort()
		p.mu.Lock()
		p.sum.Unchanged++
		p.mu.Unlock()
		p.budget.Add(1)
		return
	}
	if st.ETag != "" {
		r.Headers.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		r.Headers.Set("If-Modified-Since", st.LastModified)
	}
}

// notModified handles a 304: the article is as it was; only the time of
// the visit is recorded.
func (p *pass) notModified(s *site, r *colly.Request, now time.Time) {
	u := r.URL.String()
	p.mu.Lock()
	p.sum.Unchanged++
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
}

// html handles an HTML page: it is parsed once, by the PageParser, when
// the pass's memory allows (see memory), and its links are read with a
// tokenizer, which builds no second document.
func (p *pass) html(s *site, r *colly.Response, pageURL string, now time.Time) {
	if p.mem.parse(p.ctx, len(r.Body), htmlCostFactor, func() { p.article(s, r, pageURL, now) }) {
		p.pageLinks(s, r)
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

// article parses an HTML page and publishes it if it is an article.
func (p *pass) article(s *site, r *colly.Response, pageURL string, now time.Time) {
	art, err := p.parse(pageURL, pageBytes(r.Body, r.Headers.Get(headerCharset)))
	switch {
	case errors.Is(err, news.ErrNotArticle):
		p.log.Debug("listing page", "source", s.name, "url", pageURL)
		p.remember(s, r, pageURL, kindListing, "", now)
		return
	case errors.Is(err, ErrOffTopic):
		p.log.Debug("article off the configured topics", "source", s.name, "url", pageURL)
		p.mu.Lock()
		p.sum.OffTopic++
		p.mu.Unlock()
		p.remember(s, r, pageURL, kindListing, "", now)
		return
	case err != nil:
		p.fail(s, pageURL, r.StatusCode, fmt.Errorf("parsing page: %w", err))
		return
	}
	p.publish(s, r, pageURL, art, now)
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
	if art.URL == "" {
		art.URL = pageURL
	}
	if art.CanonicalURL != "" {
		if c := p.norm.normalizeString(r.Request.AbsoluteURL(art.CanonicalURL)); c != "" {
			art.CanonicalURL = c
		}
	}
	art.ID = news.DocID(art.Key())
	p.mu.Lock()
	_, dup := p.published[art.ID]
	p.published[art.ID] = struct{}{}
	p.mu.Unlock()
	if dup {
		p.log.Debug("article already handled in this pass", "source", s.name, "url", pageURL, "id", art.ID)
		return
	}

	var prev articleState
	found, err := p.state.get(p.ctx, articleKey(art.ID), &prev)
	if err != nil {
		p.stateFailed(s, pageURL, err) // publish as new: a duplicate beats a loss
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
}

// remember writes what a fetched page was, with its validators.
func (p *pass) remember(s *site, r *colly.Response, pageURL, kind, docID string, now time.Time) {
	if p.opts.State == nil {
		return
	}
	st := pageState{URL: pageURL, Kind: kind, FetchedAt: now, DocID: docID}
	if kind == kindArticle {
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
