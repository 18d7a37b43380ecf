package parser

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/news"
)

// The dek (standfirst, lead) is the sentence or two under the headline
// that opens the story. Themes print it in the article's header, apart
// from the body, so the body alone misses it; readers (and trafilatura's
// evaluation) count it as the story's first paragraph.

// dekNames are the names themes give the dek.
var dekNames = newNameSet([]string{"dek", "deck", "lead", "lede", "standfirst", "epigraph", "chapo", "chapeau", "strapline", "summary"},
	[]string{"subtitle", "subhead", "standfirst", "excerpt", "teaser", "intro", "vorspann", "abstract"}, nil)

// dekBounds are the sizes in bytes of a dek: a sentence, not a label, nor
// the story.
const (
	minDekBytes = 40
	maxDekBytes = 800
)

// findDek returns the dek of the page's headline: the first block after
// the first <h1> that gives the story's title, named like a dek, within
// the headline's grandparent and not in the page's chrome. An excerpt cut
// short ("…") is a teaser of the text, not its lead. The search stops at
// the body (content): what follows it is not its lead. "" when there is
// none.
func findDek(root *html.Node, title string, content []*html.Node) string {
	title = strings.ToLower(clean(title))
	if title == "" {
		return leadBefore(content)
	}
	h1 := firstElement(root, func(n *html.Node) bool {
		if n.DataAtom != atom.H1 || hasAncestor(n, pageChrome) {
			return false
		}
		h := strings.ToLower(textOf(n))
		return h != "" && (strings.Contains(title, h) || strings.Contains(h, title))
	})
	if h1 == nil {
		return leadBefore(content)
	}
	scope := h1
	for i := 0; i < 2 && scope.Parent != nil && scope.Parent.Type == html.ElementNode && !isTag(scope.Parent, atom.Body); i++ {
		scope = scope.Parent
	}
	after, stop := false, false
	var dek string
	walk(scope, func(n *html.Node) bool {
		if stop || dek != "" || n.Type != html.ElementNode {
			return false
		}
		if n == h1 {
			after = true
			return false
		}
		if after && holdsOneOf(n, content) {
			stop = true
			return false
		}
		if noText[n.DataAtom] || isHidden(n) || isTag(n, atom.Nav, atom.Aside, atom.Figure, atom.Figcaption) {
			return false
		}
		if after && (isTag(n, atom.H2) || dekShaped(n)) && dekNames.match(hint(n)) {
			if t := textOf(n); len(t) >= minDekBytes && len(t) <= maxDekBytes && !strings.HasSuffix(t, "...") && !strings.HasSuffix(t, "…") {
				dek = t
			}
			return false
		}
		return true
	})
	if dek == "" {
		return leadBefore(content)
	}
	return dek
}

// leadBefore returns the dek that stands just before the body, beside it
// in the same article, when the headline did not lead to one: themes whose
// title sits elsewhere (or nowhere) still print the lead as the block
// right above the text ("art-lead", "content__intro", "vorspann").
func leadBefore(content []*html.Node) string {
	if len(content) == 0 {
		return ""
	}
	n := content[0]
	for level := 0; level < 2 && n != nil && n.Type == html.ElementNode && !isTag(n, atom.Body, atom.Html); level++ {
		seen := 0
		for c := n.PrevSibling; c != nil && seen < 2; c = c.PrevSibling {
			if c.Type != html.ElementNode || noText[c.DataAtom] || isHidden(c) {
				continue
			}
			seen++
			if d := dekIn(c); d != "" {
				return d
			}
		}
		n = n.Parent
	}
	return ""
}

// dekIn returns the text of n when it is a paragraph named like a dek, or
// of its first such paragraph, "" when it holds none. Away from the
// headline only a whole sentence is taken: a line without its full stop
// is a subtitle, not the story's first paragraph.
func dekIn(n *html.Node) string {
	var dek string
	walk(n, func(c *html.Node) bool {
		if dek != "" || c.Type != html.ElementNode || noText[c.DataAtom] || isHidden(c) || isTag(c, atom.Nav, atom.Aside, atom.Figure, atom.Figcaption) {
			return false
		}
		if h := hint(c); h != "" && boilerOrHeader(h) {
			// "promo-subtitle": a box's line, not the story's lead.
			return false
		}
		if dekShaped(c) && dekNames.match(hint(c)) {
			if t := textOf(c); len(t) >= minDekBytes && len(t) <= maxDekBytes && sentenceEnd.MatchString(t) && !strings.HasSuffix(t, "...") {
				dek = t
			}
			return false
		}
		return true
	})
	return dek
}

// maxDekParagraphs is how many paragraphs a dek's wrapper may hold.
const maxDekParagraphs = 2

// dekShaped reports whether n can be a dek: a paragraph, or a block
// holding one or two paragraphs and nothing else, as themes wrap the
// lead's <p> or <h2> in a named box ("teaser-text", "post__lead").
func dekShaped(n *html.Node) bool {
	if isTag(n, atom.P, atom.Div) && isParagraph(n) {
		return true
	}
	if !isTag(n, atom.Div, atom.Section) {
		return false
	}
	paras := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return false
		case c.Type != html.ElementNode || noText[c.DataAtom]:
		case isTag(c, atom.P, atom.H2) || isTag(c, atom.Div) && isParagraph(c):
			paras++
		default:
			return false
		}
	}
	return paras > 0 && paras <= maxDekParagraphs
}

// holdsOneOf reports whether n is one of nodes or holds one.
func holdsOneOf(n *html.Node, nodes []*html.Node) bool {
	for _, c := range nodes {
		if c == n || hasAncestor(c, func(a *html.Node) bool { return a == n }) {
			return true
		}
	}
	return false
}

// firstElement returns the first element under root, in document order,
// for which ok holds.
func firstElement(root *html.Node, ok func(*html.Node) bool) *html.Node {
	var found *html.Node
	walk(root, func(n *html.Node) bool {
		if found != nil {
			return false
		}
		if n.Type == html.ElementNode && ok(n) {
			found = n
			return false
		}
		return true
	})
	return found
}

// withDek puts the dek before the text unless the text already holds it.
func withDek(text, dek string) string {
	if dek == "" || strings.Contains(clean(text), clean(dek)) {
		return text
	}
	if text == "" {
		return dek
	}
	return dek + "\n\n" + text
}

// dekServed reports whether the dek may join the text: when the whole
// story was served (no wall, or a soft or metered prompt beside the full
// text). Above a truncated teaser it would pass for served story text.
func dekServed(pw news.Paywall) bool {
	return !pw.Truncated && pw.Kind != news.PaywallHard
}
