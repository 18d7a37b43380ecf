package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheFourteenthBlindSet holds the general rules the
// fourteenth blind set called for, each on a page built from the fixture
// story.
func TestWallRulesFromTheFourteenthBlindSet(t *testing.T) {
	declared := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":"False"}</script>`
	// The layer stands at the top of the body, before the header and the
	// teaser, as a Brightspot theme renders it.
	modalFirst := func(page string) string {
		return strings.Replace(page, `<body>`, `<body><bsp-paywall-modal class="PaywallModal"><h2>This story is for subscribers</h2>`+
			`<p>Read every story without limits on the web and in the app. Digital: $1 for the first month, then $14 a month.</p>`+
			`<a href="/subscribe">Subscribe</a> <p>Already a subscriber? <a href="/login">Log in</a></p></bsp-paywall-modal>`, 1)
	}
	tests := []wallCase{
		{name: "a Hebrew sticky bar priced in shekels", at: -1, paras: storyParas, kind: news.PaywallSoft,
			edit: func(page string) string {
				return strings.Replace(page, `</body>`, `<div class="ze-sticky-bar" role="region"><p>עיתונות עצמאית לא נופלת מהשמיים. `+
					`הצטרפו למינוי הדיגיטלי ב־14.90 ₪ לחודש.</p><a href="/subscribe/">להצטרפות</a></div></body>`, 1)
			},
			gone: "הצטרפו למינוי"},
		{name: "a Hindi banner asking for a free registration", at: 0, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="reg-banner"><span>मुफ़्त रजिस्टर करें और रोज़ सुबह पाएं सबसे ज़रूरी ख़बरें सीधे अपने इनबॉक्स में।</span>` +
				`<a href="/user/register">अभी रजिस्टर करें</a></div>`,
			gone: "मुफ़्त रजिस्टर"},
		{name: "a donation callout linking to the newsroom's support page", at: 2, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="kg-callout-card"><div class="kg-callout-text"><strong>The Harbour Times is free for everyone, and reader-funded.</strong> ` +
				`If this story matters to you, chip in from $5 a month so we can keep digging. <a href="/support/?src=inline">Become a supporter</a></div></div>`,
			gone: "reader-funded"},
		// From trafilatura-dev page 0964 (La Prensa Gráfica): a membership
		// box of more than a prompt's words, its call a button-styled link.
		{name: "a long membership box with a button", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="gni-nota"><h2>Un público informado decide mejor. Por eso informar es un servicio de país. Apoya a los ciudadanos que creen en la democracia y hagamos país.</h2>` +
				`<p>Hacemos periodismo desde hace 106 años. Y ahora, como en otros periodos de la historia, el periodismo es fundamental para que la opinión pública se fortalezca y para que cada ciudadano pueda decidir con datos.` +
				`<br><br><strong>Hazte miembro y disfruta de beneficios exclusivos</strong></p><a class="gni-nota_button" href="https://ccc.example/">Hágase miembro ahora</a></div>`,
			gone: "Hacemos periodismo"},
		// From the twelfth set's 387 and trafilatura-dev page 0622: the
		// comments' login line, with no link, is no story.
		{name: "a forum's login line", at: 5, paras: storyParas, kind: news.PaywallNone,
			block: `<section class="community"><h2>Forum</h2><p>Diskutieren Sie mit: Um zu posten, melden Sie sich bitte mit Ihrem Konto an. Es gelten die Community-Richtlinien.</p></section>`,
			gone:  "Um zu posten"},
		{name: "a discussion's login line", at: 5, paras: storyParas, kind: news.PaywallNone,
			block: `<p>Sie müssen sich einloggen, um sich an einer Diskussion beteiligen zu können.</p>`, gone: "Sie müssen sich einloggen"},
		// From trafilatura-dev page 0767 (top agrar): a wall headed "Mit
		// top+ weiterlesen" and its packages priced in EUR by the year.
		{name: "a German wall reading on with the product, priced by the year", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true,
			head: declared,
			block: `<div class="wall-head"><h4>Mit Harbour+ weiterlesen</h4></div>` +
				`<div class="paywall-package"><span>Harbour Digital</span><p>Jahresabo</p><p><span>99,00 EUR</span> im 1. Jahr<br>danach 122,40 EUR / Jahr</p>` +
				`<a class="btn" href="/checkout?sku=digital01">Jetzt zuschlagen</a></div>`,
			gone: "122,40 EUR"},
		{name: "the wall's heading alone", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true, head: declared,
			block: `<div class="wall-head"><h4>Mit Harbour+ weiterlesen</h4></div><div class="paywall-package"><p>Jahresabo 99,00 EUR</p><a class="btn" href="/checkout">Jetzt zuschlagen</a></div>`,
			gone:  "weiterlesen"},
		{name: "a locked page's layer at the top of the body, over a teaser", at: -1, paras: storyParas[:4], kind: news.PaywallHard, truncated: true,
			head: declared + `<meta property="article:content_tier" content="locked">`, edit: modalFirst, gone: "This story is for subscribers"},
		{name: "the same layer on a metered page", at: -1, paras: storyParas[:4], kind: news.PaywallMetered,
			head: declared + `<meta property="article:content_tier" content="metered">`, edit: modalFirst, gone: "This story is for subscribers"},
	}
	runWallCases(t, tests)
}

// TestStoryAboutCommentLoginsKept: a story's own paragraph about logging in
// to comment, a sentence of reporting, stays in the text.
func TestStoryAboutCommentLoginsKept(t *testing.T) {
	line := "Since March, readers of the council's forum must log in with a verified account to post comments, a rule the opposition says has cut participation by half and that the council defends as a guard against abuse."
	paras := append(append([]string{}, storyParas[:3]...), line)
	paras = append(paras, storyParas[3:]...)
	if a := parsePage(t, page("", paras, -1, "")); !strings.Contains(a.Text, line) || a.Paywall.Kind != news.PaywallNone {
		t.Errorf("story paragraph lost or page flagged: kind %s, text %q", a.Paywall.Kind, a.Text)
	}
}
