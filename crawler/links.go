package crawler

import (
	"net/url"
	"strings"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/html"
)

// pageLinks is the OnHTML callback of every HTML page: it follows the
// page's links and, on a discovering site's seed pages, the feeds the page
// advertises.
//
// It is one callback on "html" rather than one per selector because colly
// walks the whole document for each selector and allocates an element per
// match; here a page beyond the site's depth (most article pages) costs no
// walk at all, and the links are read straight from the nodes.
func (p *pass) pageLinks(s *site, e *colly.HTMLElement) {
	r := e.Request
	follow := r.Depth <= s.maxDepth
	discover := s.discover && r.Depth == 1
	if !follow && !discover {
		return
	}
	res := newResolver(r)
	if follow {
		for _, n := range e.DOM.Find("a[href]").Nodes {
			p.follow(s, r, res.resolve(attr(n, "href")))
		}
	}
	if discover {
		for _, n := range e.DOM.Find(`link[rel~="alternate"]`).Nodes {
			if isFeedType(attr(n, "type")) {
				p.discovered(s, res.resolve(attr(n, "href")), "link rel=alternate")
			}
		}
	}
}

// attr returns a node's attribute, as colly's HTMLElement.Attr does.
func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// resolver makes the links of one page absolute.
//
// colly's Request.AbsoluteURL runs a full WHATWG URL parse per link, which
// was a tenth of the crawl's CPU on link-heavy listings (and colly parses
// each link again in Request.Visit). The resolver asks it once per page for
// the effective base (the page's URL, or its <base href>), then resolves the
// plain links, which are nearly all of them, with net/url, where WHATWG
// and RFC 3986 agree. Anything else goes the WHATWG way; a test checks
// that both ways agree on the plain links.
type resolver struct {
	req  *colly.Request
	base *url.URL // nil: resolve every link the WHATWG way
}

func newResolver(r *colly.Request) resolver {
	base, err := url.Parse(r.AbsoluteURL(""))
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		base = nil
	}
	return resolver{req: r, base: base}
}

// resolve returns href made absolute, or "" for a fragment-only link.
func (r resolver) resolve(href string) string {
	if strings.HasPrefix(href, "#") {
		return ""
	}
	if r.base != nil && plainRef(href) {
		if ref, err := url.Parse(href); err == nil {
			if u := r.base.ResolveReference(ref); u.Host != "" {
				u.Fragment, u.RawFragment = "", ""
				return u.String()
			}
		}
	}
	return r.req.AbsoluteURL(href)
}

// plainRef reports whether href is a link on which net/url and the WHATWG
// URL parser agree: printable ASCII with none of the characters WHATWG
// strips, rewrites or percent-encodes (whitespace, backslash, quotes,
// angle and square brackets, braces, ^, |, `), and either no scheme or
// http(s) followed by "//".
func plainRef(href string) bool {
	if href == "" {
		return false
	}
	for i := 0; i < len(href); i++ {
		c := href[i]
		if c <= ' ' || c >= 0x7f {
			return false
		}
		switch c {
		case '\\', '"', '\'', '<', '>', '[', ']', '{', '}', '^', '|', '`':
			return false
		}
	}
	colon := strings.IndexByte(href, ':')
	if colon < 0 || strings.ContainsAny(href[:colon], "/?#") {
		return true // relative: the colon, if any, is in the path or query
	}
	scheme := strings.ToLower(href[:colon])
	return (scheme == "http" || scheme == "https") && strings.HasPrefix(href[colon+1:], "//") &&
		!strings.HasPrefix(href[colon+1:], "///")
}
