package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheThirteenthBlindSet holds the rules the eleventh and
// thirteenth blind sets' last pages called for: a page's own wall
// configuration in a script declares the article, and on a locked page a
// subscription layer appended after the teaser ends it.
func TestWallRulesFromTheThirteenthBlindSet(t *testing.T) {
	dataLayer := func(fields string) string {
		return `<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"content": {"section": "tech", ` + fields + `}});</script>`
	}
	declared := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`
	// The layer is appended to the body after the site's footer, as a
	// theme's plugin draws it: out of the story's flow.
	modal := func(heading string) func(string) string {
		return func(page string) string {
			return strings.Replace(page, `</body>`, `<div class="hh-modal" role="dialog" aria-modal="true"><h2>`+heading+`</h2>`+
				`<div class="plans"><p>Digital: $1 for your first month, then $12 a month</p><a href="/subscribe?plan=digital">Subscribe now</a></div>`+
				`<p>Already have an account? <a href="/login">Log in</a></p></div></body>`, 1)
		}
	}
	tests := []wallCase{
		{name: "an analytics data layer's metered paywall", at: -1, paras: storyParas, kind: news.PaywallMetered,
			head: dataLayer(`"paywall": "metered", "accessLevel": "registered-meter"`)},
		{name: "a data layer saying only that the site has a wall", at: -1, paras: storyParas, kind: news.PaywallNone,
			head: dataLayer(`"paywall": true, "paywall_status": "none"`)},
		{name: "a theme's locked flag and a keep-reading layer after the teaser", at: -1, paras: storyParas[:4], kind: news.PaywallHard, truncated: true,
			head: declared + `<script id="site-paywall-js-extra">var sitePaywall = {"postId":"8842","locked":"1","loginUrl":"/login"};</script>`,
			edit: modal("Keep reading with a Harbour Times subscription"), gone: "Keep reading with"},
		{name: "the same layer over a declared page with no locked flag", at: -1, paras: storyParas[:4], kind: news.PaywallMetered,
			head: declared + `<script id="site-paywall-js-extra">var sitePaywall = {"postId":"8842","locked":"0","loginUrl":"/login"};</script>`,
			edit: modal("Keep reading with a Harbour Times subscription"), gone: "Keep reading with"},
		{name: "a locked tier and a subscription layer after the teaser", at: -1, paras: storyParas[:4], kind: news.PaywallHard, truncated: true,
			head: declared + `<meta property="article:content_tier" content="locked">`,
			edit: modal("Subscribe now to read the latest news from the harbour"), gone: "Subscribe now to read the latest"},
		{name: "a metered tier and the same layer", at: -1, paras: storyParas[:4], kind: news.PaywallMetered,
			head: declared + `<meta property="article:content_tier" content="metered">`,
			edit: modal("Subscribe now to read the latest news from the harbour"), gone: "Subscribe now to read the latest"},
	}
	runWallCases(t, tests)
}
