package parser

import (
	"golang.org/x/net/html"
)

// withChunks adds to the content the other chunks of a story that its CMS
// split into several containers of the same kind (same tag and class, as in
// "article__body" repeated between ad slots): each chunk that scored as
// prose and is neither inside nor around the content already is added, and
// the result is kept in document order. Related-story teasers rarely share
// the body's exact class list, and those that do score low on prose.
func (s *scorer) withChunks(content []*html.Node) []*html.Node {
	if len(content) == 0 {
		return content
	}
	top := content[0]
	for _, c := range content {
		if s.final(c) > s.final(top) {
			top = c
		}
	}
	cls := attr(top, "class")
	if cls == "" {
		return content
	}
	threshold := max(10, s.final(top)*0.2)
	in := map[*html.Node]bool{}
	for _, c := range content {
		in[c] = true
	}
	var out []*html.Node
	added := false
	var visit func(n *html.Node, inside bool)
	visit = func(n *html.Node, inside bool) {
		if n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		if in[n] {
			out = append(out, n)
			inside = true
		} else if !inside && n.Type == html.ElementNode && n.DataAtom == top.DataAtom && attr(n, "class") == cls && !holdsAny(n, in) {
			if _, scored := s.scores[n]; scored && s.final(n) >= threshold && !s.unlikely(n) {
				out = append(out, n)
				added = true
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, inside)
		}
	}
	root := top
	for root.Parent != nil {
		root = root.Parent
	}
	visit(root, false)
	if !added {
		return content
	}
	return out
}

// holdsAny reports whether n is a proper ancestor of one of the nodes.
func holdsAny(n *html.Node, nodes map[*html.Node]bool) bool {
	for m := range nodes {
		if hasAncestor(m, func(a *html.Node) bool { return a == n }) {
			return true
		}
	}
	return false
}
