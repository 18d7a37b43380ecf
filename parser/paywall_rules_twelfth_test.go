package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheTwelfthBlindSet holds the general rules the twelfth
// blind set called for, each on a page built from the fixture story.
func TestWallRulesFromTheTwelfthBlindSet(t *testing.T) {
	locked := `<meta property="article:content_tier" content="locked">` +
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":"False"}</script>`
	tests := []wallCase{
		{name: "a wall reserving the story for a product's subscribers", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true, head: locked,
			block: `<div class="pro-wall" role="region"><h2>This article is exclusive to Pro Harbour subscribers</h2>` +
				`<a href="/pro/trial">Request a free trial</a> <p>Already a Pro subscriber? <a href="/login">Log in to read</a></p></div>`,
			gone: "exclusive to Pro Harbour"},
		{name: "a Turkish newsletter's Abone Ol is no wall", at: 5, paras: storyParas, kind: news.PaywallNone,
			block: `<div class="nl"><p>Haftalık bültenimiz</p><a href="/bulten">Abone Ol</a></div>`},
		// From the thirteenth set.
		{name: "a Hungarian support box", at: 2, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="tamogatas"><h3>Támogasd a független újságírást!</h3><p>Legyél rendszeres támogatónk már havi 1500 forinttól.</p><a href="/tamogatas">Támogatom</a></div>`,
			gone:  "Támogasd"},
		{name: "an Italian meter count", at: 1, paras: storyParas, kind: news.PaywallMetered,
			block: `<div class="contatore"><p>Articolo 2 di 3 gratuiti questo mese</p><a href="/abbonati">Abbonati</a></div>`,
			gone:  "Articolo 2 di 3"},
	}
	runWallCases(t, tests)
}

// TestLayerAfterAFadedTeaserEndsIt: a wall drawn as a layer after the
// page's wrapper, whose last block is the teaser and then an empty fade,
// is in the story's flow: on a declared page saying the story goes on,
// the text stops there.
func TestLayerAfterAFadedTeaserEndsIt(t *testing.T) {
	head := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`
	body := string(page(head, storyParas[:3], -1, ""))
	body = strings.Replace(body, `</div></article>`, `</div><div class="fade" aria-hidden="true"></div></article>`, 1)
	body = strings.Replace(body, `<footer>`, `<div class="PaywallOverlay" role="dialog" aria-modal="true"><h2>You've reached your limit of free stories</h2>`+
		`<p>Keep reading local journalism. Subscribe for unlimited digital access.</p><a href="/subscribe">Subscribe</a></div><footer>`, 1)
	if a := parsePage(t, []byte(body)); a.Paywall.Kind != news.PaywallHard || !a.Paywall.Truncated {
		t.Errorf("Paywall = %+v, want hard and truncated", a.Paywall)
	}
}
