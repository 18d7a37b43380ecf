package parser

import (
	"slices"
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheFifthBlindSet holds the general rules the fifth
// blind set called for, each on a page built from the fixture story: the
// kind a reader would give it, whether the text was cut, and the box kept
// out of the text.
func TestWallRulesFromTheFifthBlindSet(t *testing.T) {
	locked := `<meta property="article:content_tier" content="locked">` +
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`
	piano := func(config string) string {
		return `<script>` + config + `tp = window.tp || []; tp.push(["setAid", "x1"]); ` +
			`(function(s){var a=document.createElement("script");a.src=s;document.head.appendChild(a)})("https://cdn.tinypass.com/api/tinypass.min.js");</script>`
	}
	withLayer := func(page string) string {
		return strings.Replace(page, `<footer>`, `<div class="regwall" role="dialog" aria-modal="true"><h2>Create a free account to keep reading</h2>`+
			`<p>Register to read this story and three more free articles each month.</p><button>Register for free</button></div><footer>`, 1)
	}
	tests := []wallCase{
		{name: "a locked page's registration layer after the body ends the teaser", at: -1, paras: storyParas[:3],
			head: locked, edit: withLayer, kind: news.PaywallHard, truncated: true},
		{name: "the same layer over a full text on a locked page does not cut it", at: -1, paras: append(slices.Clone(storyParas), storyParas...),
			head: locked, edit: withLayer, kind: news.PaywallMetered},
		{name: "a Piano setup tagging the article metered declares it", at: -1, paras: storyParas, kind: news.PaywallMetered,
			head: piano(`tp = window.tp || []; tp.push(["setTags", ["technology", "metered"]]);`)},
		{name: "a Piano setup beside the page's premium config declares it", at: -1, paras: storyParas, kind: news.PaywallMetered,
			head: piano(`var article = {id: "A1", premium: "metered"};`)},
		{name: "a Piano setup alone declares nothing", at: -1, paras: storyParas, kind: news.PaywallNone, head: piano(``)},
		{name: "a Piano setup with premium false declares nothing", at: -1, paras: storyParas, kind: news.PaywallNone,
			head: piano(`var article = {premium: false};`)},
		{name: "a supporting contribution box", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<section class="epic"><h3>Before you go</h3><p>If you value this reporting, please consider supporting the Harbour Times with a contribution.</p><button>$5</button><a href="/contribute">Support the Times</a></section>`,
			gone:  "consider supporting"},
		{name: "a Finnish offer", at: 2, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="upsell"><p>Tilaa Sanomat Digi – ensimmäinen kuukausi 1 €, sen jälkeen 19,90 €/kk.</p><a href="/tilaa">Tutustu tarjoukseen</a></div>`,
			gone:  "19,90 €/kk"},
		{name: "a Danish prompt", at: 1, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><p>Bliv abonnent i dag.</p><a href="/abonnement">Se tilbud</a></div>`, gone: "Bliv abonnent"},
		{name: "a Norwegian wall ends a teaser", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true,
			head:  `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`,
			block: `<div class="wall"><h3>Denne artikkelen er for abonnenter</h3><p>Bli abonnent for å lese videre.</p><a href="/kjop">Kjøp abonnement</a></div>`,
			gone:  "for abonnenter"},
		{name: "a Greek prompt", at: 1, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><p>Γίνετε συνδρομητής σήμερα.</p><a href="/s">Προσφορές</a></div>`, gone: "συνδρομητής"},
		{name: "a Russian meter on a full text", at: 1, paras: storyParas, kind: news.PaywallMetered,
			block: `<div class="meter"><p>У вас осталось 2 бесплатные статьи в этом месяце.</p><a href="/p">Оформить подписку</a></div>`,
			gone:  "бесплатные статьи"},
		{name: "a Chinese members' wall ends a teaser", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true,
			head:  `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`,
			block: `<div class="vip"><p>本文为会员专享内容，订阅后继续阅读。</p><a href="/vip">开通会员</a> <a href="/login">已是会员？立即登录</a></div>`,
			gone:  "会员专享"},
		{name: "an Arabic donation box", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="donate"><h3>ادعم الصحافة المستقلة</h3><p>مساهمتك تضمن استمرارنا.</p><a href="/donate">تبرّع الآن</a></div>`,
			gone:  "ادعم"},
		{name: "a Hebrew prompt", at: 1, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><p>הכתבה המלאה למנויים בלבד.</p><a href="/m">רכשו מנוי</a></div>`, gone: "למנויים"},
		{name: "a Russian channel's subscribe button is no wall", at: 1, paras: storyParas, kind: news.PaywallNone,
			block: `<div class="box"><p>Наш Telegram-канал</p><a href="https://t.example/x">Подпишитесь</a></div>`},
	}
	runWallCases(t, tests)
}

// TestAMPOfferBesideServedContentIsNoCut: an AMP page that serves its
// content section with the story's prose, and beside it the offer AMP
// shows a reader without access, is metered and whole; with the content
// section empty, the offer is where the text stops.
func TestAMPOfferBesideServedContentIsNoCut(t *testing.T) {
	build := func(locked []string) string {
		var b strings.Builder
		b.WriteString(`<html lang="en"><head><title>Ferry</title><script async custom-element="amp-subscriptions" src="https://cdn.ampproject.org/v0/amp-subscriptions-0.1.js"></script>` +
			`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false,` +
			`"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".locked"}}</script></head><body><article><h1>Ferry</h1>`)
		b.WriteString(`<p>` + storyParas[0] + `</p><section class="locked" subscriptions-section="content">`)
		for _, p := range locked {
			b.WriteString(`<p>` + p + `</p>`)
		}
		b.WriteString(`</section><section class="paywall-prompt" subscriptions-section="content-not-granted"><h3>Subscribe to keep reading</h3>` +
			`<p>Unlimited access from £1 for your first month.</p><button subscriptions-action="subscribe">See subscription options</button></section></article></body></html>`)
		return b.String()
	}
	a := parsePage(t, []byte(build(storyParas[1:])))
	if a.Paywall.Kind != news.PaywallMetered || a.Paywall.Truncated || !strings.Contains(a.Text, storyParas[5]) || strings.Contains(a.Text, "from £1") {
		t.Errorf("served: Paywall = %+v, want metered and whole, offer out:\n%s", a.Paywall, a.Text)
	}
	if a := parsePage(t, []byte(build(nil))); a.Paywall.Kind != news.PaywallHard || !a.Paywall.Truncated {
		t.Errorf("empty content section: Paywall = %+v, want hard and truncated", a.Paywall)
	}
}

// TestJapaneseMeterOnFullTextIsNoCut: a meter toast on a served Japanese
// story is metered, not a cut: the story is measured in words of two
// characters, as prompts are, not in space-separated words.
func TestJapaneseMeterOnFullTextIsNoCut(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html lang="ja"><head><title>顔認証</title></head><body><article><h1>顔認証カメラ</h1>`)
	for range 6 {
		b.WriteString(`<p>首都圏の大型商業施設で、顔認証機能付きの防犯カメラの導入が相次いでいる。一方で、来店者への説明が不十分な例が多いことが、本紙の調べで分かった。</p>`)
	}
	b.WriteString(`</article><div class="meterToast" role="status"><p>今月の無料記事はあと<span>2</span>本です</p><a href="/subscribe/">有料会員になると読み放題</a></div></body></html>`)
	if a := parsePage(t, []byte(b.String())); a.Paywall.Kind != news.PaywallMetered || a.Paywall.Truncated {
		t.Errorf("Paywall = %+v, want metered, not truncated", a.Paywall)
	}
}

// TestLiveBlogAppealIsTheStorys: a donation box after a live blog whose
// entries are <article>s of their own is the story's box (soft): no single
// entry holds the story, so the box stands outside no story article.
func TestLiveBlogAppealIsTheStorys(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html lang="en"><head><title>Live</title><script type="application/ld+json">{"@type":"LiveBlogPosting","headline":"Live: the ferry hearing"}</script></head><body><main><h1>Live: the ferry hearing</h1><div class="live">`)
	for i := 0; i < len(storyParas); i += 2 {
		b.WriteString(`<article class="entry"><time>10:02</time><p>` + storyParas[i] + `</p><p>` + storyParas[i+1] + `</p></article>`)
	}
	b.WriteString(`</div><section class="epic"><h3>Our reporting is free for everyone</h3><p>Please make a donation today.</p><a href="/donate">Donate</a></section></main></body></html>`)
	if a := parsePage(t, []byte(b.String())); a.Paywall.Kind != news.PaywallSoft || strings.Contains(a.Text, "make a donation") {
		t.Errorf("Paywall = %+v, want soft and the box out of the text:\n%s", a.Paywall, a.Text)
	}
}
