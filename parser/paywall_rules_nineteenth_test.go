package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheNineteenthBlindSet holds the general rules the
// nineteenth blind set called for, each on a page built from the fixture
// story.
func TestWallRulesFromTheNineteenthBlindSet(t *testing.T) {
	namesPart := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false,` +
		`"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".body"}}</script>`
	noPart := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`
	// A full-screen layer after the page's footer saying the story goes on.
	layer := func(page string) string {
		return strings.Replace(page, `</body>`, `<div class="Paywall-overlay" role="dialog" aria-modal="true"><h2>Keep reading with a Harbour subscription</h2>`+
			`<p>This story is for subscribers. Choose a plan to continue.</p><p>Digital $2.99/month</p><a class="Button" href="/subscribe">View all plans</a></div></body>`, 1)
	}
	tests := []wallCase{
		{name: "a Hong Kong site's donation box saying every story is free to read", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="donate-box"><h2>支持港聲新聞</h2><p>港聲新聞不設付費牆，所有報道免費閱讀，全靠讀者支持維持運作。請考慮每月捐款支持我們。</p>` +
				`<a href="/donate?amount=50">HK$50</a> <a class="button" href="/donate">立即捐款</a></div>`,
			gone: "所有報道免費閱讀"},
		{name: "a Quebec donation box with French buttons", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="appel-dons"><h2>Le Courant est gratuit, mais il n'est pas gratuit à produire</h2><p>Nos enquêtes sont accessibles à tous, sans abonnement. ` +
				`Elles sont financées par des milliers de lectrices et de lecteurs. Un don de 10 $ par mois nous permet de continuer. Reçu fiscal pour tout don de 20 $ et plus, envoyé chaque année en février.</p>` +
				`<a class="bouton" href="/don?montant=10">10 $ / mois</a> <a class="bouton" href="/don">Don unique</a></div>`,
			gone: "Un don de 10 $"},
		{name: "a Romanian supporters' layer", at: 0, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="sub-wall" role="dialog"><p>Reporter Civic rămâne gratuit pentru toți.</p><p>Devino abonat susținător de la 15 lei pe lună.</p>` +
				`<a class="btn" href="/sustine">Susține</a></div>`,
			gone: "Devino abonat"},
		{name: "a layer saying the story goes on, over a named gated part holding a teaser", at: -1, paras: storyParas[:4], kind: news.PaywallHard, truncated: true,
			head: namesPart, edit: layer, gone: "Keep reading with"},
		{name: "the same layer on a declared page naming no part", at: -1, paras: storyParas[:4], kind: news.PaywallMetered,
			head: noPart, edit: layer, gone: "Keep reading with"},
		{name: "the reporters' bios after the wall", at: 3, paras: storyParas[:4], kind: news.PaywallHard, truncated: true, head: namesPart,
			block: `<section class="Paywall_wall__R5vPz"><h2>This article is for subscribers</h2><p>$39/month</p><a class="Button_primary" href="/subscribe">Choose monthly</a></section>` +
				`<div class="AuthorBio_root__eW0pK"><h3>About the reporters</h3><p>Marcus Trevino-Hale covers surveillance technology and law enforcement from Washington, and before that spent eight years reporting on courts for newspapers in Texas.</p></div>`,
			gone: "About the reporters"},
	}
	runWallCases(t, tests)
}
