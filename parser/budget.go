package parser

import (
	"bytes"
	"errors"
	"io"
	"time"

	"golang.org/x/net/html/atom"
)

// A parse has a budget of nodes and of time. Building the tree costs a few
// hundred bytes and microseconds per element or attribute, and x/net/html
// builds more elements than the page writes when it reopens formatting
// elements (<b>, <font>, ...) that a block closed: 44 KB of such markup
// built 1.5 GB of tree. So the nodes are estimated from the tags before
// the tree is built (countNodes), and a page over the budget is read by a
// cheaper extraction (degradedParse) instead of being lost. Real pages are
// far below it: the largest of the 700 pages of the extraction benchmarks
// estimates 17,000 (TestRealPagesWithinBudget).
const (
	// DefaultMaxNodes is Options.MaxNodes when it is zero: ten times the
	// largest real page measured. The costliest page within it (190,000
	// nested divs) takes about 1 s of CPU and 80 MB.
	DefaultMaxNodes = 200_000
	// DefaultTimeout is Options.Timeout when it is zero; real pages take
	// tens of milliseconds.
	DefaultTimeout = 10 * time.Second
)

// Signals of a degraded parse, in the article's paywall signals.
const (
	signalOverNodes = "parser:degraded:nodes"
	signalTimeout   = "parser:degraded:timeout"
)

// errOverBudget aborts the tree's construction when the deadline passes.
var errOverBudget = errors.New("parse budget exceeded")

// budget is one parse's limits.
type budget struct {
	maxNodes int
	deadline time.Time
}

func (p *Parser) budget() budget {
	b := budget{maxNodes: p.opts.MaxNodes, deadline: time.Now().Add(p.opts.Timeout)}
	if b.maxNodes <= 0 {
		b.maxNodes = DefaultMaxNodes
	}
	if p.opts.Timeout <= 0 {
		b.deadline = time.Now().Add(DefaultTimeout)
	}
	return b
}

// expired reports whether the parse has run out of time.
func (b budget) expired() bool { return !time.Now().Before(b.deadline) }

// deadlineReader feeds the tree builder small reads and fails once the
// deadline has passed, so that html.Parse stops within 64 KB of input
// of it.
type deadlineReader struct {
	r io.Reader
	b budget
}

func (d deadlineReader) Read(p []byte) (int, error) {
	if d.b.expired() {
		return 0, errOverBudget
	}
	return d.r.Read(p[:min(len(p), 64<<10)])
}

// formatting are the elements the tree builder reopens (section 13.2.4.3
// of the HTML standard); scopeMarkers bound the reopening.
var (
	formatting = map[atom.Atom]bool{atom.A: true, atom.B: true, atom.Big: true, atom.Code: true, atom.Em: true,
		atom.Font: true, atom.I: true, atom.Nobr: true, atom.S: true, atom.Small: true, atom.Strike: true,
		atom.Strong: true, atom.Tt: true, atom.U: true}
	scopeMarkers = map[atom.Atom]bool{atom.Applet: true, atom.Caption: true, atom.Marquee: true, atom.Object: true,
		atom.Td: true, atom.Th: true, atom.Template: true}
)

// maxFormatting bounds the list of active formatting elements: the count,
// like the tree builder, scans it for every formatting element, so that a
// page of 60,000 distinct <b class=...> left open would cost the count
// itself quadratic time (an early version took 9 s on 950 KB). Real pages
// list a handful (TestRealPagesWithinBudget).
const maxFormatting = 100

// stackDepth is how far down the open elements an end tag is looked for:
// the tree builder never holds more than 512 (see flatten).
const stackDepth = 512

// fmtEntry is an element of the list of active formatting elements; nil
// in the list is a scope marker.
type fmtEntry struct {
	name  string
	key   string // the tag as written: identical tags share one (Noah's ark)
	attrs int    // a clone copies them
	open  bool   // on the stack of open elements
}

type openElement struct {
	name string
	f    *fmtEntry
	// implied says name is counted in nodeCounter.open.
	implied bool
}

// nodeCounter estimates, from the tags alone, how many elements and
// attributes the tree builder makes: those written, plus a copy of each
// formatting element it reopens. It models the stack of open elements and
// the list of active formatting elements roughly, erring on the high side
// (TestNodeEstimate compares it with the tree), which costs nothing on
// real pages and is what a budget needs.
type nodeCounter struct {
	stack []openElement
	afe   []*fmtEntry
	nodes int
	// open counts the <p>, <li>, <dd> and <dt> on the stack, so that the
	// stack is searched for them only when there is one.
	open map[string]int
	// longest is the most formatting elements listed at once.
	longest int
	// slab holds the entries of the list, allocated fmtSlab at a time:
	// one allocation per formatting element (every <a>) was a quarter of
	// the parse's own allocations.
	slab []fmtEntry
}

// fmtSlab is how many list entries nodeCounter.slab allocates at once.
const fmtSlab = 64

// tagKind is what the count needs to know of an element, from one lookup
// (tagKinds) where the sets above took up to seven per tag.
type tagKind uint8

const (
	kindFormatting tagKind = 1 << iota
	kindScopeMarker
	kindRawText
	kindVoid
	kindImpliedEnd
	kindClosesP
	kindBlockStart
)

// tagKinds are the kinds of the elements of the sets formatting,
// scopeMarkers, rawText, voidElements, impliedEnd, closesP and blockStarts.
var tagKinds = func() map[atom.Atom]tagKind {
	kinds := map[atom.Atom]tagKind{}
	for kind, set := range map[tagKind]map[atom.Atom]bool{kindFormatting: formatting, kindScopeMarker: scopeMarkers,
		kindRawText: rawText, kindVoid: voidElements, kindImpliedEnd: impliedEnd, kindClosesP: closesP,
		kindBlockStart: blockStarts} {
		for a := range set {
			kinds[a] |= kind
		}
	}
	return kinds
}()

// countNodes returns the estimate for body, attributes included, stopping
// once it passes limit. A page that lists more than maxFormatting
// formatting elements at once is over any limit.
func countNodes(body []byte, limit int) int {
	c := nodeCounter{open: map[string]int{}}
	return c.count(body, limit)
}

func (c *nodeCounter) count(body []byte, limit int) int {
	for i := 0; i < len(body); {
		if c.nodes > limit || c.longest > maxFormatting {
			return max(c.nodes, limit+1)
		}
		j := bytes.IndexByte(body[i:], '<')
		if j != 0 {
			c.reopen() // text before the tag
		}
		if j < 0 {
			break
		}
		i = c.tag(body, i+j)
	}
	return c.nodes
}

// tag reads the markup at body[i] ('<') and returns where it ends. It
// splits the page into tags and text much as the HTML tokenizer does
// (comments, raw text of scripts and styles, quoted attribute values),
// without copying anything: it runs on every page before the tree is
// built, and counting with html.Tokenizer instead took the whole parse
// 22% more CPU and 47% more allocations (BenchmarkExtraction/newsdesk,
// 842 against 693 cpu-ms/op, medians of 6 interleaved runs of
// `go test -run '^$' -bench 'Extraction/newsdesk$' -benchtime 3x ./parser`).
// TestBudgetCountMatchesTokenizer holds it against that plain count.
func (c *nodeCounter) tag(body []byte, i int) int {
	rest := body[i+1:]
	switch {
	case bytes.HasPrefix(rest, []byte("!--")):
		if end := bytes.Index(rest[3:], []byte("-->")); end >= 0 {
			return i + 1 + 3 + end + 3
		}
		return len(body)
	case len(rest) > 0 && (rest[0] == '!' || rest[0] == '?'):
		return skipPast(body, i, '>')
	case len(rest) > 1 && rest[0] == '/' && isASCIILetter(rest[1]):
		name, _ := readTagName(rest[1:])
		c.end(name)
		return skipPast(body, i, '>')
	case len(rest) > 0 && rest[0] == '/':
		return skipPast(body, i, '>')
	case len(rest) == 0 || !isASCIILetter(rest[0]):
		c.reopen() // a '<' that starts no tag is text
		return i + 1
	}
	name, n := readTagName(rest)
	end, attrs := scanAttrs(body, i+1+n)
	a := atom.Lookup(name)
	kind := tagKinds[a]
	var key string
	if kind&kindFormatting != 0 && a != atom.A && a != atom.Nobr {
		key = string(bytes.ToLower(body[i:end]))
	}
	c.startKind(tagName(a, name), a, kind, key, attrs)
	if kind&kindRawText != 0 {
		return skipRawText(body, end, name)
	}
	if a == atom.Plaintext {
		return len(body)
	}
	return end
}

// rawText are the elements whose content is text up to their end tag.
var rawText = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Textarea: true, atom.Title: true,
	atom.Xmp: true, atom.Iframe: true, atom.Noembed: true, atom.Noframes: true, atom.Noscript: true}

// readTagName returns the lower-case name at the start of b and its length.
func readTagName(b []byte) ([]byte, int) {
	n := 0
	for n < len(b) && !isTagSpace(rune(b[n])) && b[n] != '/' && b[n] != '>' {
		n++
	}
	name := b[:n]
	for _, ch := range name {
		if 'A' <= ch && ch <= 'Z' {
			return bytes.ToLower(name), n
		}
	}
	return name, n
}

// scanAttrs reads the attributes from body[i] to the end of the tag; it
// returns the index after the '>' and how many attributes were written.
// A "/>" is not told apart: it changes what is open only in SVG and
// MathML, which the count does not model, and never the nodes made.
func scanAttrs(body []byte, i int) (end, attrs int) {
	for i < len(body) {
		switch ch := body[i]; {
		case ch == '>':
			return i + 1, attrs
		case isTagSpace(rune(ch)) || ch == '/':
			i++
		default:
			attrs++
			i = skipAttr(body, i)
		}
	}
	return len(body), attrs
}

// skipRawText returns where the end tag of the raw text element name
// starting at body[i] begins (the end of body without one).
func skipRawText(body []byte, i int, name []byte) int {
	for {
		j := bytes.Index(body[i:], []byte("</"))
		if j < 0 {
			return len(body)
		}
		i += j
		if rest := body[i+2:]; len(rest) >= len(name) && bytes.EqualFold(rest[:len(name)], name) {
			return i
		}
		i += 2
	}
}

// skipPast returns the index after the first b at or after body[i].
func skipPast(body []byte, i int, b byte) int {
	if j := bytes.IndexByte(body[i:], b); j >= 0 {
		return i + j + 1
	}
	return len(body)
}

func isASCIILetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }

// skipAttr returns the end of the attribute that starts at tag[i]: its
// name, then = and a value, quoted or not.
func skipAttr(tag []byte, i int) int {
	for i < len(tag) && tag[i] != '=' && tag[i] != '>' && tag[i] != '/' && !isTagSpace(rune(tag[i])) {
		i++
	}
	for i < len(tag) && isTagSpace(rune(tag[i])) {
		i++
	}
	if i >= len(tag) || tag[i] != '=' {
		return i
	}
	for i++; i < len(tag) && isTagSpace(rune(tag[i])); i++ {
	}
	if i < len(tag) && (tag[i] == '"' || tag[i] == '\'') {
		end := bytes.IndexByte(tag[i+1:], tag[i])
		if end < 0 {
			return len(tag)
		}
		return i + end + 2
	}
	for i < len(tag) && tag[i] != '>' && !isTagSpace(rune(tag[i])) {
		i++
	}
	return i
}

func isTagSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r'
}

func (c *nodeCounter) start(name string, a atom.Atom, key string, attrs int) {
	c.startKind(name, a, tagKinds[a], key, attrs)
}

// startKind is start for an element of the given kind (tagKinds[a]).
func (c *nodeCounter) startKind(name string, a atom.Atom, kind tagKind, key string, attrs int) {
	c.nodes += 1 + attrs
	if kind&kindVoid != 0 {
		c.reopen()
		return
	}
	if a == atom.Td || a == atom.Th || a == atom.Tr {
		c.closeCell() // a new cell or row closes the open cell
	}
	if kind&kindBlockStart != 0 {
		c.closeImplied(a, kind)
	} else {
		c.reopen()
	}
	var f *fmtEntry
	if kind&kindFormatting != 0 {
		f = c.addFormatting(name, key, attrs)
	}
	implied := kind&kindImpliedEnd != 0
	c.stack = append(c.stack, openElement{name: name, f: f, implied: implied})
	if implied {
		c.open[name]++
	}
	if kind&kindScopeMarker != 0 {
		c.afe = append(c.afe, nil)
	}
}

// addFormatting lists a formatting element as the tree builder does: a
// new <a> or <nobr> ends the open one, and at most three identical
// elements stay listed.
func (c *nodeCounter) addFormatting(name, key string, attrs int) *fmtEntry {
	identical := 0
	for i := len(c.afe) - 1; i >= 0 && c.afe[i] != nil; i-- {
		e := c.afe[i]
		if e.name == name && (name == "a" || name == "nobr" || e.key == key) {
			if identical++; identical >= 3 || name == "a" || name == "nobr" {
				c.unlist(i)
			}
		}
	}
	if len(c.slab) == 0 {
		c.slab = make([]fmtEntry, fmtSlab)
	}
	f := &c.slab[0]
	c.slab = c.slab[1:]
	*f = fmtEntry{name: name, key: key, attrs: attrs, open: true}
	c.afe = append(c.afe, f)
	c.longest = max(c.longest, len(c.afe))
	return f
}

// unlist removes entry i from the list of active formatting elements.
func (c *nodeCounter) unlist(i int) {
	c.afe[i].open = false
	c.afe = append(c.afe[:i], c.afe[i+1:]...)
}

func (c *nodeCounter) end(name []byte) {
	a := atom.Lookup(name)
	c.endTag(tagName(a, name), a)
}

// tagName is name as a string, without allocating for known elements.
func tagName(a atom.Atom, name []byte) string {
	if a != 0 {
		return a.String()
	}
	return string(name)
}

func (c *nodeCounter) endTag(name string, a atom.Atom) {
	kind := tagKinds[a]
	if kind&kindFormatting != 0 {
		for i := len(c.afe) - 1; i >= 0 && c.afe[i] != nil; i-- {
			if c.afe[i].name == name {
				c.unlist(i)
				break
			}
		}
	}
	for i := len(c.stack) - 1; i >= max(0, len(c.stack)-stackDepth); i-- {
		if c.stack[i].name == name {
			c.popTo(i)
			break
		}
	}
	if kind&kindScopeMarker != 0 || a == atom.Tr || a == atom.Table {
		c.clearToMarker()
	}
}

// popTo closes the open elements from i up; formatting elements among
// them stay listed, to be reopened by the next text.
func (c *nodeCounter) popTo(i int) {
	for _, e := range c.stack[i:] {
		if e.f != nil {
			e.f.open = false
		}
		if e.implied {
			c.open[e.name]--
		}
	}
	c.stack = c.stack[:i]
}

// closeImplied closes what a block's start tag implies: an open <p>, and
// for a list item the open item.
func (c *nodeCounter) closeImplied(a atom.Atom, kind tagKind) {
	if kind&kindClosesP == 0 || (c.open["p"] == 0 && (a != atom.Li || c.open["li"] == 0) &&
		(a != atom.Dd && a != atom.Dt || c.open["dd"]+c.open["dt"] == 0)) {
		return
	}
	for i := len(c.stack) - 1; i >= max(0, len(c.stack)-stackDepth); i-- {
		switch name := c.stack[i].name; {
		case name == "p",
			a == atom.Li && name == "li",
			(a == atom.Dd || a == atom.Dt) && (name == "dd" || name == "dt"):
			c.popTo(i)
			return
		case name == "table" || name == "td" || name == "th" || name == "button" || name == "html":
			return
		}
	}
}

// closeCell closes the innermost open table cell, if any.
func (c *nodeCounter) closeCell() {
	for i := len(c.stack) - 1; i >= max(0, len(c.stack)-stackDepth); i-- {
		switch c.stack[i].name {
		case "td", "th":
			c.popTo(i)
			c.clearToMarker()
			return
		case "table":
			return
		}
	}
}

// clearToMarker drops the formatting elements listed since the last marker.
func (c *nodeCounter) clearToMarker() {
	for len(c.afe) > 0 {
		e := c.afe[len(c.afe)-1]
		c.afe = c.afe[:len(c.afe)-1]
		if e == nil {
			return
		}
		e.open = false
	}
}

// reopen counts the clones the tree builder makes of the listed
// formatting elements that are no longer open, before text or an inline
// element.
func (c *nodeCounter) reopen() {
	i := len(c.afe) - 1
	for i >= 0 && c.afe[i] != nil && !c.afe[i].open {
		i--
	}
	for _, e := range c.afe[i+1:] {
		e.open = true
		c.nodes += 1 + e.attrs
		c.stack = append(c.stack, openElement{name: e.name, f: e})
	}
}

var voidElements = map[atom.Atom]bool{atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true,
	atom.Embed: true, atom.Hr: true, atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true,
	atom.Param: true, atom.Source: true, atom.Track: true, atom.Wbr: true}

// impliedEnd are the elements a later start tag can close.
var impliedEnd = map[atom.Atom]bool{atom.P: true, atom.Li: true, atom.Dd: true, atom.Dt: true}

// closesP are the start tags that close an open <p>.
var closesP = map[atom.Atom]bool{atom.Address: true, atom.Article: true, atom.Aside: true,
	atom.Blockquote: true, atom.Center: true, atom.Details: true, atom.Dialog: true, atom.Dir: true,
	atom.Div: true, atom.Dl: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Header: true, atom.Hgroup: true, atom.Main: true, atom.Menu: true,
	atom.Nav: true, atom.Ol: true, atom.P: true, atom.Section: true, atom.Summary: true, atom.Ul: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Pre: true, atom.Listing: true, atom.Form: true, atom.Li: true, atom.Dd: true, atom.Dt: true,
	atom.Table: true, atom.Hr: true}

// blockStarts are the start tags before which the tree builder does not
// reopen formatting elements.
var blockStarts = map[atom.Atom]bool{atom.Address: true, atom.Article: true, atom.Aside: true,
	atom.Blockquote: true, atom.Center: true, atom.Details: true, atom.Dialog: true, atom.Dir: true,
	atom.Div: true, atom.Dl: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Header: true, atom.Hgroup: true, atom.Main: true, atom.Menu: true,
	atom.Nav: true, atom.Ol: true, atom.P: true, atom.Section: true, atom.Summary: true, atom.Ul: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Pre: true, atom.Listing: true, atom.Form: true, atom.Li: true, atom.Dd: true, atom.Dt: true,
	atom.Table: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Tr: true, atom.Td: true,
	atom.Th: true, atom.Caption: true, atom.Html: true, atom.Head: true, atom.Body: true,
	atom.Title: true, atom.Meta: true, atom.Link: true, atom.Script: true, atom.Style: true}
