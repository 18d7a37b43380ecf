package parser

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxPromptWords is the most text a prompt or sign-up box holds: a heading,
// a line or two of offer and a button or form. Consent layers carry a
// paragraph of legal text, and donation "epics" a paragraph of pitch above
// their amount buttons: they may hold up to maxConsentWords.
const (
	maxPromptWords  = 60
	maxConsentWords = 120
)

// ctaLineWords is the longest line a call-to-action block may hold without
// that line itself being worded as an ask: a longer plain line is story.
const ctaLineWords = 14

// meterLineWords is the most text a meter banner without a call to action
// holds: a line or two ("You have read 2 of 5 free articles this month").
const meterLineWords = 2 * ctaLineWords

// prompt is one block found by its wording and shape: a subscription
// prompt or meter banner (a wall), or a box that uses the same words for
// something else (sign-up, appeal, consent, comment gate).
type prompt struct {
	node *html.Node
	ask  ask
	// continues is true when the block says the story goes on behind it.
	continues bool
}

// findPrompts returns the outermost blocks of the page that are prompts or
// boxes, outside the site's header, navigation, footer, side rails and
// comment threads (a "Subscribe" link in the masthead is not a wall). st
// holds the page's text statistics.
func findPrompts(root *html.Node, st *textStats) []prompt {
	f := promptFinder{st: st}
	f.visit(root, nil)
	return f.out
}

// promptFinder walks the page for findPrompts.
type promptFinder struct {
	st  *textStats
	out []prompt
}

// blockWords is a block's text, normalised, and what it asks.
type blockWords struct {
	node      *html.Node
	text, low string
	ask       ask
	continues bool
}

// visit looks for prompts at and below n. above is the words of n's parent
// when they were read: a wrapper and the one child that holds all its
// text have the same text, which need not be read and classified again.
func (f *promptFinder) visit(n *html.Node, above *blockWords) {
	switch {
	case n.Type == html.DocumentNode:
		f.visitChildren(n, nil)
		return
	case n.Type != html.ElementNode || noText[n.DataAtom]:
		return
	case promptChrome(n, f.st):
		topBar := isTag(n, atom.Header) || topBarNames.match(hint(n))
		if sideRail(n) || topBar {
			// A priced offer in the site's header bar ("assine por R$
			// 1,90 no primeiro mês. Assine agora") is a banner, as much
			// as one in a side rail.
			f.visitRail(n)
		}
		if topBar {
			f.visitMeters(n)
		}
		return
	case isTag(n, atom.Html, atom.Body, atom.Article, atom.Main), f.st.moreWordsThan(n, maxConsentWords):
		f.visitChildren(n, nil)
		return
	}
	var bw blockWords
	if above != nil && f.st.sameText(n, above.node) {
		bw = *above
		bw.node = n
	} else {
		bw = blockWords{node: n, text: textOf(n)}
		bw.low = normalise(bw.text)
		if !mayAsk(bw.low) {
			// Nothing below can ask either: its text is part of this text.
			return
		}
		bw.ask, bw.continues = classifyAsking(bw.low)
	}
	p, ok := promptAt(n, &bw)
	if ok {
		f.out = append(f.out, p)
	}
	// A box that asks for something else (a comment gate, a sign-up)
	// keeps its "Subscribe now" link to itself, stripped or not; so
	// does a newsletter box with its e-mail field, though its name is set
	// as a headline.
	if !ok && !(p.ask.isOther() && (ctaShaped(n) || p.ask == signupAsk && hasField(n))) {
		f.visitChildren(n, &bw)
	}
}

// visitRail looks in a side rail for a priced subscription offer ("Get
// the magazine in print: 12 issues for $79. Subscribe now"): an ask to
// subscribe, as much as a box in the story, where a bare "Subscribe" link
// or a newsletter box in the rail is furniture.
func (f *promptFinder) visitRail(rail *html.Node) {
	if low := normalise(textOf(rail)); !priceWording.MatchString(low) || !subscriptionStems.in(low) && !subscribeListed(low) {
		return // most rails price nothing
	}
	f.findInChrome(rail, maxPromptWords, func(n *html.Node) (prompt, bool) {
		low := normalise(textOf(n))
		if (subscribeListed(low) || subscriptionStems.in(low)) && priceWording.MatchString(low) && hasAction(n) && ctaShaped(n) {
			_, continues := classifyNormalised(low)
			return prompt{node: n, ask: subscribeAsk, continues: continues}, true
		}
		return prompt{}, false
	})
}

// topBarNames are the names of the site's header bar.
var topBarNames = newNameSet([]string{"header", "topbar", "masthead"}, nil, nil)

// visitMeters looks in the site's header bar for a meter's count ("2 free
// articles left this month"), a number in it: the reader's state, not the
// masthead's furniture. Rails are left alone: their headlines ("Free
// articles: the list") count nothing.
func (f *promptFinder) visitMeters(chrome *html.Node) {
	if low := normalise(textOf(chrome)); askLists.which(low)&inMeter == 0 || !meterWording.match(low) {
		return
	}
	f.findInChrome(chrome, meterLineWords, func(n *html.Node) (prompt, bool) {
		if f.st.allLinks(n) {
			return prompt{}, false // a headline in a menu, not a count
		}
		// A count, with its number: a subheadline about "your free
		// articles" counts nothing.
		if t := textOf(n); strings.ContainsAny(t, "0123456789") {
			if a, _ := classifyAsk(t); a == meterAsk {
				return prompt{node: n, ask: meterAsk}, true
			}
		}
		return prompt{}, false
	})
}

// findInChrome walks the blocks of chrome of at most limit words, outermost
// first, and keeps each that found takes as a prompt, not looking inside it.
func (f *promptFinder) findInChrome(chrome *html.Node, limit int, found func(n *html.Node) (prompt, bool)) {
	walk(chrome, func(n *html.Node) bool {
		switch {
		case n == chrome || n.Type != html.ElementNode:
			return true
		case noText[n.DataAtom]:
			return false
		case f.st.moreWordsThan(n, limit):
			return true
		}
		p, ok := found(n)
		if ok {
			f.out = append(f.out, p)
		}
		return !ok
	})
}

// sideRail reports whether n is a side rail of the page (an <aside> or a
// block named sidebar or rail), not its header, navigation or footer.
func sideRail(n *html.Node) bool {
	if isTag(n, atom.Nav, atom.Footer, atom.Header) {
		return false
	}
	h := hint(n)
	return isTag(n, atom.Aside) || sideNames.match(h) && !menuNames.match(h) && !strings.Contains(h, "comment")
}

func (f *promptFinder) visitChildren(n *html.Node, words *blockWords) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		f.visit(c, words)
	}
}

// menuNames are names of navigation blocks that pageChrome does not know:
// menus, drawers and mega-menus carry "Subscribe now" links on every page.
var menuNames = newNameSet([]string{"menu", "menus", "nav", "navs", "navbar", "navigation", "topbar", "toolbar",
	"drawer", "mega", "megamenu", "flyout", "masthead", "header"}, nil, nil)

// promptChrome reports whether n is page furniture where a subscription
// link is not a wall: the site's header, navigation, footer, side rails and
// menus, a figure and its caption (a magazine ad under a photo), and any
// list of three or more links.
func promptChrome(n *html.Node, st *textStats) bool {
	if isTag(n, atom.Html, atom.Body, atom.Main, atom.Article) {
		return false
	}
	h := hint(n)
	if isTag(n, atom.Footer) && articleFooterNames.in(h) {
		// The article's own footer, where an offer may close the story.
		return false
	}
	if pageChromeNamed(n, h) && !(sideNames.match(h) && holdsPage(n)) || isTag(n, atom.Figure, atom.Figcaption) {
		// A layout named for its rail ("b-right-rail-advanced") that
		// holds the page's main part is the page, not its rail.
		return true
	}
	// A pop-up or banner named for where it is drawn ("above-header
	// popup") is a layer over the page, not the masthead's furniture.
	if menuNames.match(h) && !overlayNames.in(h) {
		return true
	}
	if !isTag(n, atom.Ul, atom.Ol, atom.Div, atom.Section) {
		return false
	}
	links := 0
	walk(n, func(c *html.Node) bool {
		if isTag(c, atom.A) {
			links++
			return false
		}
		return links < 3
	})
	return links >= 3 && st.ownLinkDensity(n) > 0.8
}

// articleFooterNames are in the names of an article's own footer
// ("entry-footer", "ArticlePage-articleFooter"), as against the site's.
var articleFooterNames = newLiterals([]string{"article", "entry", "story"})

// appealNames are in the names publishers give donation boxes.
var appealNames = newLiterals([]string{"donat", "support", "contribut", "epic", "spende", "wesprzyj", "wspar", "soutien", "appel-dons",
	"apoya", "doaç", "sostieni", "steun", "fundraising", "socio", "membership", "lidmaatschap", "mitglied"})

// promptAt reports whether n is a prompt or box: worded like one and shaped
// like one. The shape is a short block of call-to-action lines (see
// ctaShaped) that offers an action (a call-to-action link, a button or a
// form; sign-ups need a field) or, for a subscription prompt, is itself a
// single short line that is not a quotation. A story about subscriptions
// fails the shape test; a pull quote fails the quotation test. When n is
// not a prompt, the returned prompt still carries its ask. bw holds n's
// words.
func promptAt(n *html.Node, bw *blockWords) (prompt, bool) {
	text, low, a, continues := bw.text, bw.low, bw.ask, bw.continues
	words := storyWordCount(text) // a Japanese teaser is more than one word
	if a == noAsk && words > 0 && words <= maxPromptWords && sellsByTerms(low) && hasAction(n) {
		// "Become a Current subscriber for $5 a month. [Subscribe]": no
		// phrase sells, the terms and the call to action do. A story's
		// line quoting a price has no call to action.
		a = subscribeAsk
	}
	// A donation box named as one ("support-box", "donation"), or as the
	// publisher's wall ("sub-wall"), may say why the newsroom asks in a
	// line of prose, as long as it offers a way to give: its name and its
	// ask make it a box, not the story.
	named := a == appealAsk && (appealNames.in(hint(n)) || wallNamed(n)) && hasAction(n)
	limit := maxPromptWords
	if a == consentAsk || a == appealAsk && (hasControl(n) || named) {
		limit = maxConsentWords
	}
	if a == noAsk || words == 0 || words > limit || !named && !ctaShaped(n) {
		return prompt{ask: a}, false
	}
	action := hasAction(n)
	switch {
	case a == meterAsk && !action && words > meterLineWords:
		// A paragraph that mentions "your last free article" is story.
		return prompt{ask: a}, false
	case a == meterAsk:
	case a == signupAsk:
		// Sign-up boxes have a field to type an address into, or say
		// newsletter and offer a way to subscribe to it.
		if !hasField(n) && !(action && signupNames.in(low)) {
			return prompt{ask: a}, false
		}
	case a == commentsAsk && words <= meterLineWords && accessWorded(low):
		// "Um zu posten, melden Sie sich bitte mit Ihrem Konto an": the
		// comments' own login line, said to the reader, link or not.
	case action:
	case a == subscribeAsk && words <= 12 && !isQuotation(n, text):
		// "Subscribe to continue reading." alone on its line.
	default:
		return prompt{ask: a}, false
	}
	return prompt{node: n, ask: a, continues: continues}, true
}

// hasControl reports whether n holds a button, a link styled as one, or
// a form: a donation box's amounts, its form or its "Become a member"
// button, where a story has at most plain links.
func hasControl(n *html.Node) bool {
	found := false
	walk(n, func(c *html.Node) bool {
		found = found || isTag(c, atom.Button, atom.Form, atom.Input) || isTag(c, atom.A) && buttonNames.MatchString(hint(c))
		return !found
	})
	return found
}

// hasField reports whether n holds a form or a form field.
func hasField(n *html.Node) bool {
	found := false
	walk(n, func(c *html.Node) bool {
		found = found || isTag(c, atom.Form, atom.Input, atom.Textarea)
		return !found
	})
	return found
}

// ctaShaped reports whether n is built like a call to action rather than
// like a piece of the story: no headline, and no line of more than
// ctaLineWords that is not itself worded as an ask or an offer's terms.
// So a teaser paragraph that shares a small container with its wall is
// never taken for part of the wall.
func ctaShaped(n *html.Node) bool {
	ok := true
	walk(n, func(c *html.Node) bool {
		switch {
		case !ok || c.Type != html.ElementNode:
		case c.DataAtom == atom.H1:
			ok = false
		case isTag(c, atom.P, atom.Div, atom.Li, atom.Blockquote, atom.Section, atom.Span, atom.Td) && isLeafBlock(c):
			t := textOf(c)
			if storyWordCount(t) > ctaLineWords {
				a, _ := classifyAsk(t)
				ok = a != noAsk || offerWording.MatchString(normalise(t))
			}
			return false
		}
		return ok
	})
	return ok
}

// isLeafBlock reports whether n holds no block element: it is one line of
// the block, however it is tagged.
func isLeafBlock(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && blockTags[c.DataAtom] && c.DataAtom != atom.Br {
			return false
		}
	}
	return true
}

// hasAction reports whether n is or holds a call to action: a button or
// form control, or a link that is one (see isCTALink). A link inside a
// sentence of a story is not.
func hasAction(n *html.Node) bool {
	found := false
	walk(n, func(c *html.Node) bool {
		switch {
		case found:
		case isTag(c, atom.Button, atom.Input, atom.Form) || strings.EqualFold(attr(c, "role"), "button"):
			found = true
		case isTag(c, atom.A):
			found = isCTALink(c)
			return false
		}
		return !found
	})
	return found
}

// ctaHref matches the addresses calls to action lead to: subscription,
// membership, donation (a newsroom's /support/ page), login, registration
// and newsletter pages.
var ctaHref = regexp.MustCompile(`subscri|\babo|abonn|suscri|donat|spende|/don\b|/support\b|member|mitglied|membre|socio|join|` +
	`log-?in|sign-?in|sign-?up|register|regist|account|konto|compte|cuenta|connexion|connect|acceso|acceder|anmeld|` +
	`newsletter|checkout|offer|angebot|offre|oferta|plans|pricing|portal|trial|premium|paywall`)

// isCTALink reports whether link a is a call to action: it leads to a
// subscription, login or similar page, is styled as a button, or stands
// alone on its line rather than inside a sentence.
func isCTALink(a *html.Node) bool {
	if ctaHref.MatchString(strings.ToLower(attr(a, "href"))) || buttonNames.MatchString(hint(a)) {
		return true
	}
	return aloneOnLine(a)
}

// aloneOnLine reports whether link a stands alone on its line rather than
// inside a sentence: no text beside it but punctuation after it.
func aloneOnLine(a *html.Node) bool {
	for s := a.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return false
		}
	}
	for s := a.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.TextNode && strings.Trim(s.Data, " \t\r\n.?!·|") != "" {
			return false
		}
	}
	return true
}

// buttonNames mark links styled as buttons.
var buttonNames = regexp.MustCompile(`(?:^|[^a-z])(?:btn|button|cta|bouton|boton|knop)`)

// isQuotation reports whether a short line is quoted speech rather than a
// call to action: it sits in a blockquote or q, or is wrapped in quotation
// marks. "“We used to put ‘subscribe now’ on every page.”" is a quote.
func isQuotation(n *html.Node, text string) bool {
	if isTag(n, atom.Blockquote, atom.Q) || hasAncestor(n, func(p *html.Node) bool { return isTag(p, atom.Blockquote, atom.Q) }) {
		return true
	}
	t := strings.TrimSpace(text)
	return strings.HasPrefix(t, "\"") || strings.HasPrefix(t, "“") || strings.HasPrefix(t, "«") ||
		strings.HasPrefix(t, "„") || strings.HasPrefix(t, "'") || strings.HasPrefix(t, "‘")
}
