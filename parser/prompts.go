package parser

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxPromptWords is the most text a prompt or sign-up box holds: a heading,
// a line or two of offer and a button or form. Consent layers carry a
// paragraph of legal text and may hold up to maxConsentWords.
const (
	maxPromptWords  = 60
	maxConsentWords = 120
)

// ctaLineWords is the longest line a call-to-action block may hold without
// that line itself being worded as an ask: a longer plain line is story.
const ctaLineWords = 14

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
// comment threads (a "Subscribe" link in the masthead is not a wall).
func findPrompts(root *html.Node) []prompt {
	var out []prompt
	walk(root, func(n *html.Node) bool {
		switch {
		case n.Type == html.DocumentNode:
			return true
		case n.Type != html.ElementNode || noText[n.DataAtom] || promptChrome(n):
			return false
		case isTag(n, atom.Html, atom.Body, atom.Article, atom.Main):
			return true
		case moreWordsThan(n, maxConsentWords):
			return true
		}
		text := textOf(n)
		if !mayAsk(normalise(text)) {
			// Nothing below can ask either: its text is part of this text.
			return false
		}
		p, ok := promptAt(n, text)
		if ok {
			out = append(out, p)
		}
		// A box that asks for something else (a comment gate, a sign-up)
		// keeps its "Subscribe now" link to itself, stripped or not.
		return !ok && !(p.ask.isOther() && ctaShaped(n))
	})
	return out
}

// menuNames are names of navigation blocks that pageChrome does not know:
// menus, drawers and mega-menus carry "Subscribe now" links on every page.
var menuNames = regexp.MustCompile(`(?:^|[^a-z])(?:menu|menus|nav|navs|navbar|navigation|topbar|toolbar|drawer|mega|megamenu|flyout|masthead|header)(?:$|[^a-z])`)

// promptChrome reports whether n is page furniture where a subscription
// link is not a wall: the site's header, navigation, footer, side rails and
// menus, a figure and its caption (a magazine ad under a photo), and any
// list of three or more links.
func promptChrome(n *html.Node) bool {
	if isTag(n, atom.Html, atom.Body, atom.Main, atom.Article) {
		return false
	}
	if pageChrome(n) || isTag(n, atom.Figure, atom.Figcaption) || menuNames.MatchString(hint(n)) {
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
	return links >= 3 && linkDensity(n) > 0.8
}

// promptAt reports whether n is a prompt or box: worded like one and shaped
// like one. The shape is a short block of call-to-action lines (see
// ctaShaped) that offers an action (a call-to-action link, a button or a
// form; sign-ups need a field) or, for a subscription prompt, is itself a
// single short line that is not a quotation. A story about subscriptions
// fails the shape test; a pull quote fails the quotation test. When n is
// not a prompt, the returned prompt still carries its ask.
func promptAt(n *html.Node, text string) (prompt, bool) {
	words := wordCount(text)
	a, continues := classifyAsk(text)
	limit := maxPromptWords
	if a == consentAsk {
		limit = maxConsentWords
	}
	if a == noAsk || words == 0 || words > limit || !ctaShaped(n) {
		return prompt{ask: a}, false
	}
	action := hasAction(n)
	switch {
	case a == meterAsk:
	case a == signupAsk:
		// Sign-up boxes have a field to type an address into, or say
		// newsletter and offer a way to subscribe to it.
		if !hasField(n) && !(action && containsAny(normalise(text), signupNames)) {
			return prompt{ask: a}, false
		}
	case action:
	case a == subscribeAsk && words <= 12 && !isQuotation(n, text):
		// "Subscribe to continue reading." alone on its line.
	default:
		return prompt{ask: a}, false
	}
	return prompt{node: n, ask: a, continues: continues}, true
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
			if wordCount(t) > ctaLineWords {
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
// membership, donation, login, registration and newsletter pages.
var ctaHref = regexp.MustCompile(`subscri|\babo|abonn|suscri|donat|spende|/don\b|member|mitglied|membre|socio|join|` +
	`log-?in|sign-?in|sign-?up|register|regist|account|konto|compte|cuenta|connexion|connect|acceso|acceder|anmeld|` +
	`newsletter|checkout|offer|angebot|offre|oferta|plans|pricing|portal|trial|premium|paywall`)

// isCTALink reports whether link a is a call to action: it leads to a
// subscription, login or similar page, is styled as a button, or stands
// alone on its line rather than inside a sentence.
func isCTALink(a *html.Node) bool {
	if ctaHref.MatchString(strings.ToLower(attr(a, "href"))) || buttonNames.MatchString(hint(a)) {
		return true
	}
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
var buttonNames = regexp.MustCompile(`(?:^|[^a-z])(?:btn|button|cta)`)

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
