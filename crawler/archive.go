package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"

	"newsdesk/news"
)

// Exchange is a fetched request and response, handed to an Archiver. Body
// is decoded of its Content-Encoding; the encoding headers as served are in
// ResponseHeader under X-Crawler- names (see keepWireHeaders).
type Exchange struct {
	URL            string
	Method         string
	RequestHeader  http.Header
	Status         int
	ResponseHeader http.Header
	Body           []byte
	Date           time.Time
}

// Archiver stores what a pass fetches (WARC files in production, see
// package archive) and says where, so the article event can carry it.
type Archiver interface {
	Archive(Exchange) (news.ArchiveRef, error)
}

// archive hands a 2xx response to Options.Archive and keeps where it went
// for the article event (archiveRefOf) until the returned func forgets it.
// (Not in the colly context: colly shares one between a page and the
// requests of its links.) A failure is logged and does not stop the pass:
// the page is still parsed and published.
func (p *pass) archive(s *site, r *colly.Response) (forget func()) {
	if p.opts.Archive == nil {
		return func() {}
	}
	ex := Exchange{
		URL:            r.Request.URL.String(),
		Method:         r.Request.Method,
		RequestHeader:  requestHeader(r.Request),
		Status:         r.StatusCode,
		ResponseHeader: wireHeader(*r.Headers),
		Body:           r.Body,
		Date:           p.opts.Now(),
	}
	ref, err := p.opts.Archive.Archive(ex)
	if err != nil {
		p.log.Warn("archiving page failed", "source", s.name, "url", ex.URL, "err", err)
		return func() {}
	}
	return p.keepRef(r, &ref)
}

func (p *pass) keepRef(r *colly.Response, ref *news.ArchiveRef) (forget func()) {
	p.archived.Store(r, ref)
	return func() { p.archived.Delete(r) }
}

// archiveRefOf is where a response was archived, nil when it was not.
func (p *pass) archiveRefOf(r *colly.Response) *news.ArchiveRef {
	v, _ := p.archived.Load(r)
	ref, _ := v.(*news.ArchiveRef)
	return ref
}

func requestHeader(r *colly.Request) http.Header {
	h := http.Header{}
	if r.Headers != nil {
		h = r.Headers.Clone()
	}
	if h.Get("Accept-Encoding") == "" {
		h.Set("Accept-Encoding", acceptEncoding) // added by passTransport
	}
	return h
}

// wireHeader undoes what passTransport did to the headers: the charset goes
// back into Content-Type.
func wireHeader(h http.Header) http.Header {
	h = h.Clone()
	if cs := h.Get(headerCharset); cs != "" {
		h.Set("Content-Type", h.Get("Content-Type")+"; charset="+cs)
	}
	h.Del(headerCharset)
	return h
}

// keepWireHeaders keeps the headers that describe the body on the wire
// under X-Crawler- names (Common Crawl's convention) before decodeBody
// removes them, so an archived response shows what the server sent.
func keepWireHeaders(h http.Header) {
	for _, k := range []string{"Content-Encoding", "Content-Length", "Transfer-Encoding"} {
		if v, ok := h[k]; ok {
			h["X-Crawler-"+k] = v
		}
	}
}

// ArchivedPage is a response read back from an archive.
type ArchivedPage struct {
	// Source is the configured source the page belongs to; see SourceOf.
	Source    string
	URL       string
	Status    int
	Header    http.Header
	Body      []byte
	FetchedAt time.Time
	Archive   *news.ArchiveRef
}

// Backfill runs archived pages through what a pass does with a fetched
// HTML page: the same parser, relevance rules, ids, revisions, crawl state
// and Publisher, so an imported page is indistinguishable from a crawled
// one, and a page whose extraction did not change emits nothing. It is
// safe for concurrent use.
type Backfill struct {
	p     *pass
	sites map[string]*site
	list  []*site
}

// NewBackfill prepares a backfill over sources with the crawler's options
// (State, Logger and TrackingParams matter; fetching ones are unused).
func NewBackfill(ctx context.Context, opts Options, sources []Source, parser PageParser, pub Publisher) (*Backfill, error) {
	c, err := New(opts, parser, pub)
	if err != nil {
		return nil, err
	}
	sites, err := compileSources(sources, c.norm)
	if err != nil {
		return nil, fmt.Errorf("backfill: %w", err)
	}
	p, err := newPass(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("backfill: %w", err)
	}
	p.forBackfill()
	b := &Backfill{p: p, sites: make(map[string]*site), list: sites}
	for _, s := range sites {
		b.sites[s.name] = s
	}
	return b, nil
}

// SourceOf names the source whose domains hold the URL's host (a subdomain
// counts), or "" when none does.
func (b *Backfill) SourceOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	for _, s := range b.list {
		for _, d := range s.domains {
			if host == d || strings.HasSuffix(host, "."+d) {
				return s.name
			}
		}
	}
	return ""
}

// ErrNotHTML is returned by Page for a response that is not an HTML page.
var ErrNotHTML = errors.New("not an HTML page")

// Page handles one archived response. It returns an error for a page it
// could not take (unknown source, bad URL, not HTML); what became of a
// page it took is in Summary. After a publish error the backfill is failed
// (Err) and every later Page does nothing.
func (b *Backfill) Page(pg ArchivedPage) error {
	s := b.sites[pg.Source]
	if s == nil {
		return fmt.Errorf("unknown source %q", pg.Source)
	}
	pageURL := b.p.norm.normalizeString(pg.URL)
	u, err := url.Parse(pageURL)
	if pageURL == "" || err != nil {
		return fmt.Errorf("unusable URL %q", pg.URL)
	}
	h := pg.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	moveCharset(h)
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(pg.Body)
	}
	if kindOf(ct) != htmlKind {
		return fmt.Errorf("%w: Content-Type %q", ErrNotHTML, ct)
	}
	ctx := colly.NewContext()
	r := &colly.Response{StatusCode: pg.Status, Body: pg.Body, Headers: &h, Ctx: ctx,
		Request: &colly.Request{URL: u, Method: http.MethodGet, Ctx: ctx, Headers: &http.Header{}}}
	b.p.mu.Lock()
	b.p.sum.Pages++
	b.p.mu.Unlock()
	fetched := pg.FetchedAt
	if fetched.IsZero() {
		fetched = b.p.opts.Now()
	}
	if pg.Archive != nil {
		ref := *pg.Archive
		defer b.p.keepRef(r, &ref)()
	}
	b.p.article(s, r, pageURL, fetched)
	return nil
}

// Summary is what the backfill did so far.
func (b *Backfill) Summary() Summary {
	b.p.mu.Lock()
	defer b.p.mu.Unlock()
	sum := b.p.sum
	sum.Elapsed = time.Since(b.p.start)
	return sum
}

// Err is the error that failed the backfill (a publish error, or the
// context's), nil while it runs.
func (b *Backfill) Err() error {
	b.p.mu.Lock()
	defer b.p.mu.Unlock()
	if b.p.failErr != nil {
		return b.p.failErr
	}
	return b.p.ctx.Err()
}

// Close releases the backfill.
func (b *Backfill) Close() { b.p.cancel(nil) }
