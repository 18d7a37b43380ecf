package parser

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"newsdesk/news"
)

func TestResolveSelector(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<html><body><article><div class="body">
		<p>lede</p><div class="locked premium"></div></div>
		<div id="rest"></div><div class="paywall"></div><div class="paywalled-body" data-x="y"></div></article></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sel   string
		n     int
		valid bool
	}{
		{".paywall", 1, true},
		{"#rest", 1, true},
		{"article .body > .locked", 1, true},
		{".locked.premium", 1, true},
		{".paywall, #rest", 2, true},
		{" '.paywall' ", 1, true},             // quoted
		{"paywall", 1, true},                  // a class without its dot
		{"rest", 1, true},                     // an id without its hash
		{"div[class=paywalled-body", 1, true}, // unclosed bracket
		{`div[data-x="y`, 1, true},            // unclosed quote and bracket
		{".no-such-thing", 0, true},
		{"div:has-text(locked)", 0, false},
		{">>", 0, false},
		{"###", 0, false},
		{"", 0, false},
		{strings.Repeat(".a", 200), 0, false},
	}
	for _, tt := range tests {
		nodes, valid := resolveSelector(doc, tt.sel)
		if len(nodes) != tt.n || valid != tt.valid {
			t.Errorf("resolveSelector(%q) = %d nodes, valid %v; want %d, %v", tt.sel, len(nodes), valid, tt.n, tt.valid)
		}
	}
}

func TestClassifyAsk(t *testing.T) {
	tests := []struct {
		text      string
		want      ask
		continues bool
	}{
		{"Become a Subscriber. Please purchase a subscription to continue reading this article. Subscribe Now", subscribeAsk, true},
		{"Subscribe today and get the print edition for $9 a month. Subscribe", subscribeAsk, false},
		{"Create a free account to continue reading this story. Create account", subscribeAsk, true},
		{"The rest of this article is available to subscribers. See subscription options", subscribeAsk, true},
		{"You have 2 free articles left this month. Subscribe", meterAsk, false},
		{"You've reached your free article limit. Subscribe today.", meterAsk, false},
		{"This is your last free article this month.", meterAsk, false},
		{"Weiterlesen mit Plus. Jetzt abonnieren", subscribeAsk, true},
		{"Dieser Artikel ist exklusiv für Abonnenten. Jetzt testen", subscribeAsk, true},
		{"Sie können noch 3 kostenlose Artikel in diesem Monat lesen.", meterAsk, false},
		{"Lesen Sie den vollständigen Artikel für 0,49 €. Artikel kaufen", subscribeAsk, true},
		{"La suite de cet article est réservée aux abonnés. Je m’abonne", subscribeAsk, true},
		{"Abonnez-vous à Ouest Littoral : 1 € par mois. Je m’abonne", subscribeAsk, false},
		{"Il vous reste 2 articles gratuits ce mois-ci.", meterAsk, false},
		{"Para seguir leyendo, suscríbete. ¿Ya eres suscriptor? Inicia sesión", subscribeAsk, true},
		{"Te quedan 3 artículos gratis este mes.", meterAsk, false},
		{"Hazte suscriptor por 1 € al mes. Suscríbete", subscribeAsk, false},
		// Not walls.
		{"Get our newsletter in your inbox. Subscribe now, it's free.", signupAsk, false},
		{"Jetzt den kostenlosen Newsletter abonnieren. Abonnieren", signupAsk, false},
		{"Comments are for subscribers only. Subscribe now to join the conversation.", commentsAsk, false},
		{"Commenting is available to subscribers only.", commentsAsk, false},
		{"We use cookies to make our site work. Accept all cookies", consentAsk, false},
		{"Mit Werbung weiterlesen oder werbefrei mit Pur-Abo. Wir verwenden Cookies.", consentAsk, false},
		{"Our stories are free because readers chip in. Please make a donation today. Donate now", appealAsk, false},
		{"Unterstütze unseren Lokaljournalismus und werde Mitglied. Jetzt Mitglied werden", appealAsk, false},
		{"Soutenez-nous : faites un don dès 5 €. Faire un don", appealAsk, false},
		{"Continue reading", noAsk, false}, // an expander, not a wall
		{"Weiterlesen nach der Anzeige", noAsk, false},
		{"The mayor said the plan would go ahead.", noAsk, false},
	}
	for _, tt := range tests {
		a, continues := classifyAsk(tt.text)
		if a != tt.want || continues != tt.continues {
			t.Errorf("classifyAsk(%q) = %v, %v; want %v, %v", tt.text, a, continues, tt.want, tt.continues)
		}
	}
}

// TestVerdictTable walks the rows of the decision table in paywall.go on
// pages built from the ferry story.
func TestVerdictTable(t *testing.T) {
	const (
		ldFalse   = `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry Terminal to Close","isAccessibleForFree":false}</script>`
		ldTrue    = `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry Terminal to Close","isAccessibleForFree":true}</script>`
		piano     = `<script src="https://cdn.tinypass.com/api/tinypass.min.js"></script>`
		wall      = `<div class="offer"><h3>Subscribe to continue reading</h3><a href="/s">Subscribe</a></div>`
		soft      = `<div class="offer"><p>Enjoying the Times? Subscribe today from $1 a week.</p><a href="/s">Subscribe</a></div>`
		meter     = `<div class="banner">You have 2 free articles left this month. <a href="/s">Subscribe</a></div>`
		ogArticle = `<meta property="og:type" content="article">`
		overlay   = `<div class="tp-modal"><p>You've reached your free article limit.</p><a href="/s">See offers</a></div>`
	)
	tests := []struct {
		name    string
		head    string
		paras   int
		at      int
		block   string
		kind    news.PaywallKind
		signals []string
	}{
		{"script alone on a free story", piano, 6, -1, "", news.PaywallNone, []string{"script:piano"}},
		{"empty placeholder", "", 6, 2, `<div id="piano-inline" class="paywall-slot"></div>`, news.PaywallNone, []string{"vendor:piano", "markup:paywall"}},
		{"prompt in a free story", piano, 6, 1, soft, news.PaywallSoft, []string{"script:piano", "prompt:subscribe"}},
		{"prompt that says continue, at the end of a teaser", ogArticle, 1, 0, wall, news.PaywallHard, []string{"prompt:subscribe"}},
		{"same, but the page says the story is free", ldTrue, 1, 0, wall, news.PaywallSoft, []string{"prompt:subscribe"}},
		{"declared gated, whole text", ldFalse, 6, -1, "", news.PaywallMetered, []string{"jsonld:isAccessibleForFree=false"}},
		{"declared gated, wall mid-text", ldFalse, 6, 2, wall, news.PaywallMetered, []string{"jsonld:isAccessibleForFree=false", "prompt:subscribe"}},
		{"declared gated, wall after a teaser", ldFalse, 2, 1, wall, news.PaywallHard, []string{"jsonld:isAccessibleForFree=false", "prompt:subscribe"}},
		{"declared gated, short text, nothing after it", ldFalse, 1, -1, "", news.PaywallHard, []string{"jsonld:isAccessibleForFree=false"}},
		{"meter banner, whole text", "", 6, 0, meter, news.PaywallMetered, []string{"prompt:meter"}},
		{"meter banner on a page that says it is free", ldTrue, 6, 0, meter, news.PaywallSoft, []string{"prompt:meter"}},
		{"vendor overlay after a short whole text", "", 3, 2, overlay, news.PaywallMetered, []string{"vendor:piano", "wall:piano", "prompt:meter"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := parsePage(t, page(tt.head, storyParas[:tt.paras], tt.at, tt.block))
			if a.Paywall.Kind != tt.kind || a.Paywall.Truncated != (tt.kind == news.PaywallHard) || a.Paywall.Detected != (tt.kind != news.PaywallNone) {
				t.Errorf("Paywall = %+v, want %s", a.Paywall, tt.kind)
			}
			if !slices.Equal(a.Paywall.Signals, tt.signals) {
				t.Errorf("Signals = %q, want %q", a.Paywall.Signals, tt.signals)
			}
			for _, p := range storyParas[:tt.paras] {
				if !strings.Contains(a.Text, p) {
					t.Errorf("story paragraph lost: %q", p)
				}
			}
			for _, gone := range []string{"Subscribe", "free article", "See offers"} {
				if strings.Contains(a.Text, gone) {
					t.Errorf("Text still contains %q:\n%s", gone, a.Text)
				}
			}
		})
	}
}

// TestDeclaredPartBeatsLength checks that the measured gated part decides
// over the length heuristics both ways.
func TestDeclaredPartBeatsLength(t *testing.T) {
	ld := func(sel string) string {
		return fmt.Sprintf(`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry Terminal to Close","isAccessibleForFree":"False",
			"hasPart":{"@type":"WebPageElement","isAccessibleForFree":"False","cssSelector":%q}}</script>`, sel)
	}
	// A short story whose gated part holds its last paragraphs was served
	// whole, though it is shorter than a teaser.
	a := parsePage(t, page(ld(".gated"), []string{storyParas[0]}, 0, `<div class="gated"><p>`+storyParas[1]+`</p></div>`))
	if a.Paywall.Kind != news.PaywallMetered || !slices.Contains(a.Paywall.Signals, "gated-part=text") {
		t.Errorf("short whole story: %+v", a.Paywall)
	}
	// A long preview before an empty gated part is a teaser.
	a = parsePage(t, page(ld("#rest"), storyParas, 5, `<div id="rest"></div>`))
	if a.Paywall.Kind != news.PaywallHard || !slices.Contains(a.Paywall.Signals, "gated-part=empty") {
		t.Errorf("long preview: %+v", a.Paywall)
	}
	// A selector that does not parse falls back on the heuristics.
	a = parsePage(t, page(ld("div:has-text(x)"), storyParas, -1, ""))
	if a.Paywall.Kind != news.PaywallMetered || !slices.Contains(a.Paywall.Signals, "gated-part=invalid") {
		t.Errorf("invalid selector: %+v", a.Paywall)
	}
}

// TestNotAPrompt checks blocks that use subscription words without being a
// wall: they must leave the page free and, when they are story, the text
// whole.
func TestNotAPrompt(t *testing.T) {
	tests := []struct {
		name  string
		block string
		// story is true when the block is part of the story and must stay.
		story bool
	}{
		{"story sentence with a link", `<p>Viewers who subscribe now keep the old price until June, the company said in <a href="/business/netflix-results">its results</a> on Tuesday.</p>`, true},
		{"short quote", `<p>“Subscribers only, no exceptions,” the sign said.</p>`, true},
		{"offer price quoted in a story", `<p>The cheapest plan will stay at $6.99 a month.</p>`, true},
		{"declined to comment", `<p>The company declined to comment.</p>`, true},
		{"said in an email", `<p>She said in an email that the <a href="/x">plan</a> would go ahead.</p>`, true},
		{"read more expander", `<button class="expand">Continue reading</button>`, false},
		{"magazine ad under a photo", `<figure><img src="/a.jpg"><figcaption><a href="https://shop.example/mag">Get a subscription to our sister magazine</a></figcaption></figure>`, false},
		{"menu inside the article", `<ul class="article-menu"><li><a href="/subscribe">Subscribe now</a></li><li><a href="/paper">Today's paper</a></li><li><a href="/deals">Deals</a></li></ul>`, false},
		{"login widget named paywall", `<div class="paywall-login"><a href="/login">Login</a> <span class="paywall-sign-out">Log Out</span></div>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := parsePage(t, page("", storyParas, 2, tt.block))
			if a.Paywall.Kind != news.PaywallNone {
				t.Errorf("Paywall = %+v, want none", a.Paywall)
			}
			if tt.story {
				doc, _ := html.Parse(strings.NewReader(tt.block))
				if want := textOf(doc); !strings.Contains(a.Text, want) {
					t.Errorf("story line %q lost:\n%s", want, a.Text)
				}
			}
		})
	}
}

func TestOfferWording(t *testing.T) {
	for _, s := range []string{"1 € par mois pendant 3 mois", "einen Monat kostenlos, danach 9,99 € im Monat, jederzeit kündbar",
		"get access for $2 a week", "£4.99 a month", "por 1 € el primer mes"} {
		if !offerWording.MatchString(normalise(s)) {
			t.Errorf("offerWording misses %q", s)
		}
	}
	// A price without terms is not an offer. (A price per year in a story
	// is, but offer wording only lets a long line into a call to action;
	// it never makes one.)
	if s := "the fine was €18 million"; offerWording.MatchString(normalise(s)) {
		t.Errorf("offerWording matches %q", s)
	}
}
