package crawler

import (
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/temoto/robotstxt"
)

// robots reads a robots.txt as colly fetches it: its Crawl-delay for our
// user agent goes to the gate, its Sitemap lines wait for exploreRobots.
func (p *pass) robots(host string, body []byte) {
	data, err := robotstxt.FromBytes(body)
	if err != nil {
		return
	}
	if g := data.FindGroup(p.opts.UserAgent); g != nil && g.CrawlDelay > 0 {
		p.gate.setCrawlDelay(host, g.CrawlDelay)
		p.log.Debug("robots.txt asks for a crawl delay", "host", host, "delay", min(g.CrawlDelay, MaxCrawlDelay))
	}
	p.mu.Lock()
	p.robotsMaps[host] = data.Sitemaps
	p.mu.Unlock()
}

// exploreRobots visits, once per site and host, the sitemaps a discovering
// site's robots.txt names. It runs when a seed page arrived: colly has
// fetched the host's robots.txt by then.
func (p *pass) exploreRobots(s *site, host string) {
	if !s.discover {
		return
	}
	key := s.name + " " + host
	p.mu.Lock()
	_, done := p.explored[key]
	p.explored[key] = struct{}{}
	maps := p.robotsMaps[host]
	p.mu.Unlock()
	if done {
		return
	}
	for _, m := range maps {
		p.discovered(s, m, "robots.txt Sitemap")
	}
}

// discovered visits a feed or sitemap found by discovery as a seed.
func (p *pass) discovered(s *site, abs, how string) {
	u := p.norm.normalizeString(abs)
	if u == "" {
		return
	}
	p.log.Debug("discovered", "source", s.name, "url", u, "how", how)
	p.visit(s, u, s.col.Visit)
}

// links follows the entries of a feed or a sitemap, when the pass's memory
// allows reading it (see memory). A sitemap index's children are visited
// as seeds, at most MaxSitemaps in a pass; entries older than
// SitemapMaxAge are left out (counted as too old); a sitemap is read only
// while the pass has page budget left. The modification date of each
// entry is kept as a hint: a known article changed after our last fetch
// is revisited at once (see schedule).
func (p *pass) links(s *site, r *colly.Response, pageURL string, now time.Time) {
	sitemap := isSitemap(r.Body)
	factor := feedCostFactor
	if sitemap {
		factor = sitemapCostFactor
	}
	p.mem.parse(p.ctx, len(r.Body), factor, func() {
		var err error
		if sitemap {
			err = eachSitemapEntry(r.Body, func(e entry) bool { return p.sitemapEntry(s, r, e, now) })
		} else {
			err = p.followFeed(s, r)
		}
		if err != nil {
			p.fail(s, pageURL, r.StatusCode, err)
			return
		}
		kind := kindFeed
		if sitemap {
			kind = kindSitemap
		}
		p.remember(s, r, pageURL, kind, "", now)
	})
}

// followFeed follows a feed's items.
func (p *pass) followFeed(s *site, r *colly.Response) error {
	entries, err := feedEntries(r.Body)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p.entry(s, r, e)
	}
	return nil
}

// sitemapEntry follows one sitemap entry; false stops reading the sitemap:
// the source's page budget is spent, or the pass was cancelled.
func (p *pass) sitemapEntry(s *site, r *colly.Response, e entry, now time.Time) bool {
	if p.ctx.Err() != nil || !p.budget.left(s.name) {
		return false
	}
	if !e.Date.IsZero() && e.Date.Before(now.Add(-p.opts.SitemapMaxAge)) {
		if link, v := s.check(r.Request.AbsoluteURL(e.URL)); v == follow {
			p.skip(s, link, skipTooOld)
		}
		return true
	}
	if e.Index {
		if p.sitemapsLeft.Add(-1) < 0 {
			p.sitemapWarning.Do(func() {
				p.log.Warn("sitemap budget of the pass exhausted; further child sitemaps are dropped", "source", s.name, "max_sitemaps", p.opts.MaxSitemaps)
			})
			return true
		}
		p.discovered(s, r.Request.AbsoluteURL(e.URL), "sitemap index")
		return true
	}
	p.entry(s, r, e)
	return true
}

// entry follows a page a feed or sitemap lists, keeping its date of
// change as a hint.
func (p *pass) entry(s *site, r *colly.Response, e entry) {
	abs := r.Request.AbsoluteURL(e.URL)
	if link, v := s.check(abs); v == follow && !e.Modified.IsZero() {
		p.mu.Lock()
		if e.Modified.After(p.hints[link]) {
			p.hints[link] = e.Modified
		}
		p.mu.Unlock()
	}
	p.follow(s, r.Request, abs)
}
