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

// links follows the entries of a feed or a sitemap. A sitemap index's
// children are visited as seeds; entries older than SitemapMaxAge are left
// out; the date of each entry is kept as a hint, so an article unchanged
// since our last fetch is not requested again (see prepare).
func (p *pass) links(s *site, r *colly.Response, pageURL string, now time.Time) {
	sitemap := isSitemap(r.Body)
	var entries []entry
	var err error
	if sitemap {
		entries, err = sitemapEntries(r.Body)
	} else {
		entries, err = feedEntries(r.Body)
	}
	if err != nil {
		p.fail(s, pageURL, r.StatusCode, err)
		return
	}
	oldest := now.Add(-p.opts.SitemapMaxAge)
	for _, e := range entries {
		if sitemap && !e.Date.IsZero() && e.Date.Before(oldest) {
			continue
		}
		abs := r.Request.AbsoluteURL(e.URL)
		if e.Index {
			p.discovered(s, abs, "sitemap index")
			continue
		}
		if link, v := s.check(abs); v == follow && !e.Date.IsZero() {
			p.mu.Lock()
			p.hints[link] = e.Date
			p.mu.Unlock()
		}
		p.follow(s, r.Request, abs)
	}
	kind := kindFeed
	if sitemap {
		kind = kindSitemap
	}
	p.remember(s, r, pageURL, kind, "", now)
}
