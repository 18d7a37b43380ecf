package parser

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// invisible are runes that render as nothing but would split or glue words.
var invisible = strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\ufeff", "", "\u00ad", "")

// clean collapses every run of white space to one space and trims the ends.
func clean(s string) string {
	if strings.ContainsAny(s, "\u200b\u200c\u200d\ufeff\u00ad") {
		s = invisible.Replace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

func wordCount(s string) int { return len(strings.Fields(s)) }

// moreWordsThan reports whether n's visible text has more than limit words.
// It stops reading as soon as it knows, so asking it of every element of a
// page stays cheap where textOf would copy the page's text again and again.
// Words split by inline tags ("Hel<b>lo</b>") count twice: fine for the
// thresholds it serves.
func moreWordsThan(n *html.Node, limit int) bool {
	count := 0
	walk(n, func(c *html.Node) bool {
		switch {
		case count > limit:
		case c.Type == html.TextNode:
			count += len(strings.Fields(c.Data))
		case c.Type == html.ElementNode && noText[c.DataAtom]:
			return false
		}
		return count <= limit
	})
	return count > limit
}

// blockTags start a new paragraph when rendered and separate words when the
// text of a subtree is measured.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true,
	atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Tbody: true, atom.Td: true, atom.Th: true, atom.Thead: true, atom.Tfoot: true,
	atom.Tr: true, atom.Ul: true, atom.Br: true, atom.Caption: true, atom.Menu: true,
}

// noText are elements whose content is never reader-visible prose.
var noText = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true,
	atom.Embed: true, atom.Canvas: true, atom.Select: true, atom.Textarea: true,
	atom.Head: true, atom.Title: true,
}

// textOf returns the visible text of n with white space collapsed, putting a
// space between blocks so that words of adjacent paragraphs never glue.
func textOf(n *html.Node) string {
	var b strings.Builder
	appendText(&b, n)
	return clean(b.String())
}

func appendText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if noText[n.DataAtom] {
			return
		}
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		b.WriteByte(' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendText(b, c)
	}
	if block {
		b.WriteByte(' ')
	}
}

// linkTextLen is the number of characters of n's text that sits inside links.
func linkTextLen(n *html.Node) int {
	_, inLinks := textLens(n)
	return inLinks
}

// linkDensity is the share of n's text that is link text, in [0, 1].
func linkDensity(n *html.Node) float64 {
	total, inLinks := textLens(n)
	if total == 0 {
		return 0
	}
	return float64(inLinks) / float64(total)
}

// textLens counts the non-space bytes of n's visible text, and of the part
// inside links, in one pass and without copying text.
func textLens(n *html.Node) (total, inLinks int) {
	var count func(c *html.Node, linked bool)
	count = func(c *html.Node, linked bool) {
		switch c.Type {
		case html.TextNode:
			k := 0
			for i := 0; i < len(c.Data); i++ {
				switch c.Data[i] {
				case ' ', '\t', '\n', '\r', '\f':
				default:
					k++
				}
			}
			total += k
			if linked {
				inLinks += k
			}
			return
		case html.ElementNode:
			if noText[c.DataAtom] {
				return
			}
			linked = linked || c.DataAtom == atom.A
		}
		for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
			count(ch, linked)
		}
	}
	count(n, false)
	return total, inLinks
}

// walk visits n and its descendants in document order; returning false from
// visit skips the node's children.
func walk(n *html.Node, visit func(*html.Node) bool) {
	if !visit(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, visit)
	}
}

// isTag reports whether n is an element of one of the given kinds.
func isTag(n *html.Node, tags ...atom.Atom) bool {
	if n == nil || n.Type != html.ElementNode {
		return false
	}
	for _, t := range tags {
		if n.DataAtom == t {
			return true
		}
	}
	return false
}

// hasAncestor reports whether some proper ancestor of n satisfies match.
func hasAncestor(n *html.Node, match func(*html.Node) bool) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && match(p) {
			return true
		}
	}
	return false
}

// hint is the lower-cased class, id and a few role-like attributes of n: the
// names publishers give their blocks, which say what a block is for.
func hint(n *html.Node) string {
	if n == nil || n.Type != html.ElementNode {
		return ""
	}
	var parts []string
	for _, a := range n.Attr {
		switch a.Key {
		case "class", "id", "role", "data-component", "data-testid", "data-type":
			parts = append(parts, a.Val)
		}
	}
	return strings.ToLower(strings.Join(parts, " "))
}

// contentHint matches names publishers give the story container.
var contentHint = regexp.MustCompile(`article|body|content|entry|main|post|prose|story|text|blog|rich`)

// promptHint matches names given to paywall and subscription blocks. Such a
// block is dropped from the text only when it is short: publishers also name
// the container of the gated story itself "paywall" or "subscriber-content".
var promptHint = regexp.MustCompile(`paywall|piano|tinypass|(?:^|[^a-z])tp-|subscri|regwall|meter|offer|(?:^|[^a-z])cta|abo-|(?:^|[^a-z])abo(?:$|[^a-z])|zephr|poool|pelcro|laterpay`)

// pageChrome reports whether n is page furniture outside any story: the site
// header, navigation and footer, and side rails.
func pageChrome(n *html.Node) bool {
	if isTag(n, atom.Nav, atom.Footer) {
		return true
	}
	if isTag(n, atom.Header) && !hasAncestor(n, func(p *html.Node) bool { return isTag(p, atom.Article, atom.Main) }) {
		return true
	}
	h := hint(n)
	return sideNames.match(h)
}

// isHidden reports whether n is hidden from readers by markup: the hidden
// attribute, aria-hidden, or an inline style of display:none or
// visibility:hidden. Publishers keep hidden copies of the story for
// microdata or for other layouts; counting them would print it twice.
func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(a.Val, "true") {
				return true
			}
		case "style":
			if hiddenStyle.MatchString(a.Val) {
				return true
			}
		}
	}
	return false
}

var hiddenStyle = regexp.MustCompile(`(?i)(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b`)
