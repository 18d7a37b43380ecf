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
// prompt or meter: sites name their login widgets "paywall-login" too. Even
// so, the name is the publisher's, not a declaration: the block is a
// prompt, like any other, and the page is gated only by what declares it
// (a block merely named that holds no barrier is reported as
// markup:paywall when the name is strong). Their words are wall stems too
// (wallStemList).
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
		for _, v := range contentMarkers {
			if hasAttr(n, v.contentAttr) {
				w.signal("wall:" + v.name)
				w.marked = true
			}
		}
		if n.DataAtom == atom.A && sponsoredLink(n) {
			if box := adBox(n, w.stats); box != nil {
				w.strip[box] = true
			}
			return false
		}
		w.faded = w.faded || fadesTeaser(n)
		if !wallNamed(n) {
			return true
		}
		return w.readWall(n, markupNames(n))
	})
}

// fadeNames name the empty block a wall draws over a teaser's last lines.
var fadeNames = newLiterals([]string{"fade", "gradient", "mask", "blur"})

// fadesTeaser reports whether element n is an empty fade drawn over the
// text just before it ("article__fade", "paywall-gradient" after the
// teaser's paragraphs): the served text stops there, where the wall cut it.
func fadesTeaser(n *html.Node) bool {
	if !isTag(n, atom.Div, atom.Span) {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.TextNode || strings.TrimSpace(c.Data) != "" {
			return false
		}
	}
	if !fadeNames.in(hint(n)) {
		return false
	}
	prev := n.PrevSibling
	for prev != nil && prev.Type != html.ElementNode {
		prev = prev.PrevSibling
	}
	return prev != nil && endsInParagraph(prev)
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
		w.ampServed = w.ampServed || moreWordsThan(n, maxPromptWords)
	case "content-not-granted", "loading":
		// The section shown to a reader without access: the offer, and
		// on some pages the teaser paragraphs above it. Prose is kept;
		// the offer inside is a prompt of its own. An offer longer than
		// a prompt (plans, perks, a login line) is the wall itself when
		// it is built as one.
		switch {
		case !moreWordsThan(n, maxPromptWords):
			w.strip[n] = true
		case !moreWordsThan(n, maxConsentWords) && ctaShaped(n):
			w.strip[n] = true
			if a, continues := classifyAsk(textOf(n)); a.isWall() && !w.free {
				w.prompts = append(w.prompts, prompt{node: n, ask: a, continues: continues})
			}
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
	// vendor is the tool whose markup names n as a place its barrier may
	// be; byWall is set when the tool's wall expression says so, not only
	// its generic markup.
	vendor, byWall := "", false
	for _, v := range vendorMarkup {
		if !containsAny(names, v.stems) || !v.markup.MatchString(names) {
			continue
		}
		w.signal("vendor:" + v.name)
		if vendor == "" && (v.wall == nil || v.wall.MatchString(names)) {
			vendor, byWall = v.name, v.wall != nil
		}
	}
	strong, plain := strongWallNames.in(names), plainWallNames.match(names)
	if vendor == "" && !strong && !plain {
		return true
	}
	a, ok := isBarrier(n)
	// continues is whether the barrier says the story goes on behind it.
	continues := false
	if ok {
		_, continues = classifyAsk(textOf(n))
	}
	if ok && vendor != "" && a == appealAsk && (!byWall || !continues) && givingWords.MatchString(normalise(textOf(n))) {
		// A membership tool's box pitching the reader to give ("Devenez
		// membre pour soutenir nos enquêtes"), checkout button and all, is
		// an appeal: the prompt finder reads it as one, even in the box
		// the tool cuts a members' post with, unless it says the post
		// goes on behind it. "Become a member" alone, under "This
		// explainer is for members", is the wall's offer.
		return false
	}
	switch {
	case ok && vendor != "":
		w.signal("wall:" + vendor)
	case ok && a.isWall():
		// A block merely named "sub-wall", "gate" or even "paywall" is
		// the publisher's class name, not a declaration: reported, but a
		// prompt that gates nothing by itself and stops the story where
		// it stands. Like any prompt, it does not count where AMP shows it
		// only to readers without access on a page that says the article
		// is free.
		w.signal("wall:paywall")
		w.strip[n] = true
		if w.free && insideConditional(n) {
			return false
		}
		w.prompts = append(w.prompts, prompt{node: n, ask: a, continues: continues})
		return false
	default:
		if strong {
			w.signal("markup:paywall")
		}
		return true
	}
	w.marked = true
	w.strip[n] = true
	// Overlays and meter banners sit anywhere in the markup; only other
	// barriers mark where the story stops, and overlays drawn among the
	// story's paragraphs that say it is reserved.
	if a != meterAsk {
		if w.stopsStory(n, continues) {
			w.barriers = append(w.barriers, n)
			if continues {
				w.reserved = append(w.reserved, n)
			}
		}
	}
	return false
}

// stopsStory reports whether a barrier marks where the story stops: any
// barrier that is not drawn as a layer over the page, and a layer drawn
// in the story's flow that says the story is reserved or goes on behind
// it (continues).
func stopsStory(n *html.Node, continues bool) bool {
	return !insideOverlay(n) || continues && inlineOverlay(n)
}

// inlineOverlay reports whether the overlay holding n is drawn in the
// flow of the story: it comes right after one of the story's paragraphs,
// or after the block they end (a Next.js teaser and then its
// PaywallOverlay), where layers appended to the page's body or header
// follow none.
func inlineOverlay(n *html.Node) bool {
	var top *html.Node
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && isOverlay(p) {
			top = p
		}
	}
	if top == nil {
		return false
	}
	for s := top.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode && strings.TrimSpace(textOf(s)) != "" {
			// An empty fade or spacer between the teaser and the
			// layer draws nothing of the story.
			return endsInParagraph(s)
		}
	}
	return false
}

// endsInParagraph reports whether element n is, or ends in, a paragraph
// with text: a story paragraph, or the teaser's container ("c-news__body"
// and its two paragraphs) that a Folha-style wall follows.
func endsInParagraph(n *html.Node) bool {
	for depth := 0; n != nil && depth < 4; depth++ {
		if n.DataAtom == atom.P {
			return strings.TrimSpace(textOf(n)) != ""
		}
		last := n.LastChild
		for last != nil && (last.Type != html.ElementNode || strings.TrimSpace(textOf(last)) == "") {
			last = last.PrevSibling // text between blocks, or an empty fade
		}
		n = last
	}
	return false
}

// isOverlay reports whether element n is a layer drawn over the page. A
// layer does not hold the page's <main> or <article>: Drupal wraps every
// page in a "dialog-off-canvas-main-canvas".
func isOverlay(n *html.Node) bool {
	named := strings.EqualFold(attr(n, "role"), "dialog") || strings.EqualFold(attr(n, "aria-modal"), "true") ||
		overlayNames.in(hint(n))
	return named && !holdsPage(n)
}

// holdsPage reports whether n holds a <main>, an <article> or an element
// whose role is main.
func holdsPage(n *html.Node) bool {
	found := false
	walk(n, func(c *html.Node) bool {
		found = found || c != n && (isTag(c, atom.Main, atom.Article) || strings.EqualFold(attr(c, "role"), "main"))
		return !found && !noText[c.DataAtom]
	})
	return found
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
	case signupAsk, consentAsk, commentsAsk, eventAsk:
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
		if isOverlay(p) {
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

// sponsoredLink reports whether link a is marked as paid for
// (rel="sponsored", the attribute search engines ask of affiliate and
// advertising links).
func sponsoredLink(a *html.Node) bool {
	rel := attr(a, "rel")
	return rel != "" && strings.Contains(strings.ToLower(rel), "sponsored")
}

// adBox returns the box a sponsored call to action stands in: the
// outermost block above it, below the article, that is short and built
// like a call to action (a product box: its name, a price list, "See the
// offer"). A sponsored link inside a sentence of the story is the
// story's, and has no box.
func adBox(a *html.Node, st *textStats) *html.Node {
	if !buttonNames.MatchString(hint(a)) && !aloneOnLine(a) {
		return nil
	}
	var box *html.Node
	for p := a.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
		// A table's rows are the review's data, its sponsored link a shop's.
		if isTag(p, atom.Html, atom.Body, atom.Article, atom.Main, atom.Td, atom.Th, atom.Tr, atom.Table) ||
			st.moreWordsThan(p, maxPromptWords) || !ctaShaped(p) {
			break
		}
		if isTag(p, atom.Div, atom.Aside, atom.Section, atom.P, atom.Ul, atom.Ol, atom.Li) {
			box = p
		}
	}
	return box
}
