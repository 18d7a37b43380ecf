package parser

import (
	"regexp"
	"strings"

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

// readPage reads, in one walk, the tools' scripts (readScript) and what
// the page's metadata says about access (readDeclarations).
func (w *walls) readPage(root *html.Node, ld *linkedData) {
	// The walk gathers what the selectors [itemprop] and meta match.
	var items, metas []*html.Node
	var visit func(n *html.Node, scripts bool)
	visit = func(n *html.Node, scripts bool) {
		if n.Type == html.ElementNode {
			if hasAttr(n, "itemprop") {
				items = append(items, n)
			}
			if n.Data == "meta" {
				metas = append(metas, n)
			}
			scripts = scripts && w.readScript(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, scripts)
		}
	}
	visit(root, true)
	w.readDeclarations(ld, items, metas)
}

// readDeclarations notes what the page's metadata says about access:
// JSON-LD, microdata (items, the elements with an itemprop) and meta tags
// (metas). A microdata WebPageElement that is not free is itself a
// declared gated part.
func (w *walls) readDeclarations(ld *linkedData, items, metas []*html.Node) {
	if ld.gated {
		w.signal("jsonld:isAccessibleForFree=false")
		w.declared = true
	}
	free := ld.free
	for _, n := range items {
		if !strings.EqualFold(attr(n, "itemprop"), "isAccessibleForFree") {
			continue
		}
		v := attrOr(n, "content", attrOr(n, "href", nodeText(n)))
		switch {
		case isFalse(v):
			w.signal("microdata:isAccessibleForFree=false")
			w.declared = true
			w.microdataPart(itemScope(n))
		case isTrue(v):
			free = true
		}
	}
	for _, n := range metas {
		key := strings.ToLower(strings.TrimSpace(attrOr(n, "property", attr(n, "name"))))
		if key != "isaccessibleforfree" && key != "og:isaccessibleforfree" && !tierMetas[key] && !paywallMetas[key] {
			continue
		}
		val := strings.ToLower(strings.TrimSpace(attr(n, "content")))
		switch {
		case val == "":
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
				w.locked = w.locked || val == "locked"
				w.meteredTier = w.meteredTier || val == "metered"
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
	}
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

// maxInlineScript is how much of an inline script is read: configuration
// snippets are short, and bundles of library code can be megabytes.
const maxInlineScript = 32 << 10

// scriptMarks holds every vendor's marks, in either case: most scripts and
// stylesheets carry none, and one pass over them says so.
var scriptMarks = func() *literals {
	var all [][]string
	for _, v := range scriptVendors {
		all = append(all, v.scripts)
	}
	return newFoldLiterals(all...)
}()

// lowersToASCII reports whether s holds one of the two runes outside ASCII
// that strings.ToLower turns into ASCII letters (the Kelvin sign and the
// dotted capital I): where one appears, scriptMarks cannot answer for the
// lower-cased text.
func lowersToASCII(s string) bool {
	return strings.Contains(s, "\u212a") || strings.Contains(s, "\u0130")
}

// readScript notes the tools whose scripts the page loads (see
// paywallVendors). Loading one is not gating (sites load their paywall on
// every page); a tool's premium declaration, such as Poool's premium page
// view, is, since it is set per article. It reports whether the scripts
// inside n, if any, are to be read: none inside a script or stylesheet.
func (w *walls) readScript(n *html.Node) bool {
	var head, code string
	hasCode := false
	switch n.DataAtom {
	case atom.Script:
		if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
			return false
		}
		head = attr(n, "src") + " " + attr(n, "custom-element") + " " + attr(n, "id")
		for _, a := range scriptAttrs {
			if hasAttr(n, a) {
				head += " " + a
			}
		}
		if c := n.FirstChild; c != nil {
			code, hasCode = c.Data[:min(len(c.Data), maxInlineScript)], true
		}
	case atom.Link:
		head = attr(n, "href")
	default:
		return true
	}
	// The source read is head, with the code after a space when there
	// is code; most hold no mark in any case and need no more.
	if hasCode {
		if !scriptMarks.inJoined(head, code) && !lowersToASCII(head) && !lowersToASCII(code) {
			w.readOwnConfig(code)
			return false
		}
	} else if !scriptMarks.in(head) && !lowersToASCII(head) {
		return false
	}
	src := head
	if hasCode {
		src += " " + code
	}
	src = strings.ToLower(src)
	for _, v := range scriptVendors {
		if containsAny(src, v.scripts) {
			w.signal("script:" + v.name)
		}
	}
	for _, v := range scriptVendors {
		if containsAny(src, v.scripts) && (v.premium != nil && v.premium.MatchString(src) || gatedConfig.MatchString(src)) {
			w.signal("script:" + v.name + "=premium")
			w.declared = true
		}
	}
	if hasCode {
		w.readOwnConfig(code)
	}
	return false
}

// maxConfigMentions is how many of a script's mentions of "paywall"
// readOwnConfig reads around.
const maxConfigMentions = 16

// indexFold returns the index of the first ASCII-case-insensitive match
// of lower-case word in s at or after from, or -1.
func indexFold(s, word string, from int) int {
	for i := from; i+len(word) <= len(s); i++ {
		if c := s[i]; (c == word[0] || c == word[0]-'a'+'A') && strings.EqualFold(s[i:i+len(word)], word) {
			return i
		}
	}
	return -1
}

// ownPaywallConfig matches a page's own configuration of its wall, with
// no tool named: an analytics data layer's "paywall": "metered", a
// theme's heraldPaywall = {"locked": "1"}. The value must name a gated
// state, set per article; a bare "paywall": true says only that the site
// has a wall. Its first group is the state, empty for a locked flag.
var ownPaywallConfig = regexp.MustCompile(`\bpaywall(?:_?type|_?status|_?state|_?mode)?["']?\s*[:=]\s*["'](metered|locked|hard|premium|subscribers?[-_]only)["']|` +
	`paywall\w*\s*=\s*\{[^}]*?["']?\blocked["']?\s*:\s*["']?(?:1|true)\b`)

// readOwnConfig reads an inline script's code for the page's own wall
// configuration (ownPaywallConfig): it declares the article gated, and
// locked when it says so. The expression runs only around the first few
// mentions of "paywall", on a lower-cased copy of each's surroundings:
// most scripts name none, and an analytics bundle may name it in every
// line.
func (w *walls) readOwnConfig(code string) {
	var m []string
	for i, n := indexFold(code, "paywall", 0), 0; i >= 0 && m == nil && n < maxConfigMentions; i, n = indexFold(code, "paywall", i+len("paywall")), n+1 {
		m = ownPaywallConfig.FindStringSubmatch(strings.ToLower(code[max(0, i-40):min(len(code), i+400)]))
	}
	if m == nil {
		return
	}
	state := m[1]
	if state == "" || state == "hard" {
		state = "locked"
	}
	w.signal("script:paywall-config=" + state)
	w.declared = true
	w.locked = w.locked || state == "locked"
}
