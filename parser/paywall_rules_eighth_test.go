package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheEighthBlindSet holds the general rules the eighth
// blind set called for, each on a page built from the fixture story.
func TestWallRulesFromTheEighthBlindSet(t *testing.T) {
	leaky := func(metered string) string {
		return `<script id="leaky_paywall_cookie_js-js-extra">var leaky_paywall_cookie_ajax = {"post_container":".entry-content","post_id":"90417","metered":"` + metered + `"};</script>` +
			`<script src="/wp-content/plugins/leaky-paywall/js/leaky-paywall-cookie.js"></script>`
	}
	tests := []wallCase{
		{name: "a Leaky Paywall config metering the post declares it", at: -1, paras: storyParas, kind: news.PaywallMetered, head: leaky("true")},
		{name: "a Leaky Paywall config not metering it declares nothing", at: -1, paras: storyParas, kind: news.PaywallNone, head: leaky("false")},
		{name: "a Hindi subscription nudge", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="nudge" role="dialog"><h3>निष्पक्ष पत्रकारिता का साथ दें</h3><p>सिर्फ ₹49 प्रति माह।</p><a href="/subscribe">अभी सब्सक्राइब करें</a></div>`,
			gone:  "₹49"},
		{name: "a newsletter box titled as a headline keeps its Subscribe Now", at: 3, paras: storyParas, kind: news.PaywallNone,
			block: `<section class="widget"><div class="signup"><p>Subscribe Now</p><h1>The Daily Forecast Newsletter</h1>` +
				`<form><input type="text" name="email" placeholder="Enter Your Email"><button>Sign up now</button></form></div></section>`,
			gone: "Daily Forecast"},
		{name: "a Swedish library-card wall's line of prose is the wall's", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true,
			head: `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":"False"}</script>`,
			block: `<div class="lab-paywall"><h2>Läs vidare med ditt bibliotekskort</h2><p>Forum Digitalt är gratis för låntagare på över 140 folkbibliotek. ` +
				`Logga in med ditt bibliotekskort och din pinkod för att läsa hela granskningen.</p><a href="/bibliotek">Logga in med bibliotekskort</a></div>`,
			gone: "låntagare"},
	}
	runWallCases(t, tests)
}

// TestRailNamedLayoutIsThePage: a layout wrapper named for its rail
// ("b-right-rail-advanced") that holds the page's main part is the page,
// not a side rail: the wall inside it is read.
func TestRailNamedLayoutIsThePage(t *testing.T) {
	head := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`
	wall := `<div class="paywall paywall--hard"><h3>Subscribe to keep reading</h3><p>Get every story, the app and the digital edition.</p>` +
		`<a href="/subscribe">Subscribe now</a> <p>Already a subscriber? <a href="/login">Log in</a></p></div>`
	body := string(page(head, storyParas[:3], 2, wall))
	body = strings.Replace(body, `<article>`, `<div class="b-right-rail-advanced"><section role="main" class="main-content"><article>`, 1)
	body = strings.Replace(body, `</article>`, `</article></section><aside class="b-right-rail-advanced__rail">Most read</aside></div>`, 1)
	a := parsePage(t, []byte(body))
	if a.Paywall.Kind != news.PaywallHard || !a.Paywall.Truncated || strings.Contains(a.Text, "digital edition") {
		t.Errorf("Paywall = %+v, want hard and truncated, the wall out of the text:\n%s", a.Paywall, a.Text)
	}
}
