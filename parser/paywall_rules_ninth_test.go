package parser

import (
	"slices"
	"strings"
	"testing"

	"newsdesk/news"
)

// drawnWall is a wall drawn as a layer over the page, appended to its body.
const drawnWall = `<div class="paywall-overlay" role="dialog" aria-modal="true"><h2>Keep reading with a subscription</h2>` +
	`<p>$1 for your first month.</p><a href="/subscribe">Subscribe</a></div>`

// TestWallRulesFromTheNinthBlindSet holds the general rules the ninth
// blind set called for, each on a page built from the fixture story.
func TestWallRulesFromTheNinthBlindSet(t *testing.T) {
	declared := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`
	cut := slices.Clone(storyParas[:3])
	cut[2] = "Local business owners near the old terminal said they feared losing the trade that the ferry brings each morning, and several cafés said that"
	tests := []wallCase{
		{name: "a box class-named paywall is a prompt, not a declaration", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="paywall-upsell sticky"><p>Assine o Harbour Times por R$ 1,90 no primeiro mês.</p><a href="/assine">Assine já</a></div>`,
			gone:  "R$ 1,90"},
		{name: "an appeal in a paywall-named banner is soft", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="sub-wall paywall-banner"><p>The Times is free. Keeping it that way isn't.</p><p>Join Friends of the Times for $5 a month and help pay for reporting like this.</p><a href="/friends">Join now</a> <button>Maybe later</button></div>`,
			gone:  "Friends of the Times"},
		{name: "a priced membership box listing a newsletter among its perks", at: 2, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="b-membership-box"><h3>Únete a nuestro programa de socios</h3><ul><li>Boletín exclusivo cada viernes</li><li>Navegación sin publicidad</li></ul><a href="/socios/">Hazte socio desde 4 € al mes</a></div>`,
			gone:  "Boletín exclusivo"},
		{name: "a free account named for the site", at: 2, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="promo"><h3>Get the stories that matter to you</h3><p>Create a free Harbour account to save stories and follow topics.</p><a href="/register">Create free account</a></div>`,
			gone:  "save stories"},
		{name: "Poool's attribute on the article body declares it", at: -1, paras: storyParas, kind: news.PaywallMetered,
			edit: func(page string) string {
				return strings.Replace(page, `<div class="body">`, `<div class="body" data-poool="20" data-poool-mode="excerpt">`, 1)
			}},
		{name: "a dialog saying it gives access to this article ends a declared teaser", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true,
			head:  declared,
			block: `<div class="paywall" role="dialog"><h3>Subscribe to gain access to this article</h3><p>Digital Premium $1 per week for 12 weeks.</p><a href="/subscribe">Subscribe now</a></div>`,
			gone:  "12 weeks"},
		{name: "a declared teaser cut mid-sentence, its wall drawn over the page", at: -1, paras: cut, kind: news.PaywallHard, truncated: true, head: declared,
			edit: func(page string) string { return strings.Replace(page, `</body>`, drawnWall+`</body>`, 1) }},
	}
	runWallCases(t, tests)
}

// TestFullTextUnderADrawnWallIsNotCut: the same drawn wall over a story
// whose last sentence ends is metered: nothing says the text was cut.
func TestFullTextUnderADrawnWallIsNotCut(t *testing.T) {
	head := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`
	body := strings.Replace(string(page(head, storyParas[:3], -1, "")), `</body>`, drawnWall+`</body>`, 1)
	if a := parsePage(t, []byte(body)); a.Paywall.Kind != news.PaywallMetered {
		t.Errorf("Paywall = %+v, want metered", a.Paywall)
	}
}
