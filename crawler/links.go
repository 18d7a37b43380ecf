package crawler

import (
	"bytes"
	"net/url"
	"slices"
	"strings"

	"github.com/gocolly/colly/v2"
	"golang.org/x/net/html"
)

// pageLinks follows an HTML page's links and, on a discovering site's
// seed pages, the feeds the page advertises. An article's site-chrome
// links (isChromeLink) are skipped unless Options.FollowChromeLinks; a
// due revisit's links are not followed at all (they were when the story
// was new).
//
// The links are read with html.Tokenizer, not from a parsed document:
// the PageParser already parses each page, and a second DOM of a large,
// deeply nested page was the pass's largest allocation. A page beyond the
// site's depth (most article pages) is not read at all.
func (p *pass) pageLinks(s *site, resp *colly.Response, fromArticle bool) {
	r := resp.Request
	if p.isRevisit(r.URL.String()) {
		return
	}
	doFollow := r.Depth <= s.maxDepth
	discover := s.discover && r.Depth == 1
	if !doFollow && !discover {
		return
	}
	found := scanLinks(resp.Body)
	res := newResolver(r, found.base)
	noChrome := fromArticle && !p.opts.FollowChromeLinks
	if doFollow {
		for _, href := range found.anchors {
			abs := res.resolve(href)
			if noChrome && isChromeLink(abs) {
				if link, v := s.check(abs); v == follow {
					p.skip(s, link, skipChrome)
				}
				continue
			}
			p.follow(s, r, abs)
		}
	}
	if discover {
		for _, href := range found.feeds {
			p.discovered(s, res.resolve(href), "link rel=alternate")
		}
	}
}

// pageRefs are the references of one page: <a href>, the feeds of
// <link rel=alternate>, and the first <base href>, which applies to all.
type pageRefs struct {
	anchors []string
	feeds   []string
	base    string
	hasBase bool
}

// scanLinks reads the references of an HTML page, as the selectors
// "a[href]", "link[rel~=alternate]" and "base[href]" would find them.
func scanLinks(body []byte) pageRefs {
	var out pageRefs
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			switch string(name) {
			case "a", "base", "link":
			default:
				continue
			}
			attrs := tagAttrs(z, more)
			switch string(name) {
			case "a":
				if href, ok := attrs["href"]; ok {
					out.anchors = append(out.anchors, href)
				}
			case "base":
				if href, ok := attrs["href"]; ok && !out.hasBase {
					out.base, out.hasBase = href, true
				}
			case "link":
				if hasToken(attrs["rel"], "alternate") && isFeedType(attrs["type"]) {
					out.feeds = append(out.feeds, attrs["href"])
				}
			}
		}
	}
}

// tagAttrs returns a tag's attributes; the first of a repeated one wins,
// as in a parsed document.
func tagAttrs(z *html.Tokenizer, more bool) map[string]string {
	attrs := make(map[string]string, 4)
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if _, dup := attrs[string(k)]; !dup {
			attrs[string(k)] = string(v)
		}
	}
	return attrs
}

// hasToken reports whether a whitespace-separated list (rel) contains tok,
// as the CSS ~= selector matches it.
func hasToken(list, tok string) bool {
	return slices.Contains(strings.Fields(list), tok)
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

func newResolver(r *colly.Request, baseHref string) resolver {
	if baseHref != "" {
		// The page's <base href>, resolved against the page's URL as colly
		// does; links then resolve against it. A copy of the request with
		// the base as its URL gives the WHATWG way for the rest.
		if b, err := url.Parse(r.AbsoluteURL(baseHref)); err == nil && b.Host != "" {
			c := *r
			c.URL = b
			r = &c
		}
	}
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
