package parser

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

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

// clean collapses every run of white space to one space, trims the ends
// and drops the invisible runes (zero-width spaces and joiners, the BOM,
// soft hyphens), which render as nothing but would split or glue words. It
// is strings.Join(strings.Fields(s), " ") after removing those runes, done
// in one pass that returns s itself when it is already clean: it runs on
// every block of every page.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	writeCollapsed(&b, s, false)
	return b.String()
}

// isClean reports whether clean(s) == s: no white space but single inner
// spaces, no invisible runes.
func isClean(s string) bool {
	space := true // at the start, as a space before the first word
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if space {
				return false
			}
			space = true
		case c < utf8.RuneSelf:
			if asciiSpace[c] {
				return false
			}
			space = false
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) || isInvisible(r) || isJoiner(r) {
				return false
			}
			i += size - 1
			space = false
		}
	}
	return !space || s == ""
}

// writeCollapsed writes s to b as clean does, continuing a text that has
// pending set when it ends in white space not yet written. It returns
// whether s ends in white space to be written before any further word.
// The bytes of invalid UTF-8 are copied as they are, as strings.Fields
// does.
func writeCollapsed(b *strings.Builder, s string, pending bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				pending = b.Len() > 0
			} else {
				if pending {
					b.WriteByte(' ')
					pending = false
				}
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isInvisible(r):
		case isJoiner(r):
			if !pending && b.Len() > 0 && startsWord(s[i+size:]) {
				b.WriteString(s[i : i+size])
			}
		case unicode.IsSpace(r):
			pending = b.Len() > 0
		default:
			if pending {
				b.WriteByte(' ')
				pending = false
			}
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return pending
}

// asciiSpace are the ASCII bytes strings.Fields splits on.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// isInvisible reports whether r renders as nothing but would split or glue
// words: the zero-width space, the word joiner, the BOM and the soft
// hyphen.
func isInvisible(r rune) bool {
	switch r {
	case '\u200b', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return false
}

// isJoiner reports whether r is the zero-width non-joiner or joiner. Inside
// a word they are spelling, kept: Persian writes "می‌شد" with one, Hindi
// conjuncts and emoji sequences need them. Alone (a loading skeleton's
// placeholder) or beside a space they are dropped, as invisible runes are.
func isJoiner(r rune) bool { return r == '\u200c' || r == '\u200d' }

// startsWord reports whether s starts, after any invisible runes, with a
// rune of a word: not white space or a joiner.
func startsWord(s string) bool {
	for s != "" {
		r, size := utf8.DecodeRuneInString(s)
		if !isInvisible(r) {
			return !unicode.IsSpace(r) && !isJoiner(r)
		}
		s = s[size:]
	}
	return false
}

// wordCount is len(strings.Fields(s)), counted without building the slice.
func wordCount(s string) int {
	n := 0
	inWord := false
	for i := 0; i < len(s); {
		c := s[i]
		var space bool
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if !space && !inWord {
			n++
		}
		inWord = !space
	}
	return n
}

// moreWordsThan reports whether n's visible text has more than limit words,
// counted as storyWordCount counts them: a Japanese paragraph is not one
// word, so a teaser in Japanese is not taken for a short prompt box.
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
			count += storyWordCount(c.Data)
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
	// Ruby annotations: the reading of a word, printed above it, would
	// be read inline as a second copy of the word ("漢字かんじ").
	atom.Rt: true, atom.Rp: true,
}

// textOf returns the visible text of n with white space collapsed, putting a
// space between blocks so that words of adjacent paragraphs never glue. It
// is clean applied to the raw text, collapsed while the text is gathered.
func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return clean(n.Data)
	}
	var t textWriter
	t.node(n)
	return t.b.String()
}

// textWriter gathers the visible text of a subtree as clean would leave it.
type textWriter struct {
	b       strings.Builder
	pending bool // white space seen and not yet written
}

func (t *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		t.pending = writeCollapsed(&t.b, n.Data, t.pending)
		return
	case html.ElementNode:
		if noText[n.DataAtom] {
			return
		}
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		t.pending = t.b.Len() > 0
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t.node(c)
	}
	if block {
		t.pending = t.b.Len() > 0
	}
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
	// Most elements have one such attribute, or none: its value is the
	// hint, lower-cased without a copy when it is lower case already.
	h, parts := "", 0
	for _, a := range n.Attr {
		if hintKey(a.Key) {
			if parts > 0 {
				h += " "
			}
			h += a.Val
			parts++
		}
	}
	return strings.ToLower(h)
}

// hintKey reports whether an attribute is one of those hint reads.
func hintKey(key string) bool {
	switch key {
	case "class", "id", "role", "data-component", "data-testid", "data-type":
		return true
	}
	return false
}

// contentHint matches names publishers give the story container.
var contentHint = newLiterals([]string{"article", "body", "content", "entry", "main", "post", "prose", "story", "text", "blog", "rich"})

// promptHint matches names given to paywall and subscription blocks: the
// publishers' words, and the markup of any paywall tool (vendorNamed). Such
// a block is dropped from the text only when it is short: publishers also
// name the container of the gated story itself "paywall" or
// "subscriber-content".
var promptHint = promptNames{words: newStemRules(rule([]string{"paywall", "subscri", "regwall", "meter", "offer", "cta", "abo"},
	`paywall|subscri|regwall|meter|offer|(?:^|[^a-z])cta|abo-|(?:^|[^a-z])abo(?:$|[^a-z])`))}

// promptNames matches the names of prompt blocks, for promptHint.
type promptNames struct{ words stemRules }

func (p promptNames) match(h string) bool { return p.words.match(h) || vendorNamed(h) }

// pageChrome reports whether n is page furniture outside any story: the site
// header, navigation and footer, and side rails.
func pageChrome(n *html.Node) bool { return pageChromeNamed(n, hint(n)) }

// pageChromeNamed is pageChrome(n) for n whose hint is h.
func pageChromeNamed(n *html.Node, h string) bool {
	if isTag(n, atom.Nav, atom.Footer) {
		return true
	}
	if isTag(n, atom.Header) && !hasAncestor(n, func(p *html.Node) bool { return isTag(p, atom.Article, atom.Main) }) {
		return true
	}
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
			if hiddenStems.in(a.Val) && hiddenStyle.MatchString(a.Val) {
				return true
			}
		case "class":
			if printOnly(a.Val) {
				return true
			}
		}
	}
	return false
}

// printOnly reports whether a class list hides its element on every screen
// by Bootstrap's display classes: "d-none", shown again at most for print
// ("d-print-block"), as publishers mark a citation or notice for print.
// "d-none d-md-block" shows on larger screens and is not hidden.
func printOnly(class string) bool {
	if !strings.Contains(class, "d-none") {
		return false
	}
	hidden := false
	for _, c := range strings.Fields(class) {
		switch {
		case c == "d-none":
			hidden = true
		case strings.HasPrefix(c, "d-") && !strings.HasPrefix(c, "d-print-") && !strings.HasSuffix(c, "-none"):
			return false
		}
	}
	return hidden
}

// hiddenStems are in every style hiddenStyle matches, in any case: a cheap
// test before it. They hold no "s" or "k", the only ASCII letters that
// other runes fold to (ſ, K), so folding ASCII alone is enough.
var hiddenStems = newFoldLiterals([]string{"play", "ibility"})

var hiddenStyle = regexp.MustCompile(`(?i)(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b`)
