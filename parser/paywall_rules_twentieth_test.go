package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheTwentiethBlindSet holds the general rules the
// twentieth blind set called for, each on a page built from the fixture
// story.
func TestWallRulesFromTheTwentiethBlindSet(t *testing.T) {
	locked := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":"False",` +
		`"hasPart":{"@type":"WebPageElement","isAccessibleForFree":"False","cssSelector":".body"}}</script>`
	// The site's header bar with a priced offer in it, above the logo.
	pricedHeader := func(page string) string {
		return strings.Replace(page, `<header class="site-header">`, `<header class="site-header"><div class="topbar-offer">`+
			`<p>Jornalismo local de verdade: assine o Harbour Times por R$ 1,90 no primeiro mês.</p><a class="btn" href="/assine">Assine agora</a></div>`, 1)
	}
	tests := []wallCase{
		{name: "a German lock line naming the product, over a teaser", at: 1, paras: storyParas[:2], kind: news.PaywallHard, truncated: true,
			head: locked, block: `<div class="paywall-target"><p>Dieser Artikel ist exklusiv für HA+-Abonnenten.</p>` +
				`<p>Bereits HA+-Abonnent? <a href="/login">Hier anmelden</a></p></div><template id="offer"><p>4 Wochen für 0,99 €</p></template>`,
			gone: "exklusiv für HA+-Abonnenten"},
		{name: "a Taiwanese recurring-donation box", at: 3, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="DonationInline"><h3>這篇調查花了我們六週時間</h3><p>如果你認同這樣的調查，歡迎定期定額支持我們，每月100元起。</p>` +
				`<a class="btn" href="/donate">我要支持</a></div>`,
			gone: "定期定額支持我們"},
		{name: "a podcast's patrons box in Spanish", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="sqs-block mecenas"><h3>Fuera de Registro existe gracias a sus oyentes</h3><p>Hazte mecenas del podcast desde 3 € al mes y recibe episodios extra.</p>` +
				`<a class="sqs-block-button-element" href="/mecenas">Unirme en Mecenas</a></div>`,
			gone: "Hazte mecenas"},
		{name: "an English patrons box", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="patron-box"><p>Become a patron of the show from $3 a month.</p><a class="button" href="/patrons">Become a patron</a></div>`,
			gone:  "Become a patron of the show"},
		{name: "a Polish sign-up box named as an upsell", at: 3, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="subscription-upsell"><h3>Podoba Ci się ten numer?</h3><p>Zapisz się za darmo, a każdy nowy numer trafi prosto na Twoją skrzynkę.</p>` +
				`<form action="/create"><input type="email" name="email"><button type="submit">Zapisz się</button></form></div>`,
			gone: "Zapisz się za darmo"},
		{name: "the same box named as a newsletter's stays furniture", at: 3, paras: storyParas, kind: news.PaywallNone,
			block: `<div class="newsletter-signup"><h3>Podoba Ci się ten numer?</h3><p>Zapisz się za darmo, a każdy nowy numer trafi prosto na Twoją skrzynkę.</p>` +
				`<form action="/create"><input type="email" name="email"><button type="submit">Zapisz się</button></form></div>`,
			gone: "Zapisz się za darmo"},
		{name: "a priced offer in the site's header bar", at: -1, paras: storyParas, kind: news.PaywallSoft, edit: pricedHeader,
			gone: "primeiro mês"},
	}
	runWallCases(t, tests)
}
