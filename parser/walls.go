package parser

import (
	"math"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// wallNames are names publishers give their own walls, in any markup. A
// block so named is a barrier only when it is worded as a subscription
// prompt or meter (or, for strongWallNames that say "paywall" outright, a
// membership ask): sites name their login widgets "paywall-login" too.
// Their words are wall stems too (wallStemList).
var (
	strongWallWords = []string{"paywall", "pay-wall", "regwall", "reg-wall", "paygate", "bezahlschranke", "mur-payant", "muro-de-pago"}
	plainWallWords  = []string{"wall", "gate", "barrier", "muro", "schranke"}
	strongWallNames = newLiterals(strongWallWords)
	plainWallNames  = newNameSet(plainWallWords, nil, nil)
)

// overlayNames mark layers drawn over the page: where they sit in the
// markup says nothing about where the story stops.
var overlayNames = newLiterals([]string{"modal", "overlay", "backdrop", "popup", "pop-up", "dialog", "lightbox", "interstitial", "takeover"})

// maxBarrierWords is the most text a wall's barrier holds.
const maxBarrierWords = 80

// markupNames is the lower-cased class, id, role and data-* attributes of
// n ("key=value" for data-*, values cut short): the names by which tools
// and publishers mark their walls.
func markupNames(n *html.Node) string {
	names := hint(n)
	for _, a := range n.Attr {
		if strings.HasPrefix(a.Key, "data-") {
			v := strings.ToLower(a.Val)
			if len(v) > 100 {
				v = v[:100]
			}
			names += " " + a.Key + "=" + v
		}
	}
	return strings.TrimSpace(names)
}

// readMarkup walks the body for the tools' markup, walls, overlays and
// markers, and AMP subscription sections.
func (w *walls) readMarkup(root *html.Node) {
	walk(root, func(n *html.Node) bool {
		if n.Type == html.TextNode {
			w.readMarker(n)
			return false
		}
		if n.Type == html.DocumentNode {
			return true
		}
		if n.Type != html.ElementNode || noText[n.DataAtom] {
			return false
		}
		w.readAMP(n)
		if !wallNamed(n) {
			return true
		}
		return w.readWall(n, markupNames(n))
	})
}

// readMarker notes a tool's marker in the text node n, where its wall
// starts: the block holding only the marker is the barrier.
func (w *walls) readMarker(n *html.Node) {
	for _, v := range wallMarkers {
		if !strings.Contains(n.Data, v.marker) {
			continue
		}
		w.signal("wall:" + v.name)
		w.marked = true
		if p := n.Parent; p != nil && strings.TrimSpace(textOf(p)) == v.marker {
			w.strip[p] = true
			w.barriers = append(w.barriers, p)
		}
		return
	}
}

// readAMP handles amp-subscriptions markup: the content section is the
// declared gated part; the not-granted and loading sections and the
// blocks shown by entitlement never belong to the text.
func (w *walls) readAMP(n *html.Node) {
	switch strings.ToLower(attr(n, "subscriptions-section")) {
	case "content":
		w.signal("amp:section=content")
		w.marked = true
		w.parts = append(w.parts, n)
	case "content-not-granted", "loading":
		// The section shown to a reader without access: the offer, and
		// on some pages the teaser paragraphs above it. Prose is kept;
		// the offer inside is a prompt of its own.
		if !moreWordsThan(n, maxPromptWords) {
			w.strip[n] = true
		}
	default:
		if (hasAttr(n, "subscriptions-display") || hasAttr(n, "subscriptions-action")) && !moreWordsThan(n, maxPromptWords) {
			w.strip[n] = true
		}
	}
}

// wallStems are in every name that vendorMarkup, strongWallNames or
// plainWallNames match: a cheap test that spares the expressions almost
// every element of a page. wallStemList is derived in vendors.go.
var wallStems = newLiterals(wallStemList)

// wallNamed reports whether markupNames(n) holds one of the wallStems,
// without building it: no stem holds a space or "=", so none spans two of
// its parts. Almost no element of a page is so named, so each part is
// read as it is, in either case, and lower-cased (a copy) only when it is
// not ASCII and lower-casing might do more than fold ASCII letters.
func wallNamed(n *html.Node) bool {
	for _, a := range n.Attr {
		if hintKey(a.Key) && namesWall(a.Val, math.MaxInt) {
			return true
		}
		if strings.HasPrefix(a.Key, "data-") && (wallStems.in(a.Key) || namesWall(a.Val, 100)) {
			return true
		}
	}
	return false
}

// wallStemsAnyCase are the wallStems matched in either case.
var wallStemsAnyCase = newFoldLiterals(wallStemList)

// namesWall reports whether the first limit bytes of strings.ToLower(v)
// hold one of the wallStems.
func namesWall(v string, limit int) bool {
	if isASCII(v) { // lower-casing keeps the length
		return wallStemsAnyCase.in(v[:min(len(v), limit)])
	}
	v = strings.ToLower(v)
	return wallStems.in(v[:min(len(v), limit)])
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// readWall notes the vendor of a named element and whether it is a wall's
// barrier. It returns false once n is taken as a barrier: nothing inside
// it needs reading.
func (w *walls) readWall(n *html.Node, names string) bool {
	if !wallStems.in(names) {
		return true
	}
	vendor := ""
	for _, v := range vendorMarkup {
		if !containsAny(names, v.stems) || !v.markup.MatchString(names) {
			continue
		}
		w.signal("vendor:" + v.name)
		if vendor == "" && (v.wall == nil || v.wall.MatchString(names)) {
			vendor = v.name
		}
	}
	strong, plain := strongWallNames.in(names), plainWallNames.match(names)
	if vendor == "" && !strong && !plain {
		return true
	}
	a, ok := isBarrier(n)
	switch {
	case ok && vendor != "":
		w.signal("wall:" + vendor)
	case ok && a.isWall() && !strong:
		// A block merely named "sub-wall" or "gate" is the publisher's
		// class name, not a declaration: reported, but a prompt that
		// gates nothing and stops the story where it stands. Like any
		// prompt, it does not count where AMP shows it only to readers
		// without access on a page that says the article is free.
		w.signal("wall:paywall")
		w.strip[n] = true
		if w.free && insideConditional(n) {
			return false
		}
		_, continues := classifyAsk(textOf(n))
		w.prompts = append(w.prompts, prompt{node: n, ask: a, continues: continues})
		return false
	case ok && (a.isWall() || (strong && a == appealAsk)):
		w.signal("wall:paywall")
	default:
		if strong {
			w.signal("markup:paywall")
		}
		return true
	}
	w.marked = true
	w.strip[n] = true
	// Overlays and meter banners sit anywhere in the markup; only other
	// barriers mark where the story stops.
	if a != meterAsk && !insideOverlay(n) {
		w.barriers = append(w.barriers, n)
		if _, continues := classifyAsk(textOf(n)); continues {
			w.reserved = append(w.reserved, n)
		}
	}
	return false
}

// isBarrier reports whether n holds a wall's barrier: a short block of
// call-to-action lines (or a frame, as overlays load their offer in one),
// outside the page's chrome, that is not worded as a sign-up, consent
// layer or comment gate. It returns the block's ask.
func isBarrier(n *html.Node) (ask, bool) {
	if pageChrome(n) || hasAncestor(n, pageChrome) {
		return noAsk, false
	}
	text := textOf(n)
	words := wordCount(text)
	if words == 0 {
		return noAsk, holdsFrame(n)
	}
	if words > maxBarrierWords || !ctaShaped(n) {
		return noAsk, false
	}
	a, _ := classifyAsk(text)
	switch a {
	case signupAsk, consentAsk, commentsAsk:
		return a, false
	}
	return a, true
}

// holdsFrame reports whether n holds an iframe.
func holdsFrame(n *html.Node) bool {
	found := false
	walk(n, func(c *html.Node) bool {
		found = found || isTag(c, atom.Iframe)
		return !found
	})
	return found
}

// insideOverlay reports whether n is or sits in a layer drawn over the page.
func insideOverlay(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if strings.EqualFold(attr(p, "role"), "dialog") || strings.EqualFold(attr(p, "aria-modal"), "true") ||
			overlayNames.in(hint(p)) {
			return true
		}
	}
	return false
}

// insideConditional reports whether n sits in AMP markup shown only
// depending on the reader's entitlement.
func insideConditional(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch strings.ToLower(attr(p, "subscriptions-section")) {
		case "content-not-granted", "loading":
			return true
		}
		if hasAttr(p, "subscriptions-display") {
			return true
		}
	}
	return false
}
