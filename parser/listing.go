package parser

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/news"
)

// Thresholds of the listing test.
const (
	// minStoryWords is the least text a page must serve to be a story,
	// unless it is marked up as a gated article (a hard wall may serve
	// only a headline).
	minStoryWords = 25
	// unmarkedStoryWords is the least prose of a page with no article
	// markup at all.
	unmarkedStoryWords = 80
	// wordsPerCard: a listing's text is a headline and a summary per
	// story; a story's own prose is far longer than that per link.
	wordsPerCard = 80
)

// pageFacts are what the listing test looks at.
type pageFacts struct {
	// marked is true when the page says it is one article: JSON-LD of an
	// article type, og:type=article, itemprop=articleBody or an
	// article:published_time.
	marked bool
	// listingLD is true when JSON-LD describes a collection and no article.
	listingLD bool
	gated     bool
	words     int
	// cards counts story teasers: <article> elements, or headings that are
	// links, outside navigation, side rails and related-links blocks.
	cards       int
	linkDensity float64
}

// readPageFacts gathers the facts of the listing test for a parsed page.
func readPageFacts(root *html.Node, m metaTags, ld *linkedData, content []*html.Node, a news.Article) pageFacts {
	return pageFacts{
		marked: ld.article != nil || strings.EqualFold(m.first("og:type"), "article") ||
			len(articleBodies(root)) > 0 || m.first("article:published_time") != "",
		listingLD:   ld.listing && ld.article == nil,
		gated:       a.Paywall.Kind == news.PaywallHard || a.Paywall.Kind == news.PaywallMetered,
		words:       storyWordCount(a.Text),
		cards:       countCards(root),
		linkDensity: contentLinkDensity(content),
	}
}

// contentLinkDensity is the share of link text in the content nodes.
func contentLinkDensity(nodes []*html.Node) float64 {
	text, links := 0, 0
	for _, n := range nodes {
		t, l := textLens(n)
		text += t
		links += l
	}
	if text == 0 {
		return 0
	}
	return float64(links) / float64(text)
}

// notArticleReason says why the page is not a single story, or "" if it is.
func notArticleReason(f pageFacts) string {
	switch {
	case f.marked && f.gated:
		return ""
	case f.words < minStoryWords:
		return fmt.Sprintf("only %d words of text", f.words)
	case f.listingLD:
		return "structured data describes a collection"
	case !f.marked && f.cards >= 3 && f.words < f.cards*wordsPerCard:
		return fmt.Sprintf("lists %d stories", f.cards)
	case f.marked && f.cards >= 5 && f.words < f.cards*wordsPerCard/2:
		return fmt.Sprintf("lists %d stories", f.cards)
	case !f.marked && f.words < unmarkedStoryWords:
		return fmt.Sprintf("only %d words of prose and no article markup", f.words)
	case f.linkDensity > 0.5:
		return "the text is mostly links"
	}
	return ""
}

// countCards counts the story teasers of the page (see pageFacts.cards).
func countCards(body *html.Node) int {
	articles, linkHeads := 0, 0
	walk(body, func(n *html.Node) bool {
		if n.Type == html.DocumentNode {
			return true
		}
		if n.Type != html.ElementNode || noText[n.DataAtom] || isTag(n, atom.Aside) {
			return false
		}
		if h := hint(n); pageChromeNamed(n, h) || recirculationHint.in(h) {
			return false
		}
		switch n.DataAtom {
		case atom.Article:
			articles++
		case atom.H2, atom.H3, atom.H4:
			if t := textOf(n); wordCount(t) >= 2 && linkDensity(n) >= 0.6 {
				linkHeads++
			}
			return false
		}
		return true
	})
	return max(articles, linkHeads)
}
