package crawler

import (
	"errors"
	"net/http"

	"github.com/gocolly/colly/v2"
)

// responded reports a response (err nil) or a failed request to
// Options.OnResponse; requests cut short by the end of the pass are not
// reported.
func (p *pass) responded(s *site, r *colly.Response, err error) {
	if p.opts.OnResponse == nil || p.ctx.Err() != nil {
		return
	}
	p.opts.OnResponse(s.name, r.StatusCode, responseKind(r, err))
}

// responseKind sorts a response as fetchFailed does: only what it counts
// as a page error is "error".
func responseKind(r *colly.Response, err error) string {
	var seen *colly.AlreadyVisitedError
	switch {
	case err == nil && kindOf(r.Headers.Get("Content-Type")) == feedKind:
		return "feed"
	case err == nil:
		return "page"
	case r.StatusCode == http.StatusNotModified:
		return "unchanged"
	case errors.Is(err, colly.ErrAbortedAfterHeaders):
		return "other"
	case errors.As(err, &seen):
		return "duplicate" // redirected to a page already fetched
	case errors.Is(err, colly.ErrForbiddenDomain), errors.Is(err, ErrPrivateAddress), errors.Is(err, ErrDomainFailing):
		return "skipped"
	case errors.Is(err, ErrBodyTooLarge):
		return "toolarge"
	}
	return "error"
}
