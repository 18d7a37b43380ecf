package parser

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// textStats holds, for every element of a subtree, how much visible text it
// has and how much of that sits in links, counted once in one pass. The
// content finder and the renderer ask these questions of thousands of
// nested elements; answering each by walking the element again would make
// the cost grow with the square of the page's depth.
type textStats struct {
	chars map[*html.Node]int32 // non-space bytes of visible text
	links map[*html.Node]int32 // the part of chars inside <a>
}

func newTextStats(root *html.Node) *textStats {
	s := &textStats{chars: make(map[*html.Node]int32, 1024), links: make(map[*html.Node]int32, 1024)}
	s.count(root, false)
	return s
}

func (s *textStats) count(n *html.Node, linked bool) (total, inLinks int32) {
	switch n.Type {
	case html.TextNode:
		k := int32(0)
		for i := 0; i < len(n.Data); i++ {
			switch n.Data[i] {
			case ' ', '\t', '\n', '\r', '\f':
			default:
				k++
			}
		}
		if linked {
			return k, k
		}
		return k, 0
	case html.ElementNode:
		if noText[n.DataAtom] {
			return 0, 0
		}
		linked = linked || n.DataAtom == atom.A
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l := s.count(c, linked)
		total += t
		inLinks += l
	}
	if n.Type == html.ElementNode {
		s.chars[n] = total
		s.links[n] = inLinks
	}
	return total, inLinks
}

// lens returns n's text and link-text sizes, counting n afresh when it lies
// outside the subtree the stats were built for.
func (s *textStats) lens(n *html.Node) (total, inLinks int) {
	if t, ok := s.chars[n]; ok {
		return int(t), int(s.links[n])
	}
	return textLens(n)
}

// linkDensity is the share of n's text that is link text, in [0, 1].
func (s *textStats) linkDensity(n *html.Node) float64 {
	t, l := s.lens(n)
	if t == 0 {
		return 0
	}
	return float64(l) / float64(t)
}
