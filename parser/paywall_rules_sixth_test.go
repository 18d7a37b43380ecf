package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheSixthBlindSet holds the general rules the sixth
// blind set called for, each on a page built from the fixture story.
func TestWallRulesFromTheSixthBlindSet(t *testing.T) {
	declared := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":"False"}</script>`
	zephr := func(config string) string {
		return `<script>window.zephrConfig = {customData: {` + config + `}}; window.zephrBrowser && window.zephrBrowser.run({});</script>`
	}
	tests := []wallCase{
		{name: "a modal over a full story whose dismiss button says continue reading", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="Modal" role="dialog" aria-modal="true"><h2>Like local news?</h2><p>Subscribe from $1 for your first month.</p>` +
				`<a href="/subscribe">Yes, subscribe</a><button>No thanks, continue reading</button></div>`,
			gone: "No thanks"},
		{name: "a Zephr page config naming a member article declares it", at: -1, paras: storyParas, kind: news.PaywallMetered,
			head: zephr(`contentType: "member-article"`)},
		{name: "a Zephr page config naming a free article declares nothing", at: -1, paras: storyParas, kind: news.PaywallNone,
			head: zephr(`contentType: "article"`)},
		{name: "a donation box named as one, with a line of prose", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<section class="support-box"><h3>Support independent journalism</h3><p>The Harbour Times has no owner and no advertisers who tell us what to write about, and we live on what our readers give us every month.</p>` +
				`<p>If this story mattered to you, please make a donation today.</p><a href="/give?amount=20">Give $20</a> <a href="/give?amount=50">Give $50</a></section>`,
			gone: "no advertisers"},
		{name: "a lone donate link after the story is no box", at: 5, paras: storyParas, kind: news.PaywallNone,
			block: `<a class="donation-trigger" href="/donate">Donate now!</a>`},
		{name: "an ad-blocker notice asks for no money", at: 5, paras: storyParas, kind: news.PaywallNone,
			block: `<div class="message"><p>We noticed you're using an ad blocker. Advertising revenue helps support our journalism.</p><a href="/whitelist">How do I whitelist us?</a></div>`,
			gone:  "ad blocker"},
		{name: "prose about donating data is no ask", at: 5, paras: storyParas, kind: news.PaywallNone,
			block: `<div class="toolbar"><p>Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive.</p><a href="/about">About this capture</a></div>`},
		{name: "a Ukrainian paid-subscription box", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><h4>Підтримайте незалежну журналістику</h4><p>Станьте платним передплатником за 150 грн на місяць.</p><a href="/subscribe">Оформити платну підписку</a></div>`,
			gone:  "150 грн"},
		{name: "a Thai members' wall ends a teaser", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true, head: declared,
			block: `<div class="premium-wall"><h2>บทความนี้สำหรับสมาชิกพรีเมียมเท่านั้น</h2><p>สมัครสมาชิกเพื่ออ่านฉบับเต็ม</p><a href="/member">สมัครสมาชิก</a> <a href="/login">เป็นสมาชิกอยู่แล้ว?</a></div>`,
			gone:  "บทความนี้"},
	}
	runWallCases(t, tests)
}

// TestDrupalCanvasIsNoOverlay: Drupal wraps every page in a
// "dialog-off-canvas-main-canvas"; a wall after the teaser inside it is
// where the text stops, not a layer drawn over the page.
func TestDrupalCanvasIsNoOverlay(t *testing.T) {
	head := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":"False"}</script>`
	wall := `<div class="paywall paywall--hard"><h2>Subscribe to continue reading</h2><p>€1 for your first month, then €8.99 a month.</p>` +
		`<a href="/subscribe">Subscribe now</a> <p>Already a subscriber? <a href="/login">Log in</a></p></div>`
	body := string(page(head, storyParas[:3], 2, wall))
	body = strings.Replace(body, `<body>`, `<body><div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>`, 1)
	body = strings.Replace(body, `</body>`, `</div></body>`, 1)
	a := parsePage(t, []byte(body))
	if a.Paywall.Kind != news.PaywallHard || !a.Paywall.Truncated || strings.Contains(a.Text, "first month") {
		t.Errorf("Paywall = %+v, want hard and truncated, the offer out of the text:\n%s", a.Paywall, a.Text)
	}
}

// TestSideRailOffer: a priced subscription offer in the side rail asks the
// reader to subscribe (soft); a bare "Subscribe" link or a newsletter box
// there is furniture.
func TestSideRailOffer(t *testing.T) {
	rail := func(box string) []byte {
		return []byte(strings.Replace(string(page("", storyParas, -1, "")), `</article>`, `</article><aside class="article-sidebar">`+box+
			`<div class="popular"><h3>Most read</h3><ol><li><a href="/a">Council approves fares</a></li></ol></div></aside>`, 1))
	}
	tests := []struct {
		name, box string
		kind      news.PaywallKind
	}{
		{"a priced print offer", `<div class="print-sub"><h3>Get the Times in print</h3><p>Subscribe today: 12 issues delivered for $79, plus a free tote bag.</p><a href="/shop">Subscribe now</a></div>`, news.PaywallSoft},
		{"a bare subscribe link", `<div class="promo"><a href="/subscribe">Subscribe</a></div>`, news.PaywallNone},
		{"a newsletter box", `<div class="newsletter"><h3>Our morning newsletter</h3><p>Sign up to get the news in your inbox.</p><form><input type="email"><button>Sign up</button></form></div>`, news.PaywallNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a := parsePage(t, rail(tt.box)); a.Paywall.Kind != tt.kind {
				t.Errorf("Paywall = %+v, want %s", a.Paywall, tt.kind)
			}
		})
	}
}
