package crawler

import (
	"time"

	"github.com/gocolly/colly/v2"
)

// redirectTTL is how long a redirect (the URL a link named -> where the
// server sent us) is trusted: within it, the link costs no request while
// the page it leads to is not due for a revisit.
const redirectTTL = 7 * 24 * time.Hour

// askedFor notes the URL a request was made for, before any redirect
// changes r.URL; page reads it back (see rememberRedirect).
func (p *pass) askedFor(r *colly.Request, u string) {
	if p.opts.State != nil {
		p.origins.Store(r, u)
	}
}

// rememberRedirect records, after a 2xx answer, that the URL the request
// was made for led elsewhere. Articles are queued for revisits under their
// final URL, so without this the original link would cost a request (and
// a redirect hop) every pass.
func (p *pass) rememberRedirect(s *site, r *colly.Request, final string, now time.Time) {
	v, ok := p.origins.LoadAndDelete(r)
	if !ok || v.(string) == final {
		return
	}
	orig := v.(string)
	st := pageState{URL: orig, Kind: kindRedirect, Target: final, FetchedAt: now}
	if err := p.state.put(p.ctx, pageKey(orig), st); err != nil {
		p.stateFailed(s, orig, err)
	}
}

// forgetRequest drops what askedFor noted for a request that failed.
func (p *pass) forgetRequest(r *colly.Request) { p.origins.Delete(r) }

// redirectNotDue reports whether the request for u, a remembered redirect
// (st), can be skipped: the page it leads to was fetched in this pass
// already, or is a known story whose revisit is not due (and no feed or
// sitemap says it changed since).
func (p *pass) redirectNotDue(s *site, u string, st pageState) bool {
	now := p.opts.Now()
	if st.Target == "" || now.Sub(st.FetchedAt) >= redirectTTL {
		return false
	}
	if seen, err := s.col.HasVisited(st.Target); err == nil && seen {
		return true
	}
	q := p.queueOf(s)
	if q == nil {
		return false
	}
	e, known := q.lookup(st.Target)
	if !known || e.Due <= now.Unix() {
		return false
	}
	p.mu.Lock()
	hint := p.hints[u]
	if h := p.hints[st.Target]; h.After(hint) {
		hint = h
	}
	p.mu.Unlock()
	return hint.IsZero() || hint.Unix() <= e.Last
}
