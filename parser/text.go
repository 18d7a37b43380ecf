package parser

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// renderer turns the content nodes into the story text: one paragraph per
// block, list items as lines of one paragraph, and nothing of the blocks
// that are not the story.
type renderer struct {
	title   string
	section string
	prompts map[*html.Node]bool
	paras   []string
	cur     strings.Builder
	// brs counts <br>s since the last text: two in a row end a paragraph.
	brs int
	// lastText is the last text node that made it into the output; a wall
	// after it is a wall at the end of what was served.
	lastText *html.Node
	// stats measure the content; whole is its text outside links.
	stats *textStats
	whole int
	// inner marks the renderer of one list item, whose first paragraph is
	// not the body's.
	inner bool
	// roots are the content being rendered.
	roots []*html.Node
	// boxesAreText says the teaser and fact boxes (boxNames) hold most of
	// the content: a listing of teasers, whose text they are. It is
	// measured when the first box is met (boxesMeasured).
	boxesAreText, boxesMeasured bool
	// contacts are the reporters named by contact lines left out of the
	// text: the byline of last resort.
	contacts []string
}

// skipTags never hold story prose, wherever they sit in the body.
var skipTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Aside: true, atom.Footer: true, atom.Header: true,
	atom.Form: true, atom.Button: true, atom.Figcaption: true, atom.H1: true,
	atom.Input: true, atom.Label: true, atom.Dialog: true, atom.Menu: true,
}

func (r *renderer) render(roots []*html.Node) []string {
	elements := 0
	for _, root := range roots {
		elements += countElements(root)
	}
	r.stats = &textStats{m: make(map[*html.Node]nodeStats, elements)}
	for _, root := range roots {
		r.stats.count(root, false)
		r.whole += plainText(r.stats, root)
	}
	r.roots = roots
	for _, root := range roots {
		r.node(root, true)
	}
	r.flush()
	return r.paras
}

func (r *renderer) node(n *html.Node, isRoot bool) {
	switch n.Type {
	case html.TextNode:
		if strings.TrimSpace(n.Data) != "" {
			r.cur.WriteString(n.Data)
			r.brs = 0
			r.lastText = n
		} else {
			r.cur.WriteByte(' ')
		}
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.node(c, false)
		}
		return
	}
	if noText[n.DataAtom] || (!isRoot && r.skip(n)) {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		r.brs++
		if r.brs >= 2 {
			r.flush()
		}
		r.cur.WriteByte(' ')
		return
	case atom.Ul, atom.Ol:
		r.flush()
		r.list(n)
		return
	case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		if strings.EqualFold(textOf(n), r.title) {
			return
		}
	}
	block := blockTags[n.DataAtom]
	if block {
		r.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c, false)
	}
	if block {
		r.flush()
	}
}

// skip reports whether the element inside the body is not part of the
// story: a prompt, a block named like boilerplate, a short block named like
// a paywall offer, a list or block of links, or a hidden element.
func (r *renderer) skip(n *html.Node) bool {
	if r.prompts[n] || isHidden(n) || isWidgetElement(n) {
		return true
	}
	if skipTags[n.DataAtom] {
		// A form holding most of the story is the CMS's wrapper around it.
		return n.DataAtom != atom.Form || !holdsMost(r.stats, n, r.whole)
	}
	h := hint(n)
	if h != "" && boilerNames.match(h) && !postContainer(h) && !holdsMost(r.stats, n, r.whole) {
		return true
	}
	if !blockTags[n.DataAtom] || n.DataAtom == atom.Br {
		return false
	}
	if h != "" && r.isBox(n, h) && !r.boxesHoldMost() {
		return true
	}
	if h != "" && promptHint.match(h) && isShortBlock(n) && ctaShaped(n) {
		return true
	}
	return r.isLinkBlock(n)
}

// boxNames name the boxes themes set inside a story that are not its
// text: a teaser of another story ("c-teaser", "pp-inline-teaser") and a
// fact box beside the text.
var boxNames = newNameSet(nil, []string{"teaser", "factbox"}, nil)

// isBox reports whether n, whose hint is h, is such a box. A teaser
// links to the story it teases (or sits in the link); one of a paragraph
// or two without a link is the story's own lead ("teaser-text" under the
// headline).
func (r *renderer) isBox(n *html.Node, h string) bool {
	if !boxNames.match(h) {
		return false
	}
	if _, inLinks := r.stats.lens(n); inLinks > 0 || hasAncestor(n, func(a *html.Node) bool { return a.DataAtom == atom.A }) {
		return true
	}
	return !strings.Contains(h, "teaser") || !dekShaped(n)
}

// boxesHoldMost reports whether the boxes hold most of the content's
// text, measuring it the first time.
func (r *renderer) boxesHoldMost() bool {
	if !r.boxesMeasured {
		r.boxesMeasured = true
		r.boxesAreText = 2*r.boxText(r.roots) >= r.whole
	}
	return r.boxesAreText
}

// boxText is the text outside links of the outermost boxNames blocks
// under roots.
func (r *renderer) boxText(roots []*html.Node) int {
	size := 0
	for _, root := range roots {
		walk(root, func(n *html.Node) bool {
			if n.Type != html.ElementNode || n == root {
				return n.Type == html.DocumentNode || n == root
			}
			if noText[n.DataAtom] {
				return false
			}
			if h := hint(n); h != "" && boxNames.match(h) {
				size += plainText(r.stats, n)
				return false
			}
			return true
		})
	}
	return size
}

// isShortBlock reports whether n is a few lines, not prose: at most 60
// words and no paragraph longer than 30.
func isShortBlock(n *html.Node) bool {
	if moreWordsThan(n, maxPromptWords) {
		return false
	}
	long := false
	walk(n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && isTag(c, atom.P, atom.Li, atom.Blockquote, atom.Div) && isParagraph(c) && wordCount(textOf(c)) > 30 {
			long = true
		}
		return !long
	})
	return !long
}

// isLinkBlock reports whether n is mostly links: a related-stories list or
// a "Read more: ..." line.
func (r *renderer) isLinkBlock(n *html.Node) bool {
	total, inLinks := r.stats.lens(n)
	if total == 0 {
		return false
	}
	ld := float64(inLinks) / float64(total)
	if isTag(n, atom.Ul, atom.Ol) {
		return ld > 0.5
	}
	return ld > 0.7 && !moreWordsThan(n, 25)
}

// list renders a list as one paragraph with one line per item.
func (r *renderer) list(n *html.Node) {
	var lines []string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || r.skip(c) {
			continue
		}
		sub := renderer{title: r.title, prompts: r.prompts, stats: r.stats, whole: r.whole, inner: true,
			roots: r.roots, boxesAreText: r.boxesAreText, boxesMeasured: r.boxesMeasured}
		sub.node(c, true)
		sub.flush()
		r.boxesAreText, r.boxesMeasured = sub.boxesAreText, sub.boxesMeasured
		if sub.lastText != nil {
			r.lastText = sub.lastText
		}
		r.contacts = append(r.contacts, sub.contacts...)
		for _, p := range sub.paras {
			lines = append(lines, strings.Split(p, "\n")...)
		}
	}
	if len(lines) > 0 {
		r.paras = append(r.paras, strings.Join(lines, "\n"))
	}
}

// flush ends the current paragraph, keeping it unless it is empty or a
// stray line of page furniture (a byline, a bare date, "Advertisement").
func (r *renderer) flush() {
	p := clean(r.cur.String())
	r.cur.Reset()
	r.brs = 0
	if p == "" {
		return
	}
	words := wordCount(p)
	if isFurnitureLine(p, words) || strings.EqualFold(p, r.title) {
		return
	}
	if name, ok := boilerLine(p, words, r.section, !r.inner && len(r.paras) == 0); ok {
		if name != "" {
			r.contacts = append(r.contacts, name)
		}
		return
	}
	r.paras = append(r.paras, p)
}

// furnitureLines are whole paragraphs that label ads or links, never prose.
var furnitureLines = map[string]bool{
	"advertisement": true, "anzeige": true, "werbung": true, "publicité": true, "publicidad": true,
	"sponsored": true, "sponsored content": true, "story continues below advertisement": true,
	"continue reading below": true, "continue reading the main story": true, "skip advertisement": true,
	"read more": true, "share": true, "share this article": true, "weiterlesen nach der anzeige": true,
	"related": true, "related stories": true, "related articles": true, "most read": true,
	// sharing widgets (WordPress/Jetpack) in the languages of the sites
	"like this": true, "share this": true, "like loading": true, "gefällt mir": true, "gefällt mir wird geladen": true,
	"teilen mit": true, "teilen sie dies mit": true, "j'aime": true, "j'aime chargement": true, "partager": true,
	"me gusta": true, "me gusta cargando": true, "compartir": true, "compartir esto": true,
	// headings of related-reading, sharing and rating blocks
	"you may also like": true, "you might also like": true, "more stories": true, "recommended": true,
	"recommended for you": true, "related posts": true, "about the author": true, "table of contents": true,
	"ähnliche beiträge": true, "ähnliche artikel": true, "auch interessant": true, "das könnte sie auch interessieren": true,
	"das könnte dich auch interessieren": true, "empfohlene beiträge": true, "mehr zum thema": true, "jetzt teilen": true,
	"artikel teilen": true, "möchten sie den artikel teilen": true, "war der artikel nützlich": true, "war dieser artikel hilfreich": true,
	"über den autor": true, "inhaltsverzeichnis": true, "rezept drucken": true, "kommentieren": true, "kommentare": true,
	"articles les plus lus": true, "à lire aussi": true, "lire aussi": true, "sur le même sujet": true, "dans la même rubrique": true,
	"weitere informationen": true, "zurück zur listenansicht": true,
	"zurück zur übersicht": true, "quellen ausblenden": true, "quellen anzeigen": true, "beitragsbild": true, "mehr themen": true,
	"te puede interesar": true, "también te puede interesar": true, "lo más leído": true, "noticias relacionadas": true,
}

var copyrightLine = regexp.MustCompile(`(?i)^(?:©|\(c\)|copyright\b)`)

// rightsNotice is the wording of the rights notices agencies and
// publishers end stories with ("This material may not be published,
// broadcast, rewritten or redistributed", "This document is subject to
// copyright"); a short paragraph so worded is not the story. ASCII
// letters match in either case.
var rightsNotice = newFoldLiterals([]string{"all rights reserved", "subject to copyright", "may not be reproduced",
	"may not be published", "may not be broadcast", "may not be rewritten", "may not be redistributed"})

// galleryCounter is the position line of a slide show: "Image 2 of 5".
var galleryCounter = regexp.MustCompile(`(?i)^(?:image|photo|picture|slide|bild|foto|imagen)\s+\d+\s+(?:of|von|de|sur)\s+\d+$`)

// longestFurnitureLine is the length of the longest of furnitureLines.
var longestFurnitureLine = func() (n int) {
	for k := range furnitureLines {
		n = max(n, len(k))
	}
	return n
}()

// isFurnitureLine reports whether p, of the given words, is a line of
// page furniture.
func isFurnitureLine(p string, words int) bool {
	trimmed := strings.TrimFunc(p, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	// The lower-cased line is looked up only when it may be short enough
	// to be one of furnitureLines (lower-casing shrinks a rune from three
	// bytes to one at most) or to be a gallery counter, sparing a copy of
	// every paragraph.
	var key string
	if words <= 4 || len(trimmed) <= 3*longestFurnitureLine {
		key = strings.ToLower(trimmed)
	}
	if furnitureLines[key] || (words <= 20 && copyrightLine.MatchString(p)) || (words <= 4 && galleryCounter.MatchString(key)) {
		return true
	}
	if words <= 60 && rightsNotice.in(p) {
		return true
	}
	if words <= maxLabelledLineWords && startsWithFurniture(trimmed) {
		return true
	}
	if words <= 8 && strings.ContainsAny(p, "0123456789") {
		if _, ok := parseDate(p); ok {
			return true
		}
	}
	return isBylineLine(p)
}

// maxLabelledLineWords bounds a line that opens with a furniture label:
// a widget's label and its counts or buttons, not a sentence of prose.
const maxLabelledLineWords = 12

// labelLines are the furniture lines of more than one word: short enough
// to be a widget's label, long enough that prose rarely opens with one.
var labelLines = func() (keys []string) {
	for k := range furnitureLines {
		if strings.Contains(k, " ") {
			keys = append(keys, k)
		}
	}
	return keys
}()

// startsWithFurniture reports whether p opens with a furniture line that
// a widget's buttons or counts follow, which the inline markup of the
// widget glued into one line: "War der Artikel nützlich? (95 Stimmen)
// Loading...", "Rezept drucken Bei Pinterest speichern". The label must
// end at a mark or before a capitalised word, so "Read more about it"
// stays.
func startsWithFurniture(p string) bool {
	if len(p) > 3*maxLabelledLineWords*12 {
		return false
	}
	for _, k := range labelLines {
		if len(p) <= len(k) || !strings.EqualFold(p[:len(k)], k) {
			continue
		}
		rest := strings.TrimLeft(p[len(k):], " ")
		if rest == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(rest)
		if rest != p[len(k):] && unicode.IsUpper(r) || strings.ContainsRune("?!:|(", r) {
			return true
		}
	}
	return false
}

var nameConnectors = regexp.MustCompile(`^(?:and|und|et|y|&|de|da|del|der|den|van|von|la|le|di|du|bin|al)$`)

// isBylineLine reports whether a short paragraph is a byline: "By Jane Doe
// and John Roe" or "Von Anna Schmidt, 14. Mai 2024", but not prose that
// starts with "By" ("By Tuesday, the river had risen.").
func isBylineLine(p string) bool {
	if wordCount(p) > 14 || !bylinePrefix.MatchString(p) {
		return false
	}
	rest := bylinePrefix.ReplaceAllString(p, "")
	if loc := dateWords.FindStringIndex(rest); loc != nil {
		rest = rest[:loc[0]]
	}
	first := segmentSplit.Split(strings.TrimSpace(rest), 2)[0]
	for i, part := range strings.Split(first, ",") {
		if i > 0 && (strings.ContainsAny(part, "0123456789") || roleWords.MatchString(part)) {
			continue
		}
		if !isNameList(part) {
			return false
		}
	}
	return true
}

// isNameList reports whether every word of s is capitalised or joins names.
func isNameList(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if nameConnectors.MatchString(w) {
			continue
		}
		if r := []rune(w)[0]; !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}
