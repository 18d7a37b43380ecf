package parser

import (
	"regexp"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// maxSelectorLen bounds the selectors read from JSON-LD: a real one is a
// few class names long.
const maxSelectorLen = 300

// measureParts resolves the gated elements the page declares (JSON-LD
// hasPart cssSelectors, microdata WebPageElements, AMP content sections)
// and measures them. Google's markup names the element that holds the
// part of the story that is not free: if it holds the text, the text was
// served (metered); if it is empty or holds only its barrier, the text was
// withheld (hard). No open-source extractor looks; it is the strongest
// evidence a page gives of what was served.
func (w *walls) measureParts(root *html.Node, selectors []string) {
	for _, sel := range selectors {
		nodes, valid := resolveSelector(root, sel)
		w.selectorErr = w.selectorErr || !valid
		w.partsAbsent = w.partsAbsent || len(nodes) == 0
		w.parts = append(w.parts, nodes...)
	}
	if len(w.parts) > 0 {
		w.partWords = w.storyWords(w.parts)
	}
	switch {
	case len(w.parts) > 0 && w.partWords > emptyWords:
		w.part = partText
	case len(w.parts) > 0:
		w.part = partEmpty
	case w.selectorErr:
		w.part = partInvalid
	case w.partsAbsent:
		w.part = partAbsent
	default:
		return
	}
	w.signal("gated-part=" + string(w.part))
}

// storyWords counts the words of the story in the given elements: their
// text without the blocks to strip (a barrier inside the gated element is
// not story) or hidden ones, each element counted once even when one holds
// another.
// Japanese and Chinese text is counted in two-character words
// (storyWordCount): a part of eight Japanese paragraphs is not empty.
func (w *walls) storyWords(parts []*html.Node) int {
	set := map[*html.Node]bool{}
	for _, p := range parts {
		set[p] = true
	}
	words := 0
	for _, p := range parts {
		if hasAncestor(p, func(a *html.Node) bool { return set[a] }) {
			continue
		}
		walk(p, func(n *html.Node) bool {
			switch {
			case n.Type == html.TextNode:
				words += storyWordCount(n.Data)
			case n.Type == html.ElementNode && (noText[n.DataAtom] || w.strip[n] || isHidden(n)):
				// Hidden blocks (the blurred, aria-hidden filler after a
				// teaser) are no more served to a reader than the text is.
				return false
			}
			return true
		})
	}
	return words
}

// bareName is a selector written without its dot or hash: "paywall".
var bareName = regexp.MustCompile(`^[A-Za-z][\w-]*$`)

// resolveSelector finds the elements a publisher's cssSelector names,
// forgiving the mistakes found in the wild: surrounding quotes, an
// unclosed bracket, parenthesis or quote, and a class or id written
// without its "." or "#" ("paywall"). It reports whether the selector (or
// its repair) parsed at all. A selector that breaks the parser never
// breaks the page.
func resolveSelector(root *html.Node, sel string) (nodes []*html.Node, valid bool) {
	defer func() {
		if recover() != nil {
			nodes, valid = nil, false
		}
	}()
	sel = strings.Trim(strings.TrimSpace(sel), `"'`)
	if sel == "" || len(sel) > maxSelectorLen {
		return nil, false
	}
	for _, candidate := range selectorRepairs(sel) {
		group, err := cascadia.ParseGroup(candidate)
		if err != nil {
			continue
		}
		valid = true
		if nodes = cascadia.QueryAll(root, group); len(nodes) > 0 {
			return nodes, true
		}
	}
	return nil, valid
}

// selectorRepairs lists the selector and its plausible repairs, most
// literal first.
func selectorRepairs(sel string) []string {
	out := []string{sel}
	fixed := sel
	if strings.Count(fixed, `"`)%2 == 1 {
		fixed += `"`
	}
	if strings.Count(fixed, `'`)%2 == 1 {
		fixed += `'`
	}
	fixed += strings.Repeat(")", max(0, strings.Count(fixed, "(")-strings.Count(fixed, ")")))
	fixed += strings.Repeat("]", max(0, strings.Count(fixed, "[")-strings.Count(fixed, "]")))
	if fixed != sel {
		out = append(out, fixed)
	}
	if bareName.MatchString(sel) {
		out = append(out, "."+sel, "#"+sel)
	}
	return out
}
