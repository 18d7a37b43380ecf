package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheTenthBlindSet holds the general rules the tenth
// blind set called for, each on a page built from the fixture story.
func TestWallRulesFromTheTenthBlindSet(t *testing.T) {
	tests := []wallCase{
		{name: "a free account by the site's name", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="sticky-signup"><p>Never miss a sailing. Sign up for a free Harbour account.</p><a href="/register">Sign up free</a></div>`,
			gone:  "Never miss a sailing"},
		{name: "an ad-free plan in the story is no account offer", at: -1, kind: news.PaywallNone,
			paras: append(append([]string{}, storyParas...), "Sign up for a Hulu ad-free account for $11.99 a month.")},
		{name: "a French pay-what-you-want box", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><h3>Payez ce que vous voulez</h3><p>Choisissez votre montant.</p><a href="/don">Je soutiens le Harbour Times</a></div>`,
			gone:  "Choisissez votre montant"},
		{name: "a Portuguese registration meter", at: 1, paras: storyParas, kind: news.PaywallMetered,
			block: `<div class="aviso"><p>Esta reportagem é gratuita para leitores cadastrados. Você tem 1 reportagem gratuita restante este mês.</p><a href="/cadastro">Cadastre-se grátis</a></div>`,
			gone:  "reportagem gratuita"},
	}
	runWallCases(t, tests)
}

// TestOfferInTheArticlesFooter: an offer in the article's own footer
// closes the story (soft); the site's footer link stays furniture.
func TestOfferInTheArticlesFooter(t *testing.T) {
	offer := `<footer class="ArticlePage-articleFooter"><div class="tags"><a href="/t/ferries">Ferries</a></div>` +
		`<div class="PromoSubscription"><div>Local news has a fair price</div><div>Subscribe to the Harbour Times for $1 the first month.</div><a href="/subscribe">I want to subscribe</a></div></footer>`
	body := strings.Replace(string(page("", storyParas, -1, "")), `</div></article>`, `</div>`+offer+`</article>`, 1)
	if a := parsePage(t, []byte(body)); a.Paywall.Kind != news.PaywallSoft || strings.Contains(a.Text, "fair price") {
		t.Errorf("Paywall = %+v, want soft and the offer out of the text:\n%s", a.Paywall, a.Text)
	}
}

// TestAMPOfferLongerThanAPromptIsTheWall: AMP's not-granted offer with
// plans and perks, longer than a prompt, is the wall where the served
// content section holds only a loading line: the text stops there.
func TestAMPOfferLongerThanAPromptIsTheWall(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html lang="nl"><head><title>Wifi</title><script async custom-element="amp-subscriptions" src="https://cdn.ampproject.org/v0/amp-subscriptions-0.1.js"></script>` +
		`<meta property="article:content_tier" content="locked"><script type="application/ld+json">{"@type":"NewsArticle","headline":"Wifi","isAccessibleForFree":"False"}</script></head><body><article><h1>Wifi</h1>`)
	b.WriteString(`<div subscriptions-section="content-not-granted"><p>` + storyParas[0] + `</p><p>` + storyParas[1] + `</p></div>`)
	b.WriteString(`<section class="muur" subscriptions-section="content-not-granted"><h2>Lees verder met Het Dagkompas Digitaal</h2>` +
		`<p>Dit artikel is alleen beschikbaar voor abonnees. Met een digitaal abonnement leest u onbeperkt al onze onderzoeksjournalistiek.</p>` +
		`<ul><li>Onbeperkt toegang tot alle artikelen op site en app</li><li>De digitale krant vanaf 6.00 uur ’s ochtends</li><li>Elke dag opgezegd, geen kleine lettertjes</li></ul>` +
		`<p>Probeer 4 weken voor € 1, daarna € 18,50 per maand</p><a role="button">Word abonnee</a><p>Al abonnee? <a role="button">Log in</a></p></section>`)
	b.WriteString(`<div subscriptions-section="content"><p>Het volledige artikel wordt geladen…</p></div></article></body></html>`)
	a := parsePage(t, []byte(b.String()))
	if a.Paywall.Kind != news.PaywallHard || !a.Paywall.Truncated || strings.Contains(a.Text, "18,50") || !strings.Contains(a.Text, storyParas[1]) {
		t.Errorf("Paywall = %+v, want hard and truncated, the teaser kept and the offer out:\n%s", a.Paywall, a.Text)
	}
}
