package parser

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// minParagraphChars is the shortest text that counts as a paragraph when
// scoring containers: shorter ones are labels, buttons and captions.
const minParagraphChars = 25

// findContent returns the nodes holding the story, in document order. It
// trusts structure first (itemprop=articleBody) and otherwise scores block
// containers readability-style: each paragraph adds to its parent and, less,
// to its grandparents by its length and commas; class names and link density
// then weigh the totals. The best container is returned with those of its
// siblings that score close to it, so a body split around an ad or a wall
// keeps both halves. ignore marks blocks (such as paywall prompts) that must
// not count as prose; st holds the text statistics of body's tree.
func findContent(body *html.Node, ignore map[*html.Node]bool, st *textStats) []*html.Node {
	marked := articleBodies(body)
	s := newScorer(body, ignore, st)
	s.scoreParagraphs(body)
	top := s.best()
	if top == nil {
		// No prose outside forms: a shop or CMS that wraps the story in
		// its <form> (a product form around the description) still has one.
		s = newScorer(body, ignore, st)
		s.formsLikely = true
		s.scoreParagraphs(body)
		top = s.best()
	}
	if len(marked) > 0 && !s.dwarfs(top, marked) {
		return marked
	}
	if top == nil {
		return []*html.Node{body}
	}
	return s.withChunks(s.withSiblings(top))
}

// dwarfs reports whether the scored container top holds, outside the
// marked articleBody elements, several times their prose: then the marks
// are teaser cards ("m-post-card__excerpt" marked articleBody under a post
// that is not), and the container is the story.
func (s *scorer) dwarfs(top *html.Node, marked []*html.Node) bool {
	if top == nil {
		return false
	}
	markedText := 0
	for _, m := range marked {
		if m == top || hasAncestor(top, func(a *html.Node) bool { return a == m }) {
			return false
		}
		markedText += plainText(s.stats, m)
	}
	return plainText(s.stats, top) > 4*markedText
}

// articleBodies returns the outermost itemprop=articleBody elements when they
// hold some prose.
func articleBodies(root *html.Node) []*html.Node {
	var out []*html.Node
	words := 0
	walk(root, func(n *html.Node) bool {
		if n.Type == html.ElementNode && isHidden(n) {
			return false
		}
		if n.Type == html.ElementNode && strings.EqualFold(attr(n, "itemprop"), "articleBody") {
			out = append(out, n)
			words += wordCount(textOf(n))
			return false
		}
		return true
	})
	if words < 20 {
		return nil
	}
	return out
}

func newScorer(body *html.Node, ignore map[*html.Node]bool, st *textStats) *scorer {
	return &scorer{scores: map[*html.Node]float64{}, seq: map[*html.Node]int{}, finals: map[*html.Node]float64{}, ignore: ignore,
		stats: st, pageText: plainText(st, body)}
}

type scorer struct {
	scores map[*html.Node]float64
	// seq numbers containers in the order they were first scored, which
	// breaks ties the same way on every run.
	seq    map[*html.Node]int
	finals map[*html.Node]float64
	ignore map[*html.Node]bool
	stats  *textStats
	// pageText is the page's text outside links, the yardstick of "big".
	pageText int
	// formsLikely lets forms hold the story: the second pass on a page
	// whose prose is all inside forms.
	formsLikely bool
}

// plainText is the size of n's text outside links.
func plainText(st *textStats, n *html.Node) int {
	t, l := st.lens(n)
	return t - l
}

// holdsMost reports whether n holds at least half of the text outside links
// of whole: such a block is a layout wrapper around the story whatever its
// class names say ("page-ad-margins", "has-sidebar", "tag-privacy"), since
// boilerplate is always the smaller part of what surrounds it.
func holdsMost(st *textStats, n *html.Node, whole int) bool {
	return whole > 0 && 2*plainText(st, n) >= whole
}

// unlikely reports whether n is a block that cannot hold the story: page
// chrome, asides, forms, and blocks named like boilerplate. No block that
// holds most of the page's text is unlikely, whatever its tag or names: some
// CMSs wrap the whole page in a <form>, and layout classes such as
// "content-with-sidebar" or "page-ad-margins" name what sits beside the
// story, not the story.
func (s *scorer) unlikely(n *html.Node) bool {
	if noText[n.DataAtom] || s.ignore[n] || isHidden(n) || isWidgetElement(n) {
		return true
	}
	if s.formsLikely && n.DataAtom == atom.Form && !s.boilerNamed(n) {
		return false
	}
	if !pageChrome(n) && !isTag(n, atom.Aside, atom.Form, atom.Figcaption, atom.Button) && !s.boilerNamed(n) {
		return false
	}
	return !holdsMost(s.stats, n, s.pageText)
}

func (s *scorer) boilerNamed(n *html.Node) bool {
	h := hint(n)
	return h != "" && boilerOrHeader(h) && !contentHint.in(h) && !postContainer(h)
}

func (s *scorer) scoreParagraphs(root *html.Node) {
	walk(root, func(n *html.Node) bool {
		if n.Type == html.DocumentNode {
			return true
		}
		if n.Type != html.ElementNode {
			return false
		}
		if n != root && !isTag(n, atom.Html, atom.Body) && s.unlikely(n) {
			return false
		}
		if !isParagraph(n) {
			if isTag(n, atom.Div, atom.Section, atom.Article, atom.Main, atom.Td, atom.Blockquote) {
				s.addRuns(n)
			}
			return true
		}
		size, commas := textSize(n)
		if size < minParagraphChars {
			return false
		}
		s.addParagraph(n, size, commas, false)
		return false
	})
}

// textSize is len(textOf(n)) and the commas in that text, measured without
// building it: the scorer asks it of every paragraph of the page, and the
// text it built was 1.4% of a parse's CPU and as many allocations.
// TestTextSizeMatchesTextOf holds it against textOf.
func textSize(n *html.Node) (size, commas int) {
	var m textMeter
	m.node(n)
	return m.size, m.commas
}

// textMeter is textWriter counting what it would write.
type textMeter struct {
	size, commas int
	pending      bool // white space seen and not yet counted
}

func (m *textMeter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		m.text(n.Data)
		return
	case html.ElementNode:
		if noText[n.DataAtom] {
			return
		}
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		m.pending = m.size > 0
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		m.node(c)
	}
	if block {
		m.pending = m.size > 0
	}
}

// text counts s as writeCollapsed writes it.
func (m *textMeter) text(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				m.pending = m.size > 0
			} else {
				m.word(1)
				if c == ',' {
					m.commas++
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isInvisible(r), isJoiner(r):
		case unicode.IsSpace(r):
			m.pending = m.size > 0
		default:
			m.word(size)
		}
		i += size
	}
}

// word counts size bytes of a word, after the space pending before it.
func (m *textMeter) word(size int) {
	if m.pending {
		m.size++
		m.pending = false
	}
	m.size += size
}

// ownRuns measures the text a block holds outside its child blocks, one
// run per stretch between them: the prose of a container that writes
// paragraphs as bare text between <br>s or empty <p></p>s. Each run is a
// paragraph, so such a body scores like one written with <p>s rather than
// like a single paragraph. Sizes are in bytes, spaces collapsed.
func ownRuns(n *html.Node, each func(size, commas int)) {
	size, commas := 0, 0
	space := true
	end := func() {
		if size > 0 {
			each(size, commas)
		}
		size, commas, space = 0, 0, true
	}
	var visit func(c *html.Node)
	visit = func(c *html.Node) {
		switch c.Type {
		case html.TextNode:
			for i := 0; i < len(c.Data); i++ {
				switch b := c.Data[i]; b {
				case ' ', '\t', '\n', '\r', '\f':
					if !space {
						size++
						space = true
					}
				default:
					size++
					space = false
					if b == ',' {
						commas++
					}
				}
			}
		case html.ElementNode:
			if noText[c.DataAtom] {
				return
			}
			if blockTags[c.DataAtom] {
				end()
				return
			}
			for g := c.FirstChild; g != nil; g = g.NextSibling {
				visit(g)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		visit(c)
	}
	end()
}

// addRuns credits each run of n's own text long enough to be a paragraph.
func (s *scorer) addRuns(n *html.Node) {
	ownRuns(n, func(size, commas int) {
		if size >= minParagraphChars {
			s.addParagraph(n, size, commas, true)
		}
	})
}

// addParagraph credits a paragraph of size bytes to the containers above
// it: fully to its parent, half to its grandparent, less further up. Bare
// text of a container (self) is a paragraph inside it, credited from the
// container itself.
func (s *scorer) addParagraph(n *html.Node, size, commas int, self bool) {
	score := 1 + float64(commas) + math.Min(float64(size)/100, 3)
	level := 0
	first := n.Parent
	if self {
		first = n
	}
	for p := first; p != nil && p.Type == html.ElementNode && level < 5; p = p.Parent {
		if _, ok := s.scores[p]; !ok {
			s.scores[p] = baseScore(p)
			s.seq[p] = len(s.seq)
		}
		switch level {
		case 0:
			s.scores[p] += score
		case 1:
			s.scores[p] += score / 2
		default:
			s.scores[p] += score / float64(level*3)
		}
		level++
	}
}

// isParagraph reports whether n is a leaf of prose: a p, pre or blockquote,
// or a div that holds only inline content (many CMSs write paragraphs so).
func isParagraph(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Pre:
		return true
	case atom.Div, atom.Blockquote, atom.Td:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && blockTags[c.DataAtom] && c.DataAtom != atom.Br {
				return false
			}
		}
		return true
	}
	return false
}

var positiveProp = regexp.MustCompile(`(?i)articlebody|text`)

// baseScore is a container's prior: its tag, and what its names say.
func baseScore(n *html.Node) float64 {
	var score float64
	switch n.DataAtom {
	case atom.Div, atom.Article, atom.Main, atom.Section:
		score = 5
	case atom.Pre, atom.Td, atom.Blockquote:
		score = 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		score = -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		score = -5
	}
	if h := hint(n); h != "" {
		if boilerOrHeader(h) {
			score -= 25
		}
		if contentHint.in(h) {
			score += 25
		}
	}
	if positiveProp.MatchString(attr(n, "itemprop")) {
		score += 25
	}
	return score
}

func (s *scorer) final(n *html.Node) float64 {
	if f, ok := s.finals[n]; ok {
		return f
	}
	f := s.scores[n] * (1 - s.stats.linkDensity(n))
	s.finals[n] = f
	return f
}

// best returns the top container. When several near-best containers share
// an ancestor (a body whose paragraphs each sit in their own wrappers), the
// ancestor is the story, so the choice climbs to it; it also climbs out of
// wrappers that hold nothing else.
func (s *scorer) best() *html.Node {
	ranked := make([]*html.Node, 0, len(s.scores))
	for n := range s.scores {
		ranked = append(ranked, n)
	}
	if len(ranked) == 0 {
		return nil
	}
	sort.Slice(ranked, func(i, j int) bool {
		fi, fj := s.final(ranked[i]), s.final(ranked[j])
		if fi != fj {
			return fi > fj
		}
		return s.seq[ranked[i]] < s.seq[ranked[j]]
	})
	top := ranked[0]
	var near []*html.Node
	for _, n := range ranked[1:min(len(ranked), 5)] {
		if s.final(n) >= 0.75*s.final(top) && !related(n, top) {
			near = append(near, n)
		}
	}
	if len(near) == 1 {
		// One rival of the same weight: when the block holding both scores
		// near them too, the two are parts of one story (an intro and the
		// text, a body split by a table or a box).
		if p := commonAncestor(top, near[0]); p != nil && !isTag(p, atom.Body, atom.Html) && s.final(p) >= 0.75*s.final(top) {
			top = p
		}
	}
	if len(near) >= 2 {
		for p := top.Parent; p != nil && !isTag(p, atom.Body, atom.Html); p = p.Parent {
			shared := 0
			for _, n := range near {
				if hasAncestor(n, func(a *html.Node) bool { return a == p }) {
					shared++
				}
			}
			if shared >= 2 {
				top = p
				break
			}
		}
	}
	for onlyChild(top) {
		top = top.Parent
	}
	return top
}

// commonAncestor returns the closest element holding both a and b.
func commonAncestor(a, b *html.Node) *html.Node {
	for p := a.Parent; p != nil; p = p.Parent {
		if hasAncestor(b, func(x *html.Node) bool { return x == p }) {
			return p
		}
	}
	return nil
}

// related reports whether a and b are the same node or one holds the other:
// a wrapper around the best container scores near it without being another
// part of the story, so it does not count as one.
func related(a, b *html.Node) bool {
	return a == b || hasAncestor(a, func(x *html.Node) bool { return x == b }) || hasAncestor(b, func(x *html.Node) bool { return x == a })
}

// onlyChild reports whether n is the single element inside its parent, and
// the parent is a plain container that can stand for it.
func onlyChild(n *html.Node) bool {
	p := n.Parent
	if p == nil || p.Type != html.ElementNode || isTag(p, atom.Body, atom.Html) {
		return false
	}
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if c != n && (c.Type == html.ElementNode || (c.Type == html.TextNode && strings.TrimSpace(c.Data) != "")) {
			return false
		}
	}
	return true
}

// withSiblings returns top together with the siblings that belong to the
// same story: those scoring at least a fifth of it (more easily when they
// share its class), and plain prose paragraphs with few links.
func (s *scorer) withSiblings(top *html.Node) []*html.Node {
	parent := top.Parent
	if parent == nil || parent.Type != html.ElementNode {
		return []*html.Node{top}
	}
	topScore := s.final(top)
	// The floor of 10 keeps stray blocks out beside a strong body; a body
	// split into many small wrappers (one per paragraph, as CMS "field"
	// items are) has a weak top, and its siblings need only half of it.
	threshold := math.Max(math.Min(10, topScore*0.5), topScore*0.2)
	var out []*html.Node
	for c := parent.FirstChild; c != nil; c = c.NextSibling {
		if c == top {
			out = append(out, c)
			continue
		}
		if c.Type != html.ElementNode || s.unlikely(c) {
			continue
		}
		bonus := 0.0
		if cls := attr(top, "class"); cls != "" && attr(c, "class") == cls {
			bonus = topScore * 0.2
		}
		if _, scored := s.scores[c]; scored && s.final(c)+bonus >= threshold {
			out = append(out, c)
			continue
		}
		if c.DataAtom == atom.P {
			text := textOf(c)
			ld := s.stats.linkDensity(c)
			if (len(text) > 80 && ld < 0.25) || (len(text) > 0 && len(text) <= 80 && ld == 0 && sentenceEnd.MatchString(text)) {
				out = append(out, c)
			}
		}
	}
	return out
}

var sentenceEnd = regexp.MustCompile(`[.!?]["”’»)]?$`)
