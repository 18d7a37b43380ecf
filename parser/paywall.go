package parser

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"newsdesk/news"
)

// Thresholds of the teaser test: a gated page whose text is shorter than
// teaserWords was cut, as is one that ends at its wall with fewer than
// endWallWords.
const (
	teaserWords  = 150
	endWallWords = 350
	// emptyWords is the most text a gated container may hold and still be
	// the empty slot the full text would have filled.
	emptyWords = 20
)

// gating collects what marks a page as gated, in the order found.
type gating struct {
	signals []string
	// gated is true when markup (not only a prompt) says the article is
	// not free: isAccessibleForFree, a content tier, a paywall vendor, a
	// meter.
	gated bool
	// emptyContainer is true when a container that JSON-LD declares as the
	// gated part exists and is empty: the text was withheld.
	emptyContainer bool
}

func (g *gating) add(signal string, gates bool) {
	for _, s := range g.signals {
		if s == signal {
			g.gated = g.gated || gates
			return
		}
	}
	g.signals = append(g.signals, signal)
	g.gated = g.gated || gates
}

// vendorMarkup maps class, id or script names to paywall vendors.
var vendorMarkup = []struct {
	pattern *regexp.Regexp
	vendor  string
}{
	{regexp.MustCompile(`piano|tinypass|(?:^|[^a-z])tp-(?:modal|container|backdrop|iframe|active)`), "piano"},
	{regexp.MustCompile(`zephr`), "zephr"},
	{regexp.MustCompile(`poool`), "poool"},
	{regexp.MustCompile(`pelcro`), "pelcro"},
	{regexp.MustCompile(`laterpay`), "laterpay"},
}

// paywallClass matches blocks publishers name after their wall.
var paywallClass = regexp.MustCompile(`(?:^|[^a-z])(?:paywall|paywalled|regwall)(?:$|[^a-z])`)

// readGating notes every gating marker of the page: JSON-LD and microdata
// isAccessibleForFree, the article:content_tier meta tag, paywall vendors'
// scripts and containers, and blocks named "paywall".
func readGating(doc *goquery.Document, m metaTags, ld *linkedData) gating {
	var g gating
	if ld.gated {
		g.add("jsonld:isAccessibleForFree=false", true)
	}
	doc.Find("[itemprop]").Each(func(_ int, s *goquery.Selection) {
		if !strings.EqualFold(s.AttrOr("itemprop", ""), "isAccessibleForFree") {
			return
		}
		v := s.AttrOr("content", s.AttrOr("href", s.Text()))
		if isFalse(v) {
			g.add("microdata:isAccessibleForFree=false", true)
		}
	})
	switch tier := strings.ToLower(m.first("article:content_tier")); tier {
	case "metered", "locked":
		g.add("meta:content_tier="+tier, true)
	}
	walk(doc.Get(0), func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		names := hint(n)
		if n.Data == "script" {
			names = strings.ToLower(attr(n, "src"))
			if n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "tinypass") {
				names += " tinypass"
			}
		}
		for _, v := range vendorMarkup {
			if names != "" && v.pattern.MatchString(names) {
				g.add("vendor:"+v.vendor, true)
			}
		}
		if n.Data != "script" && paywallClass.MatchString(names) {
			g.add("markup:paywall", true)
		}
		return true
	})
	for _, sel := range ld.gatedSelectors {
		doc.Find(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			if wordCount(textOf(s.Get(0))) <= emptyWords {
				g.emptyContainer = true
			}
			return !g.emptyContainer
		})
	}
	return g
}

// verdict classifies the wall. No signal: none. Gated with only a teaser
// served: hard, truncated. Gated with the full text: metered. Only prompts,
// full text, nothing gated: soft.
func verdict(g gating, prompts []prompt, words int, promptAtEnd bool, declaredWords int) news.Paywall {
	signals := append([]string{}, g.signals...)
	gated := g.gated
	for _, p := range prompts {
		signal := "prompt:" + string(p.kind)
		if p.kind == meterPrompt {
			// A meter banner says the article is counted against a
			// quota: the page is gated even without markup.
			gated = true
		}
		if !contains(signals, signal) {
			signals = append(signals, signal)
		}
	}
	pw := news.Paywall{Kind: news.PaywallNone, Signals: signals}
	if len(signals) == 0 {
		return pw
	}
	pw.Detected = true
	switch {
	case !gated:
		pw.Kind = news.PaywallSoft
	case g.emptyContainer || words < teaserWords || (promptAtEnd && words < endWallWords) ||
		(declaredWords > 0 && words*3 < declaredWords*2):
		pw.Kind = news.PaywallHard
		pw.Truncated = true
	default:
		pw.Kind = news.PaywallMetered
	}
	return pw
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// wallAtEnd reports whether a subscribe prompt comes after the last text
// that was served (or no text was): the story stops at its wall. A meter
// banner does not count: it is shown with the full text, often at the foot.
func wallAtEnd(root *html.Node, prompts []prompt, lastText *html.Node) bool {
	if len(prompts) == 0 {
		return false
	}
	order := map[*html.Node]int{}
	walk(root, func(n *html.Node) bool {
		order[n] = len(order)
		return true
	})
	for _, pr := range prompts {
		if pr.kind == subscribePrompt && (lastText == nil || order[pr.node] > order[lastText]) {
			return true
		}
	}
	return false
}
