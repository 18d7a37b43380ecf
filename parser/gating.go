package parser

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tierMetas are the meta names and properties publishers give the
// content tier (Open Graph's article:content_tier and its variants).
var tierMetas = map[string]bool{
	"article:content_tier": true, "og:article:content_tier": true, "content_tier": true, "content-tier": true,
}

// paywallMetas are meta names publishers use to flag a gated article.
var paywallMetas = map[string]bool{
	"paywall": true, "article:paywall": true, "access": true, "article:access": true, "content-access": true,
	"content_access": true, "access-level": true, "accesslevel": true, "premium": true, "article:premium": true,
	"is_premium": true, "ispremium": true,
}

// gatedValues and freeValues are the values of those metas that say the
// article is gated or free.
var (
	gatedValues = map[string]bool{"true": true, "yes": true, "1": true, "on": true, "paid": true, "premium": true,
		"subscriber": true, "subscribers": true, "subscription": true, "subscribers-only": true, "members": true,
		"member": true, "locked": true, "restricted": true, "closed": true, "metered": true, "plus": true}
	freeValues = map[string]bool{"false": true, "no": true, "0": true, "off": true, "free": true, "open": true,
		"public": true, "none": true}
)

// readDeclarations notes what the page's metadata says about access:
// JSON-LD, microdata and meta tags. A microdata WebPageElement that is not
// free is itself a declared gated part.
func (w *walls) readDeclarations(doc *goquery.Document, ld *linkedData) {
	if ld.gated {
		w.signal("jsonld:isAccessibleForFree=false")
		w.declared = true
	}
	free := ld.free
	doc.Find("[itemprop]").Each(func(_ int, s *goquery.Selection) {
		if !strings.EqualFold(s.AttrOr("itemprop", ""), "isAccessibleForFree") {
			return
		}
		v := s.AttrOr("content", s.AttrOr("href", s.Text()))
		switch {
		case isFalse(v):
			w.signal("microdata:isAccessibleForFree=false")
			w.declared = true
			w.microdataPart(itemScope(s.Get(0)))
		case isTrue(v):
			free = true
		}
	})
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		key := strings.ToLower(strings.TrimSpace(s.AttrOr("property", s.AttrOr("name", ""))))
		val := strings.ToLower(strings.TrimSpace(s.AttrOr("content", "")))
		switch {
		case key == "" || val == "":
		case key == "isaccessibleforfree" || key == "og:isaccessibleforfree":
			if isFalse(val) {
				w.signal("meta:isAccessibleForFree=false")
				w.declared = true
			} else if isTrue(val) {
				free = true
			}
		case tierMetas[key]:
			switch val {
			case "locked", "metered":
				w.signal("meta:content_tier=" + val)
				w.declared = true
			case "free":
				w.signal("meta:content_tier=free")
				free = true
			}
		case paywallMetas[key]:
			if gatedValues[val] {
				w.signal("meta:paywall")
				w.declared = true
			} else if freeValues[val] {
				free = true
			}
		}
	})
	w.free = free
}

// microdataPart notes the gated part a microdata WebPageElement declares:
// the element its cssSelector names when it has one (the item is then
// often an empty span of metas), else the item's own element.
func (w *walls) microdataPart(scope *html.Node) {
	if scope == nil || !strings.Contains(attr(scope, "itemtype"), "WebPageElement") {
		return
	}
	var selectors []string
	walk(scope, func(n *html.Node) bool {
		if n != scope && n.Type == html.ElementNode && hasAttr(n, "itemscope") {
			return false
		}
		if strings.EqualFold(attr(n, "itemprop"), "cssSelector") {
			selectors = append(selectors, attr(n, "content"))
		}
		return true
	})
	if len(selectors) == 0 {
		w.parts = append(w.parts, scope)
	}
	w.selectors = append(w.selectors, selectors...)
}

// itemScope returns the nearest element at or above n that opens a
// microdata item.
func itemScope(n *html.Node) *html.Node {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && hasAttr(p, "itemscope") {
			return p
		}
	}
	return nil
}

// scriptVendors recognise paywall and membership tools by the scripts and
// stylesheets they load or the inline code that configures them: any of
// the lower-case marks in the source address, type, id or code.
var scriptVendors = []struct {
	vendor string
	marks  []string
}{
	{"piano", []string{"tinypass", "piano.io", "tp.push(", "window.tp "}},
	{"poool", []string{"poool"}},
	{"zephr", []string{"zephr"}},
	{"pelcro", []string{"pelcro"}},
	{"laterpay", []string{"laterpay"}},
	{"steady", []string{"steadyhq"}},
	{"memberful", []string{"memberful"}},
	{"memberpress", []string{"memberpress"}},
	{"rcp", []string{"restrict-content-pro"}},
	{"pmpro", []string{"paid-memberships-pro"}},
	{"wc-memberships", []string{"woocommerce-memberships"}},
	{"ghost", []string{"ghost/portal", "data-ghost"}},
	{"substack", []string{"substackcdn", "substack.com/"}},
	{"amp-subscriptions", []string{"amp-subscriptions"}},
}

// maxInlineScript is how much of an inline script is read: configuration
// snippets are short, and bundles of library code can be megabytes.
const maxInlineScript = 32 << 10

// pooolPremium matches Poool's per-article page view when it declares the
// article premium: poool("send", "page-view", "premium").
var pooolPremium = regexp.MustCompile(`page-?view["']?\s*,\s*["'](?:premium|subscription)["']|pagetype["']?\s*:\s*["']premium["']`)

// readScripts notes the tools whose scripts the page loads. Loading one is
// not gating (sites load their paywall on every page); Poool's premium page
// view is, since it is set per article.
func (w *walls) readScripts(root *html.Node) {
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		var src string
		switch n.DataAtom {
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
				return false
			}
			src = attr(n, "src") + " " + attr(n, "custom-element") + " " + attr(n, "id")
			if hasAttr(n, "data-ghost") {
				src += " data-ghost"
			}
			if c := n.FirstChild; c != nil {
				src += " " + c.Data[:min(len(c.Data), maxInlineScript)]
			}
		case atom.Link:
			src = attr(n, "href")
		default:
			return true
		}
		src = strings.ToLower(src)
		for _, v := range scriptVendors {
			if containsAny(src, v.marks) {
				w.signal("script:" + v.vendor)
			}
		}
		if strings.Contains(src, "poool") && pooolPremium.MatchString(src) {
			w.signal("script:poool=premium")
			w.declared = true
		}
		return false
	})
}
