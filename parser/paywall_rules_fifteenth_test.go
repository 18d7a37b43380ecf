package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheFifteenthBlindSet holds the general rules the
// fifteenth blind set called for, each on a page built from the fixture
// story.
func TestWallRulesFromTheFifteenthBlindSet(t *testing.T) {
	declared := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false,` +
		`"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".body"}}</script>`
	// A layer at the top of the body saying the story goes on, as an Arc
	// theme renders it before the header.
	layerFirst := func(page string) string {
		return strings.Replace(page, `<body>`, `<body><div class="paywall-overlay" role="dialog" aria-modal="true"><p>Prenumerant</p>`+
			`<h2>Läs vidare med Harbour Digital</h2><p>1 kr första månaden, sedan 99 kr/mån.</p><a href="/kop">Bli prenumerant</a></div>`, 1)
	}
	fade := func(page string) string {
		return strings.Replace(layerFirst(page), `</div></article>`, `</div><div class="article__fade" aria-hidden="true"></div></article>`, 1)
	}
	tests := []wallCase{
		{name: "a Traditional Chinese wall priced in NT$", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true, head: declared,
			block: `<section class="box" role="dialog"><h2>訂閱解鎖全文</h2><p>成為數位報訂戶，無限暢讀深度調查與獨家報導。</p>` +
				`<p>NT$199／月</p><a class="btn-subscribe" href="/subscribe">立即訂閱</a><p>已經是訂戶？<a href="/login">登入</a></p></section>`,
			gone: "訂閱解鎖全文"},
		{name: "a Slovenian subscription box above the story", at: 0, paras: storyParas, kind: news.PaywallSoft,
			block: `<section class="podpora"><p>Naše novinarje plačujejo bralci. Podprite lokalno novinarstvo z naročnino že za 4,90 € na mesec.</p>` +
				`<a class="gumb" href="/narocnina">Postanite naročnik</a></section>`,
			gone: "Postanite naročnik"},
		{name: "Piano's zone named premium", at: -1, paras: storyParas, kind: news.PaywallMetered,
			head: `<script>tp = window.tp || []; tp.push(["setAid", "Xk4"]); tp.push(["setZone", "Article-Premium"]);</script>` +
				`<script async src="https://cdn.tinypass.com/api/tinypass.min.js"></script>`},
		{name: "Piano's zone named for a section", at: -1, paras: storyParas, kind: news.PaywallNone,
			head: `<script>tp = window.tp || []; tp.push(["setAid", "Xk4"]); tp.push(["setZone", "Article-Sport"]);</script>` +
				`<script async src="https://cdn.tinypass.com/api/tinypass.min.js"></script>`},
		{name: "a layer saying the story goes on, over a teaser ending under a fade", at: -1, paras: storyParas[:4], kind: news.PaywallHard, truncated: true,
			head: declared, edit: fade, gone: "Läs vidare med"},
		{name: "the same layer over a teaser with no fade", at: -1, paras: storyParas[:4], kind: news.PaywallMetered,
			head: declared, edit: layerFirst, gone: "Läs vidare med"},
		{name: "a supporter ask in Ghost's upgrade box", at: 0, paras: storyParas, kind: news.PaywallSoft,
			block: `<aside class="gh-post-upgrade-cta"><div class="gh-post-upgrade-cta-content"><h2>O jornalismo do Farol é pago por quem o lê</h2>` +
				`<p>Não temos publicidade. Se este trabalho lhe é útil, torne-se apoiante a partir de 3 € por mês.</p>` +
				`<a class="gh-btn" href="https://apoiar.example/">Quero apoiar</a></div></aside>`,
			gone: "torne-se apoiante"},
	}
	runWallCases(t, tests)
}
