package parser

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Some themes (Blogger's among them) ship the post as markup inside a
// <script type="text/template"> that the page's JavaScript renders: the
// HTML parser keeps a script's content as raw text, so the served page
// holds no story at all. When the page shows almost no text of its own outside links,
// such templates are parsed and put in place of their scripts.

const (
	// maxShownWordsForTemplates is the most text a page may show outside
	// scripts and links for its templates to be read: a page with its own story
	// keeps its templates (widgets, cookie banners) out.
	maxShownWordsForTemplates = 60
	// minTemplateWords is the least text a template must hold to be
	// taken for the story.
	minTemplateWords = 50
)

// inlineTemplates replaces the text/template scripts of root that hold
// prose with their parsed markup, when root shows almost no text.
func inlineTemplates(root *html.Node) {
	body := findBody(root)
	if body == nil {
		return
	}
	var scripts []*html.Node
	shown := 0
	walk(body, func(n *html.Node) bool {
		switch {
		case n.Type == html.ElementNode && n.DataAtom == atom.Script:
			if isTemplateScript(n) {
				scripts = append(scripts, n)
			}
			return false
		case n.Type == html.ElementNode && (noText[n.DataAtom] || n.DataAtom == atom.A):
			// Links are the menus and archive lists around a
			// rendered post, not a story of the page's own.
			return false
		case n.Type == html.TextNode:
			shown += wordCount(n.Data)
		}
		return shown <= maxShownWordsForTemplates
	})
	if shown > maxShownWordsForTemplates {
		return
	}
	for _, s := range scripts {
		inlineTemplate(s)
	}
}

// isTemplateScript reports whether n is a script holding markup for the
// page's JavaScript to render.
func isTemplateScript(n *html.Node) bool {
	switch strings.ToLower(strings.TrimSpace(attr(n, "type"))) {
	case "text/template", "text/x-template", "text/html":
		return n.FirstChild != nil && n.FirstChild.Type == html.TextNode
	}
	return false
}

// inlineTemplate puts the parsed markup of the template script s in its
// place when it holds prose.
func inlineTemplate(s *html.Node) {
	nodes, err := html.ParseFragment(strings.NewReader(s.FirstChild.Data), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return
	}
	words := 0
	for _, n := range nodes {
		words += wordCount(textOf(n))
	}
	if words < minTemplateWords {
		return
	}
	for _, n := range nodes {
		s.Parent.InsertBefore(n, s)
	}
	s.Parent.RemoveChild(s)
}

// findBody returns the <body> of root, nil when it has none.
func findBody(root *html.Node) *html.Node {
	var body *html.Node
	walk(root, func(n *html.Node) bool {
		if body != nil {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			body = n
			return false
		}
		return n.Type == html.DocumentNode || n.Type == html.ElementNode && n.DataAtom == atom.Html
	})
	return body
}
