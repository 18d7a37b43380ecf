package parser

import (
	"slices"
	"strings"
	"testing"

	"newsdesk/news"
)

// Rules added for the second blind set (issue 13, pages 37-72): donation
// boxes are soft prompts, offers beat newsletter words, Dutch, Italian and
// Portuguese wording, and a barrier that says the article is reserved ends
// a teaser even when the declared gated part holds it. Each case is a
// minimal page of its own, not a blind page.

// TestDonationBoxIsSoft: a box in the story that asks for a donation makes
// a free page soft and is stripped; a donate link in the masthead or a
// line in the footer is furniture and leaves it none.
func TestDonationBoxIsSoft(t *testing.T) {
	box := `<div class="appeal"><h3>Before you go</h3><p>Our newsroom is a nonprofit. If you value this reporting, please make a donation today.</p>` +
		`<a class="button" href="/donate/">Donate now</a></div>`
	// A donation "epic": a paragraph of pitch longer than a prompt's, and
	// amount buttons.
	epic := `<div class="epic"><h2>… there is a good reason why few newsrooms could report this story.</h2>` +
		`<p>Investigations like this one take months and cost a great deal. We have no shareholders and no billionaire owner, ` +
		`and our journalism is free for everyone to read. That is only possible because readers chip in. If you can, please ` +
		`support us today with a single or monthly contribution, however big or small it is.</p>` +
		`<div><button>£4</button><button>£10</button><button>Other</button></div><a href="/contribute">Support the Harbour Times</a>` +
		`<p>Remind me in November</p></div>`
	polish := `<div id="wsparcie"><h3>Wesprzyj nas</h3><p>Harbour Times to niezależna redakcja utrzymywana przez czytelników. ` +
		`Każda wpłata pomaga nam patrzeć władzy na ręce.</p><p><a href="/wesprzyj/?kwota=20">20 zł</a> <a href="/wesprzyj/?kwota=50">50 zł</a></p>` +
		`<p><a href="/wesprzyj/">Przekaż darowiznę</a></p></div>`
	tests := []struct {
		name, block, gone string
		at                int
		kind              news.PaywallKind
	}{
		{"donation box after the story", box, "make a donation", len(storyParas) - 1, news.PaywallSoft},
		{"donation epic with amount buttons", epic, "single or monthly contribution", len(storyParas) - 1, news.PaywallSoft},
		{"Polish donation box", polish, "Wesprzyj nas", len(storyParas) - 1, news.PaywallSoft},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := parsePage(t, page("", storyParas, tt.at, tt.block))
			if a.Paywall.Kind != tt.kind || !slices.Contains(a.Paywall.Signals, "prompt:donate") {
				t.Errorf("Paywall = %+v, want %s with prompt:donate", a.Paywall, tt.kind)
			}
			if strings.Contains(a.Text, tt.gone) {
				t.Errorf("box text %q left in the text:\n%s", tt.gone, a.Text)
			}
			if !strings.Contains(a.Text, storyParas[len(storyParas)-1]) {
				t.Errorf("last paragraph lost:\n%s", a.Text)
			}
		})
	}
	t.Run("donate link in the masthead and footer", func(t *testing.T) {
		body := strings.Replace(string(page("", storyParas, -1, "")), `</footer>`,
			`<p>We are a nonprofit newsroom. <a href="/donate/">Donate</a></p></footer>`, 1)
		body = strings.Replace(body, `<a href="/news">News</a>`, `<a href="/news">News</a> <a href="/donate/">Donate</a>`, 1)
		if a := parsePage(t, []byte(body)); a.Paywall.Kind != news.PaywallNone {
			t.Errorf("Paywall = %+v, want none", a.Paywall)
		}
	})
}

// TestAppealInsideWallIsTheWallsOffer: "Become a member for $6 a month"
// inside a membership tool's barrier is the wall's offer, not a donation
// box.
func TestAppealInsideWallIsTheWallsOffer(t *testing.T) {
	wall := `<div class="memberful-global-marketing-content"><p>This explainer is for Harbour Times members.</p>` +
		`<p><a href="https://ht.memberful.com/checkout?plan=1">Become a member</a> for $6 a month.</p></div>`
	head := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry Terminal to Close"}</script>`
	a := parsePage(t, page(head, storyParas[:2], 1, wall))
	if a.Paywall.Kind != news.PaywallHard || slices.Contains(a.Paywall.Signals, "prompt:donate") {
		t.Errorf("Paywall = %+v, want hard without prompt:donate", a.Paywall)
	}
}

// TestOfferBeatsNewsletterWords: a box that sells a subscription with an
// offer's terms, or a paid membership, is a subscription prompt though it
// also promises a newsletter in the inbox; so is Substack's widget asking
// for "a free or paid subscriber" to "support my work", e-mail field and
// all (blind writers read it as a prompt).
func TestOfferBeatsNewsletterWords(t *testing.T) {
	tests := []struct {
		name, block string
		kind        news.PaywallKind
	}{
		{"subscribe with a price", `<div class="sub-wall" id="subscription-upsell"><h4>Local news needs local support</h4>` +
			`<p>The Times has covered the harbour for 120 years. Subscribe for $1 a week and get every story, the e-edition and our morning newsletter.</p>` +
			`<a class="btn" href="/subscribe/">Subscribe now</a></div>`, news.PaywallSoft},
		{"paid membership", `<section class="cta"><h3>Become a paid member</h3>` +
			`<p>Support independent reporting and get our weekly deep dive in your inbox.</p><a class="btn" href="#/portal/signup">Subscribe</a></section>`,
			news.PaywallSoft},
		{"free or paid subscriber widget", `<div class="subscription-widget"><p>Harbour Times is a reader-supported publication. ` +
			`To receive new posts and support my work, consider becoming a free or paid subscriber.</p>` +
			`<form><input type="email" placeholder="Type your email…"><input type="submit" value="Subscribe"></form></div>`, news.PaywallSoft},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := parsePage(t, page("", storyParas, 2, tt.block))
			if a.Paywall.Kind != tt.kind {
				t.Errorf("Paywall = %+v, want %s", a.Paywall, tt.kind)
			}
			for _, gone := range []string{"morning newsletter", "Become a paid member", "free or paid subscriber"} {
				if strings.Contains(a.Text, gone) {
					t.Errorf("box text %q left in the text:\n%s", gone, a.Text)
				}
			}
		})
	}
}

// TestMoreLanguagesAsk: the subscription, registration, donation and
// continuation wording of Dutch, Italian and Portuguese, and joining a
// publication to read it.
func TestMoreLanguagesAsk(t *testing.T) {
	tests := []struct {
		text      string
		ask       ask
		continues bool
	}{
		{"Word abonnee", subscribeAsk, false},
		{"Lees onbeperkt met een digitaal abonnement van de Krant. Nu de eerste maand voor € 1.", subscribeAsk, false},
		{"Dit artikel is alleen voor abonnees. Lees verder met een abonnement.", subscribeAsk, true},
		{"Registreer gratis en lees verder", subscribeAsk, true},
		{"Steun onze journalistiek: doneer nu", appealAsk, false},
		{"Abbonati ora: il primo mese a 1 euro", subscribeAsk, false},
		{"Questo articolo è riservato agli abbonati. Per continuare a leggere accedi.", subscribeAsk, true},
		{"Sostienici con una donazione", appealAsk, false},
		{"Assine já e tenha acesso ilimitado", subscribeAsk, false},
		{"Conteúdo exclusivo para assinantes. Para continuar lendo, faça login.", subscribeAsk, true},
		{"Apoie o jornalismo independente: faça uma doação", appealAsk, false},
		{"Join the Harbour Times to read our investigations, with new reporting every week.", subscribeAsk, false},
		// Story prose with the same words asks nothing.
		{"De abonnees van het netwerk betaalden vorig jaar meer.", noAsk, false},
		{"Gli abbonati a Netflix sono cresciuti del 10 per cento.", noAsk, false},
		{"Thousands joined the protest on Saturday.", noAsk, false},
	}
	for _, tt := range tests {
		a, continues := classifyAsk(tt.text)
		if a != tt.ask || continues != tt.continues {
			t.Errorf("classifyAsk(%q) = %v, %v; want %v, %v", tt.text, a, continues, tt.ask, tt.continues)
		}
	}
	// A plain box with no class or id mid-story, as a Dutch paper prints it.
	box := `<div><p><strong>Word abonnee</strong></p><p>Lees onbeperkt met een digitaal abonnement van de Krant. Nu de eerste maand voor € 1.</p>` +
		`<p><a href="/abonneren">Bekijk de mogelijkheden</a></p></div>`
	a := parsePage(t, page("", storyParas, 2, box))
	if a.Paywall.Kind != news.PaywallSoft || strings.Contains(a.Text, "abonnee") || !strings.Contains(a.Text, storyParas[3]) {
		t.Errorf("Paywall = %+v, want soft with the box stripped and the story kept; text:\n%s", a.Paywall, a.Text)
	}
}

// TestReservedBarrierEndsTeaser: with the article declared not free and
// the declared gated part holding the text, a teaser that stops at a
// barrier saying the article is reserved ("for members only") is cut, as
// it is behind a locked tier; the whole story before such a barrier is
// metered, and so is a teaser under a declared metered tier (see
// TestLockedTierEndsAtOffer).
func TestReservedBarrierEndsTeaser(t *testing.T) {
	const ld = `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry Terminal to Close","isAccessibleForFree":false,
		"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".body"}}</script>`
	wall := `</div><section class="paywall-box"><h3>This article is for members only</h3><ul><li>Monthly — $8/month</li><li>Annual — $80/year</li></ul>` +
		`<p><a class="button" href="/checkout">Join the Harbour Times</a></p><p>Already a member? <a href="/login">Sign in</a></p></section><div>`
	whole := append(append(append([]string{}, storyParas...), storyParas...), storyParas...)
	tests := []struct {
		name  string
		paras []string
		kind  news.PaywallKind
	}{
		{"teaser then reserved barrier", storyParas[:3], news.PaywallHard},
		{"whole story then reserved barrier", whole, news.PaywallMetered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := parsePage(t, page(ld, tt.paras, len(tt.paras)-1, wall))
			if a.Paywall.Kind != tt.kind || a.Paywall.Truncated != (tt.kind == news.PaywallHard) {
				t.Errorf("Paywall = %+v, want %s", a.Paywall, tt.kind)
			}
			for _, gone := range []string{"members only", "Join the Harbour Times", "Already a member"} {
				if strings.Contains(a.Text, gone) {
					t.Errorf("offer text %q left in the text:\n%s", gone, a.Text)
				}
			}
		})
	}
}

// TestFreeAMPWallNamedBoxIsNoPrompt: on an AMP page that says the article
// is free, a box class-named like a wall that AMP shows only to readers
// without access is no prompt: the page is none.
func TestFreeAMPWallNamedBoxIsNoPrompt(t *testing.T) {
	head := `<script async custom-element="amp-subscriptions" src="https://cdn.ampproject.org/v0/amp-subscriptions-0.1.js"></script>` +
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry Terminal to Close","isAccessibleForFree":true}</script>`
	body := strings.Replace(string(page(head, storyParas, -1, "")), `<div class="body">`, `<div class="body" subscriptions-section="content">`, 1)
	body = strings.Replace(body, `</article>`, `<section subscriptions-section="content-not-granted" class="wall"><h3>Subscribe to keep reading</h3>`+
		`<p>Get unlimited access from $1 a week.</p><button subscriptions-action="subscribe" subscriptions-display="NOT granted">Subscribe</button></section></article>`, 1)
	a := parsePage(t, []byte(body))
	if a.Paywall.Kind != news.PaywallNone || strings.Contains(a.Text, "keep reading") {
		t.Errorf("Paywall = %+v, want none with the box stripped; text:\n%s", a.Paywall, a.Text)
	}
}
