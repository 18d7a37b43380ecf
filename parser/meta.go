package parser

import (
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/news"
)

// metadata fills the article's fields that come from the page's markup
// rather than its text: URLs and id, site, headline, authors, dates,
// language, description, section, tags and image.
func metadata(doc *goquery.Document, m metaTags, ld *linkedData, pageURL string) news.Article {
	pn := gatherNodes(doc.Get(0))
	a := news.Article{URL: pageURL}
	a.CanonicalURL = canonicalURL(pn, m, pageURL)
	a.ID = news.DocID(a.Key())
	a.SiteName = siteName(m, ld)
	a.Title = headline(pn, m, ld, a.SiteName)
	a.Authors = authors(doc, pn, m, ld)
	a.Published, a.Modified = dates(pn, m, ld)
	a.Language = language(pn, m, ld)
	a.Description = firstNonEmpty(m.first("description", "og:description", "twitter:description"), ld.str("description"))
	a.Section = firstNonEmpty(m.first("article:section", "section", "parsely-section"), ld.str("articleSection"))
	a.Tags = tags(m, ld)
	a.Image = resolveURL(pageURL, firstNonEmpty(m.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image"), ld.str("image")))
	return a
}

// pageNodes are the elements metadata reads, gathered in one walk where
// a selector query per field would walk the whole page each time. Each
// list is in document order, and holds what the selector in its comment
// would match.
type pageNodes struct {
	html      *xhtml.Node   // the first html
	title     *xhtml.Node   // the first title
	h1s       []*xhtml.Node // h1
	links     []*xhtml.Node // link[rel][href]
	itemprops []*xhtml.Node // [itemprop]
	dated     []*xhtml.Node // [itemprop], time[datetime]
	relLinks  []*xhtml.Node // a[rel]
}

func gatherNodes(root *xhtml.Node) *pageNodes {
	pn := &pageNodes{}
	walk(root, func(n *xhtml.Node) bool {
		if n.Type != xhtml.ElementNode {
			return true
		}
		switch n.Data {
		case "html":
			if pn.html == nil {
				pn.html = n
			}
		case "title":
			if pn.title == nil {
				pn.title = n
			}
		case "h1":
			pn.h1s = append(pn.h1s, n)
		case "link":
			if hasAttr(n, "rel") && hasAttr(n, "href") {
				pn.links = append(pn.links, n)
			}
		case "a":
			if hasAttr(n, "rel") {
				pn.relLinks = append(pn.relLinks, n)
			}
		}
		if hasAttr(n, "itemprop") {
			pn.itemprops = append(pn.itemprops, n)
			pn.dated = append(pn.dated, n)
		} else if n.Data == "time" && hasAttr(n, "datetime") {
			pn.dated = append(pn.dated, n)
		}
		return true
	})
	return pn
}

// attrOr returns the value of n's attribute key, or def when n has none
// (as goquery's AttrOr does).
func attrOr(n *xhtml.Node, key, def string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return def
}

// nodeText is the text of every text node at or below n, as it stands (as
// goquery's Text returns it).
func nodeText(n *xhtml.Node) string {
	var b strings.Builder
	walk(n, func(c *xhtml.Node) bool {
		if c.Type == xhtml.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return b.String()
}

// metaTags indexes <meta> contents by lower-cased property, name, itemprop
// or http-equiv, in document order.
type metaTags map[string][]string

func readMeta(doc *goquery.Document) metaTags {
	m := metaTags{}
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok {
			return
		}
		content = clean(content)
		for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
			if key := strings.ToLower(strings.TrimSpace(s.AttrOr(k, ""))); key != "" && content != "" {
				m[key] = append(m[key], content)
			}
		}
	})
	return m
}

// first returns the first non-empty content among keys, tried in order.
func (m metaTags) first(keys ...string) string {
	for _, k := range keys {
		for _, v := range m[k] {
			if v != "" {
				return html.UnescapeString(v)
			}
		}
	}
	return ""
}

// resolveURL makes ref absolute against base. It returns "" when the result
// is not an absolute http(s) URL, so a relative link on a page fetched from
// an unknown address never poses as a canonical URL.
func resolveURL(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if b, err := url.Parse(base); err == nil {
		r = b.ResolveReference(r)
	}
	if (r.Scheme != "http" && r.Scheme != "https") || r.Host == "" {
		return ""
	}
	r.Fragment = ""
	return r.String()
}

// canonicalURL is the page's <link rel=canonical>, else og:url.
func canonicalURL(pn *pageNodes, m metaTags, pageURL string) string {
	var found string
links:
	for _, n := range pn.links {
		for _, rel := range strings.Fields(strings.ToLower(attr(n, "rel"))) {
			if rel == "canonical" {
				found = resolveURL(pageURL, attr(n, "href"))
				if found != "" {
					break links
				}
				break
			}
		}
	}
	if found == "" {
		found = resolveURL(pageURL, m.first("og:url"))
	}
	return found
}

// titleSeparators split a document title into headline and site name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / "}

// headline is the story's on-page headline: JSON-LD headline, og:title,
// twitter:title, the page's h1; the <title> only when none of those exist,
// and then without its " | Site" part.
func headline(pn *pageNodes, m metaTags, ld *linkedData, site string) string {
	for _, t := range []string{ld.str("headline"), m.first("og:title", "twitter:title")} {
		if t != "" {
			return stripSiteName(t, site)
		}
	}
	if h := pageH1(pn.h1s, site); h != "" {
		return h
	}
	if pn.title != nil {
		if t := clean(nodeText(pn.title)); t != "" {
			return stripTitleSuffix(stripSiteName(t, site))
		}
	}
	return ld.str("name")
}

// stripSiteName removes a leading or trailing site name joined by a
// separator ("Headline | Site", "Site: Headline").
func stripSiteName(t, site string) string {
	t = clean(t)
	if site == "" {
		return t
	}
	for _, sep := range append(titleSeparators, ": ") {
		if i := strings.LastIndex(t, sep); i > 0 && strings.EqualFold(strings.TrimSpace(t[i+len(sep):]), site) {
			return strings.TrimSpace(t[:i])
		}
		if i := strings.Index(t, sep); i > 0 && strings.EqualFold(strings.TrimSpace(t[:i]), site) && i+len(sep) < len(t) {
			return strings.TrimSpace(t[i+len(sep):])
		}
	}
	return t
}

// stripTitleSuffix drops the last separator-joined part of a <title> when
// what remains still reads as a headline (three words or more).
func stripTitleSuffix(t string) string {
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(t, sep); i > 0 && wordCount(t[:i]) >= 3 {
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}

var logoHint = newLiterals([]string{"logo", "brand", "site-title", "site-name", "masthead"})

// pageH1 is the first h1 that is not the site's logo or name.
func pageH1(h1s []*xhtml.Node, site string) string {
	for _, n := range h1s {
		if logoHint.in(hint(n)) || hasAncestor(n, func(p *xhtml.Node) bool { return isTag(p, atom.Nav) || logoHint.in(hint(p)) }) {
			continue
		}
		t := textOf(n)
		if t == "" || strings.EqualFold(t, site) {
			continue
		}
		return t
	}
	return ""
}

// siteName is og:site_name, else the JSON-LD publisher, else the
// application name.
func siteName(m metaTags, ld *linkedData) string {
	if s := m.first("og:site_name"); s != "" {
		return s
	}
	if s := ld.publisherName(); s != "" {
		return s
	}
	return m.first("application-name", "twitter:site")
}

var langTag = regexp.MustCompile(`^[a-z]{2,3}$`)

// language is the primary subtag ("en", "de") of the page language: <html
// lang>, then Content-Language, then og:locale, then JSON-LD inLanguage.
func language(pn *pageNodes, m metaTags, ld *linkedData) string {
	var lang, xmlLang string
	if pn.html != nil {
		lang, xmlLang = attr(pn.html, "lang"), attr(pn.html, "xml:lang")
	}
	for _, v := range []string{
		lang,
		xmlLang,
		m.first("content-language", "language", "dc.language"),
		m.first("og:locale"),
		ld.str("inLanguage"),
	} {
		v, _, _ = strings.Cut(v, ",")
		primary, _, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(v), "_", "-"), "-")
		primary = strings.ToLower(primary)
		if langTag.MatchString(primary) {
			return primary
		}
	}
	return ""
}

// tags are the article:tag values, else JSON-LD keywords, else the
// keywords meta; de-duplicated, in page order.
func tags(m metaTags, ld *linkedData) []string {
	var raw []string
	switch {
	case len(m["article:tag"]) > 0:
		raw = m["article:tag"]
	case ld.article != nil && len(strs(ld.article["keywords"])) > 0:
		for _, k := range strs(ld.article["keywords"]) {
			raw = append(raw, strings.Split(k, ",")...)
		}
	default:
		raw = strings.Split(m.first("news_keywords", "keywords"), ",")
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range raw {
		t = clean(html.UnescapeString(t))
		if t != "" && !seen[strings.ToLower(t)] {
			seen[strings.ToLower(t)] = true
			out = append(out, t)
		}
	}
	return out
}
