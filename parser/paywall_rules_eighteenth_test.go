package parser

import (
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheEighteenthBlindSet holds the general rules the
// eighteenth blind set called for, each on a page built from the fixture
// story.
func TestWallRulesFromTheEighteenthBlindSet(t *testing.T) {
	locked := `<meta property="article:content_tier" content="locked">` +
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`
	tests := []wallCase{
		{name: "a Mexican donation box", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<section class="donation-box"><h3>Este reportaje se sostiene con tu apoyo</h3><p>Si puedes, haz una aportación desde 50 pesos.</p>` +
				`<a class="kg-btn" href="/dona/?monto=50">$50</a> <a class="kg-btn" href="/dona/?mensual=1">Apoya cada mes</a></section>`,
			gone: "haz una aportación"},
		{name: "a Swedish donation form", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="donate-block"><form><h2>Stöd granskande journalistik</h2><p>Vill du bidra så att vi kan göra fler granskningar som den här?</p>` +
				`<label><input type="radio" name="v" value="100"> 100 kr</label><button type="submit">Ge ett bidrag</button></form></div>`,
			gone: "Ge ett bidrag"},
		{name: "a Czech membership bar named as the publisher's wall", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="sub-wall sub-wall--sticky"><p><strong>Deník Šifra čtete zdarma díky členům Klubu.</strong> Přidejte se k 14 200 čtenářům, kteří nezávislou žurnalistiku podporují.</p>` +
				`<a class="sub-wall__cta" href="/klub">Staňte se členem za 99 Kč měsíčně</a></div>`,
			gone: "Staňte se členem"},
		{name: "a Korean wall offering two months free is no meter", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true, head: locked,
			block: `<div class="paywall-box"><p>이 기사는 프리미엄 회원 전용입니다</p><p>월간 구독 월 9,900원</p><a href="/subscribe">구독하기</a>` +
				`<p>연간 구독 연 99,000원 (2개월 무료)</p><a href="/subscribe?y=1">구독하기</a></div>`,
			gone: "프리미엄 회원 전용"},
		{name: "an Argentine registration wall's lines", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true, head: locked,
			block: `<section class="Muro_muro__Vb1cE"><p>Para seguir leyendo, registrate gratis</p><p>Creá tu cuenta en Pampa Digital con tu mail o con Google y accedé a esta nota completa.</p>` +
				`<a class="Muro_boton" href="/registro">Crear cuenta gratis</a><p>¿Ya tenés cuenta? <a href="/ingresar">Ingresá</a></p></section>`,
			gone: "Crear cuenta gratis"},
	}
	runWallCases(t, tests)
}
