package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheSeventhBlindSet holds the general rules the seventh
// blind set called for, each on a page built from the fixture story.
func TestWallRulesFromTheSeventhBlindSet(t *testing.T) {
	declared := func(selector string) string {
		return `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":"False",` +
			`"hasPart":{"@type":"WebPageElement","isAccessibleForFree":"False","cssSelector":"` + selector + `"}}</script>`
	}
	tests := []wallCase{
		{name: "a sustaining membership with a give button", at: 1, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="PromoDonate"><div>Local reporting like this is funded by listeners.</div><div>Become a sustaining member for $10 a month and help keep local news on the air.</div><a href="https://give.example/">Give now</a></div>`,
			gone:  "sustaining member"},
		{name: "a Dutch membership box", at: 2, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><p>Wij hebben geen adverteerders.</p><a href="/lid">Ja, ik word lid</a></div>`, gone: "ik word lid"},
		{name: "a Turkish supporter banner", at: 2, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="banner"><p>Bu haberi okurlar mümkün kıldı.</p><a href="/destek">Destekçi ol</a></div>`, gone: "Destekçi ol"},
		{name: "a membership box named for members, with a line of prose", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<section class="partner-box" id="socios-final"><h2>Esta información existe porque alguien la paga</h2>` +
				`<p>En el Harbour Times no cerramos las noticias con muros de pago: queremos que todo el mundo pueda leerlas, y eso solo es posible gracias a quienes ya son socias.</p>` +
				`<a href="/socios/?cuota=6">6 €/mes</a> <a href="/socios/">Hazte socio/a del Harbour Times</a></section>`,
			gone: "alguien la paga"},
		{name: "a Portuguese meter bar", at: 5, paras: storyParas, kind: news.PaywallMetered,
			block: `<div class="barra-medidor" role="status"><span>Você leu 3 de 7 reportagens gratuitas deste mês.</span><a href="/assine">Assine por R$ 1,90 no primeiro mês</a></div>`,
			gone:  "reportagens gratuitas"},
		{name: "a gated part served with the story's prose is no cut, though a wall follows", at: 5, paras: storyParas, kind: news.PaywallMetered,
			head:  declared(".body"),
			block: `<div class="barrier"><h3>Subscribe to unlock this article</h3><p>Try unlimited access for 4 weeks for £1.</p><a href="/subscribe">Try full digital access</a></div>`,
			gone:  "4 weeks for £1"},
		{name: "a teaser's gated part and the same wall is a cut", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true,
			head:  declared(".body"),
			block: `<div class="barrier"><h3>Subscribe to unlock this article</h3><p>Try unlimited access for 4 weeks for £1.</p><a href="/subscribe">Try full digital access</a></div>`,
			gone:  "4 weeks for £1"},
	}
	runWallCases(t, tests)
}

// TestOverlayAfterTheTeaserBlockEndsIt: a wall drawn as a dialog right
// after the block that holds the teaser's paragraphs is in the story's
// flow: on a declared page the text stops there.
func TestOverlayAfterTheTeaserBlockEndsIt(t *testing.T) {
	head := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":"False"}</script>`
	wall := `<div class="c-paywall" role="dialog"><p>Conteúdo exclusivo para assinantes</p><h3>Continue lendo com o Harbour Times</h3>` +
		`<a href="/assine">Assine por R$ 1,90 no primeiro mês</a> <a href="/login">Já é assinante? Entre</a></div>`
	body := strings.Replace(string(page(head, storyParas[:3], -1, "")), `</div></article>`, `</div>`+wall+`</article>`, 1)
	a := parsePage(t, []byte(body))
	if a.Paywall.Kind != news.PaywallHard || !a.Paywall.Truncated || strings.Contains(a.Text, "exclusivo") {
		t.Errorf("Paywall = %+v, want hard and truncated, the wall out of the text:\n%s", a.Paywall, a.Text)
	}
}
