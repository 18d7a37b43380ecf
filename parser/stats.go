package parser

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// textStats holds, for every element of a subtree, how much visible text it
// has, how much of that sits in links and how many words it holds, counted
// once in one pass. The content finder, the prompt finder and the renderer
// ask these questions of thousands of nested elements; answering each by
// walking the element again would make the cost grow with the square of the
// page's depth.
type textStats struct {
	m map[*html.Node]nodeStats
}

// nodeStats are one element's counts.
type nodeStats struct {
	chars int32 // non-space bytes of visible text
	// links is the part of chars inside <a> elements at or below the
	// element, as textLens counts it.
	links int32
	// words is the number of words of its text nodes, each counted on its
	// own (as moreWordsThan counts them).
	words int32
	// inLink is set when the element sits inside an <a>: all its text is
	// then link text for lens.
	inLink bool
}

func newTextStats(root *html.Node) *textStats {
	// Sized for every element at once: growing the map as it fills would
	// rehash it several times on a large page.
	s := &textStats{m: make(map[*html.Node]nodeStats, countElements(root))}
	s.count(root, false)
	return s
}

// countElements is the number of elements at or below n.
func countElements(n *html.Node) int {
	c := 0
	if n.Type == html.ElementNode {
		c++
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c += countElements(k)
	}
	return c
}

// count measures n and its descendants; inLink says that an ancestor
// below the stats' root is a link.
func (s *textStats) count(n *html.Node, inLink bool) nodeStats {
	st := nodeStats{inLink: inLink}
	switch n.Type {
	case html.TextNode:
		st.chars, st.words = measureText(n.Data)
		return st
	case html.ElementNode:
		if noText[n.DataAtom] {
			return st
		}
	}
	isLink := n.Type == html.ElementNode && n.DataAtom == atom.A
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs := s.count(c, inLink || isLink)
		st.chars += cs.chars
		st.links += cs.links
		st.words += cs.words
	}
	if isLink {
		st.links = st.chars
	}
	if n.Type == html.ElementNode {
		s.m[n] = st
	}
	return st
}

// measureText returns the non-space bytes of a text node (space being
// ' ', \t, \n, \r and \f, as textLens counts) and its words (as
// storyWordCount counts them: split as strings.Fields splits, a run of
// Chinese or Japanese script a word per two characters), in one pass.
func measureText(t string) (chars, words int32) {
	inWord := false
	var cjk int32
	for i := 0; i < len(t); {
		c := t[i]
		var space bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			if !space || c == '\v' {
				chars++
			}
			i++
		} else {
			r, size := utf8.DecodeRuneInString(t[i:])
			space = unicode.IsSpace(r)
			chars += int32(size)
			i += size
			if r >= firstCJK && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
				cjk++
			}
		}
		if space && inWord {
			words += max(1, cjk/2)
			cjk = 0
		}
		inWord = !space
	}
	if inWord {
		words += max(1, cjk/2)
	}
	return chars, words
}

// lens returns n's text and link-text sizes, counting n afresh when it lies
// outside the subtree the stats were built for. Text under a link above n
// (but inside that subtree) is link text.
func (s *textStats) lens(n *html.Node) (total, inLinks int) {
	if st, ok := s.m[n]; ok {
		if st.inLink {
			return int(st.chars), int(st.chars)
		}
		return int(st.chars), int(st.links)
	}
	return textLens(n)
}

// allLinks reports whether n has text and all of it is link text: a row
// of links or buttons, not a block that says something of its own.
func (s *textStats) allLinks(n *html.Node) bool {
	total, inLinks := s.lens(n)
	return total > 0 && inLinks >= total
}

// ownLinkDensity is linkDensity(n): the share of n's text inside links
// at or below n, whatever n sits in.
func (s *textStats) ownLinkDensity(n *html.Node) float64 {
	st, ok := s.m[n]
	if !ok {
		return linkDensity(n)
	}
	if st.chars == 0 {
		return 0
	}
	return float64(st.links) / float64(st.chars)
}

// linkDensity is the share of n's text that is link text, in [0, 1].
func (s *textStats) linkDensity(n *html.Node) float64 {
	t, l := s.lens(n)
	if t == 0 {
		return 0
	}
	return float64(l) / float64(t)
}

// moreWordsThan is moreWordsThan(n, limit), read from the counts.
func (s *textStats) moreWordsThan(n *html.Node, limit int) bool {
	if st, ok := s.m[n]; ok {
		return int(st.words) > limit
	}
	return moreWordsThan(n, limit)
}

// sameText reports whether n, a descendant of above, holds all of above's
// text: what lies outside n in above is then white space alone, which
// textOf drops, so both have the same text.
func (s *textStats) sameText(n, above *html.Node) bool {
	a, ok1 := s.m[above]
	b, ok2 := s.m[n]
	return ok1 && ok2 && a.chars == b.chars
}
