package parser

import (
	"slices"
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheThirdBlindSet holds the general rules the third
// blind set called for, each on a page built from the fixture story: the
// kind a reader would give it, and the box kept out of the text.
func TestWallRulesFromTheThirdBlindSet(t *testing.T) {
	tests := []wallCase{
		{name: "offer terms and a call to action sell without a phrase", at: 1, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="amp-prompt"><p>Local news needs local support. Become a Harbour subscriber for $5 a month.</p><a href="/join?src=amp">Subscribe</a></div>`,
			gone:  "for $5 a month"},
		{name: "a Polish modal priced in złoty", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="modal-overlay" role="dialog"><h3>Dołącz do grona czytelników</h3><p>Prenumerata od 9,90 zł miesięcznie.</p><a href="/prenumerata">Wybierz pakiet</a></div>`,
			gone:  "9,90 zł"},
		{name: "a Substack-like box pricing its paid plans beside its e-mail field", at: 2, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="subscription-widget"><p>To receive new posts and support my work, consider becoming a paid subscriber.</p><form><input type="email"><button>Subscribe</button></form><p>$8/month or $80/year</p></div>`,
			gone:  "$80/year"},
		{name: "a story's price line without a call to action stays story", at: -1, kind: news.PaywallNone,
			paras: append(slices.Clone(storyParas), "Subscribers pay $5 a month.")},
		{name: "a members' event box gates nothing", at: 2, paras: storyParas, kind: news.PaywallNone,
			block: `<aside class="promo"><p>Veranstaltung</p><h3>Mitgliederabend: Passkeys in der Praxis</h3><p>Donnerstag, 12. März, 19 Uhr. Für Mitglieder kostenlos, Gäste 10 €.</p><a href="/events/passkeys">Jetzt anmelden</a></aside>`,
			gone:  "Mitgliederabend"},
		{name: "a membership tool's box pitching to give is an appeal", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="memberful-cta"><h3>Le Décodeur est financé par ses membres</h3><p>Devenez membre à partir de 6 $ par mois pour soutenir nos enquêtes.</p><a class="memberful-button" href="https://d.memberful.com/checkout?plan=1">Devenir membre</a></div>`,
			gone:  "pour soutenir"},
		{name: "an overlay in the story's flow that says it is reserved ends the teaser", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true,
			block: `<div class="PaywallOverlay_root"><p>This article is reserved for subscribers.</p><p>Subscribe for $1 a week.</p><a href="/subscribe">See the offer</a></div>`,
			gone:  "reserved for subscribers"},
		{name: "a sponsored product box is not story", at: 3, paras: storyParas, kind: news.PaywallNone,
			block: `<div class="review-box"><h3>FerryPass Premium at a glance</h3><ul><li>Price: 6.99 a month</li><li>Devices: 10</li></ul><a class="btn-affiliate" rel="sponsored" href="https://go.example.net/fp">See the offer</a></div>`,
			gone:  "at a glance"},
		{name: "a Swedish prompt", at: 1, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><p>Bli prenumerant idag.</p><a href="/x">Läs mer</a></div>`, gone: "Bli prenumerant"},
		{name: "a Czech prompt", at: 1, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><p>Předplaťte si náš deník.</p><a href="/y">Více</a></div>`, gone: "Předplaťte"},
		{name: "a Korean prompt", at: 1, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><p>유료 회원이 되세요</p><a href="/z">확인</a></div>`, gone: "유료 회원"},
		{name: "a Korean YouTube subscribe button is no wall", at: 1, paras: storyParas, kind: news.PaywallNone,
			block: `<div class="box"><p>유튜브 채널</p><a href="https://youtube.example/c/x">구독하기</a></div>`},
		{name: "a Turkish prompt", at: 1, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><p>Dijital abonelik ile sınırsız okuyun.</p><a href="/w">Devam</a></div>`, gone: "Dijital abonelik"},
		{name: "a Swedish registration wall ends a teaser", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true,
			head:  `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`,
			block: `<div class="login-wall"><h3>Logga in för att läsa vidare</h3><p>Skapa ett kostnadsfritt konto för att läsa hela artikeln.</p><a class="btn" href="/konto/skapa">Skapa gratiskonto</a></div>`,
			gone:  "läsa vidare"},
	}
	runWallCases(t, tests)
}

// wallCase is a page built from the fixture story (see page), changed by
// edit when it is set, and what a reader would say of it: its kind,
// whether the text was cut, and a piece of the box that must not reach the
// text.
type wallCase struct {
	name, head, block string
	at                int
	paras             []string
	edit              func(page string) string
	kind              news.PaywallKind
	truncated         bool
	gone              string
}

// runWallCases parses each case's page and checks the verdict, the box
// kept out and the story's last paragraph kept.
func runWallCases(t *testing.T, tests []wallCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.block != "" && (tt.at < 0 || tt.at >= len(tt.paras)) {
				t.Fatalf("block placed after paragraph %d of %d: it would never be on the page", tt.at, len(tt.paras))
			}
			body := string(page(tt.head, tt.paras, tt.at, tt.block))
			if tt.edit != nil {
				body = tt.edit(body)
			}
			a := parsePage(t, []byte(body))
			if a.Paywall.Kind != tt.kind || a.Paywall.Truncated != tt.truncated {
				t.Errorf("Paywall = %+v, want %s truncated=%v", a.Paywall, tt.kind, tt.truncated)
			}
			if tt.gone != "" && strings.Contains(a.Text, tt.gone) {
				t.Errorf("box text %q left in the text:\n%s", tt.gone, a.Text)
			}
			if last := tt.paras[len(tt.paras)-1]; !strings.Contains(a.Text, last) {
				t.Errorf("last paragraph lost:\n%s", a.Text)
			}
		})
	}
}

// TestGatedPartInJapaneseHoldsText: a declared gated part of Japanese
// paragraphs holds the text (metered), though it has almost no spaces.
func TestGatedPartInJapaneseHoldsText(t *testing.T) {
	head := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"顔認証","isAccessibleForFree":"False",` +
		`"hasPart":{"@type":"WebPageElement","isAccessibleForFree":"False","cssSelector":".paywall-body"}}</script>`
	var b strings.Builder
	b.WriteString(`<html lang="ja"><head><title>顔認証カメラ</title>` + head + `</head><body><article><h1>顔認証カメラ</h1><div class="paywall-body">`)
	for range 6 {
		b.WriteString(`<p>首都圏の大型商業施設で、顔認証機能付きの防犯カメラの導入が相次いでいる。一方で、来店者への説明が不十分な例が多いことが、本紙の調べで分かった。</p>`)
	}
	b.WriteString(`</div></article></body></html>`)
	a := parsePage(t, []byte(b.String()))
	if a.Paywall.Kind != news.PaywallMetered || !slices.Contains(a.Paywall.Signals, "gated-part=text") {
		t.Errorf("Paywall = %+v, want metered with gated-part=text", a.Paywall)
	}
}

// TestSiteAppealOutsideTheArticleIsFurniture: a donation box named as a
// footer after the <article>, the site's standing appeal, makes no page
// soft; a box after the article not so named, or inside it, does.
func TestSiteAppealOutsideTheArticleIsFurniture(t *testing.T) {
	box := func(class string) string {
		return `<section class="` + class + `"><h3>We are a nonprofit newsroom</h3><p>Please make a donation today.</p><a class="btn-donate" href="/donate/">Donate</a></section>`
	}
	after := func(b string) []byte {
		return []byte(strings.Replace(string(page("", storyParas, -1, "")), `</article>`, `</article>`+b, 1))
	}
	if a := parsePage(t, after(box("donation-footer"))); a.Paywall.Kind != news.PaywallNone || strings.Contains(a.Text, "nonprofit newsroom") {
		t.Errorf("footer after the article: Paywall = %+v, want none and the box out of the text", a.Paywall)
	}
	if a := parsePage(t, after(box("donation"))); a.Paywall.Kind != news.PaywallSoft {
		t.Errorf("box after the article: Paywall = %+v, want soft", a.Paywall)
	}
	if a := parsePage(t, page("", storyParas, 5, box("donation-footer"))); a.Paywall.Kind != news.PaywallSoft {
		t.Errorf("inside: Paywall = %+v, want soft", a.Paywall)
	}
}
