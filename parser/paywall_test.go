package parser

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"newsdesk/news"
)

// storyParas are plain prose paragraphs for building test pages.
var storyParas = []string{
	"The harbour authority said on Monday that it would close the old ferry terminal at the end of the summer, after engineers found that the pier could no longer carry the weight of modern vehicles.",
	"Commuters who use the morning crossing will be moved to the new terminal on the east bank, which opened two years ago but has mostly served freight. The authority promised extra buses between the two sites.",
	"Local business owners near the old terminal said they feared losing the trade that the ferry brings each morning. Several cafés depend almost entirely on passengers waiting for the boat, one owner said.",
	"The authority has not decided what will happen to the site. A consultation on its future will open in the autumn, and residents will be invited to submit ideas for housing, parks or a new market hall.",
	"Engineers first raised concerns about the pier in a report three years ago, which found corrosion in the steel piles that hold up the deck. Weight limits were imposed soon afterwards, and lorries were banned from the crossing last spring.",
	"The terminal opened in 1962 and at its peak carried more than two million passengers a year. Numbers have fallen steadily since the road bridge opened upstream, and last year fewer than 400,000 people used the service.",
}

// page builds an article page: head markup, then the story paragraphs with
// block inserted after the paragraph at index at (or no block when at < 0).
func page(head string, paras []string, at int, block string) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><title>Ferry Terminal to Close | Harbour Times</title>` + head + `</head><body>`)
	b.WriteString(`<header class="site-header"><a href="/">Harbour Times</a><nav><a href="/news">News</a></nav><a class="btn" href="/subscribe">Subscribe now</a></header>`)
	b.WriteString(`<article><h1>Ferry Terminal to Close</h1><div class="body">`)
	for i, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", p)
		if i == at {
			b.WriteString(block)
		}
	}
	b.WriteString(`</div></article><footer><a href="/subscribe">Subscribe</a></footer></body></html>`)
	return []byte(b.String())
}

func parsePage(t *testing.T, body []byte) news.Article {
	t.Helper()
	a, err := New(Options{}).Parse("https://harbourtimes.example/news/ferry", body)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return a
}

func TestPaywallPrompts(t *testing.T) {
	tests := []struct {
		name  string
		head  string
		at    int
		block string
		kind  news.PaywallKind
		// gone must not be in the text.
		gone string
	}{
		{"no prompt", "", -1, "", news.PaywallNone, ""},
		{"English prompt with button", "", 1,
			`<div class="box"><h3>Become a Subscriber</h3><p>Please purchase a subscription to continue reading this article.</p><a href="/s">Subscribe Now</a></div>`,
			news.PaywallSoft, "purchase"},
		{"French prompt", "", 1,
			`<div class="encart"><p>Cet article vous intéresse ?</p><a href="/abo">Abonnez-vous</a><p>Déjà abonné ? <a href="/login">Connectez-vous</a></p></div>`,
			news.PaywallSoft, "Abonnez"},
		{"Spanish prompt", "", 1,
			`<div class="caja"><p>Disfruta de todo nuestro periodismo.</p><a href="/suscripcion">Suscríbete</a></div>`,
			news.PaywallSoft, "Suscríbete"},
		{"German prompt", "", 2,
			`<section class="hinweis"><h4>Weiterlesen mit Plus</h4><button>Jetzt abonnieren</button></section>`,
			news.PaywallSoft, "abonnieren"},
		{"newsletter box is not a wall", "", 1,
			`<div class="box"><h3>Morning Briefing</h3><p>Get our newsletter in your inbox. Subscribe now!</p><form><input type="email" name="email"><button>Sign up</button></form></div>`,
			news.PaywallNone, "Morning Briefing"},
		{"comment gate is not a wall", "", 3,
			`<div class="talk"><p>Comments are for subscribers only. <a href="/s">Subscribe now</a> to join the conversation.</p></div>`,
			news.PaywallNone, ""},
		{"prose about subscribing is not a wall", "", 1,
			`<p>Passengers were urged to subscribe now to the authority's text alerts, which will announce the final sailing date and the new bus timetable, the spokeswoman said, adding that the service is free.</p>`,
			news.PaywallNone, ""},
		{"microdata marks the page gated", `<meta itemprop="isAccessibleForFree" content="False">`, -1, "",
			news.PaywallMetered, ""},
		{"content tier locked with full text", `<meta property="article:content_tier" content="locked">`, -1, "",
			news.PaywallMetered, ""},
		{"gated and cut at the wall", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry Terminal to Close","isAccessibleForFree":"http://schema.org/False"}</script>`, 0,
			`<div class="wall"><h2>This story is for subscribers</h2><p>Already a subscriber? <a href="/login">Log in</a></p></div>`,
			news.PaywallHard, "Log in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paras := storyParas
			if tt.kind == news.PaywallHard {
				paras = storyParas[:1]
			}
			a := parsePage(t, page(tt.head, paras, tt.at, tt.block))
			if a.Paywall.Kind != tt.kind || a.Paywall.Truncated != (tt.kind == news.PaywallHard) {
				t.Errorf("Paywall = %+v, want kind %q", a.Paywall, tt.kind)
			}
			for _, p := range paras {
				if !strings.Contains(a.Text, p) {
					t.Errorf("story paragraph lost: %q\ntext:\n%s", p, a.Text)
				}
			}
			if tt.gone != "" && strings.Contains(a.Text, tt.gone) {
				t.Errorf("Text still contains %q:\n%s", tt.gone, a.Text)
			}
		})
	}
}

func TestIsFalse(t *testing.T) {
	for _, v := range []any{false, "false", "False", "FALSE", "http://schema.org/False", "https://schema.org/False", "schema:False", []any{"False"}} {
		if !isFalse(v) {
			t.Errorf("isFalse(%#v) = false, want true", v)
		}
	}
	for _, v := range []any{true, "true", "True", "http://schema.org/True", nil, 0.0, "", "no idea"} {
		if isFalse(v) {
			t.Errorf("isFalse(%#v) = true, want false", v)
		}
	}
}

// TestWallBetweenBodyParts checks that a story split into two containers
// around a wall keeps both halves.
func TestWallBetweenBodyParts(t *testing.T) {
	body := fmt.Sprintf(`<html><head><title>Ferry</title></head><body><main><article><h1>Ferry Terminal to Close</h1>
<div class="story-part"><p>%s</p><p>%s</p></div>
<div class="inline-offer"><p>Subscribe to continue reading.</p><a href="/s">Subscribe now</a></div>
<div class="story-part"><p>%s</p><p>%s</p></div>
</article></main></body></html>`, storyParas[0], storyParas[1], storyParas[2], storyParas[3])
	want := strings.Join(storyParas[:4], "\n\n")
	a := parsePage(t, []byte(body))
	if a.Text != want {
		t.Errorf("Text =\n%s\nwant\n%s", a.Text, want)
	}
	if a.Paywall.Kind != news.PaywallSoft {
		t.Errorf("Paywall = %+v, want soft", a.Paywall)
	}
}

func TestNotArticleIsErrNotArticle(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><head><title>Search results</title></head><body><main><h1>Results for "ferry"</h1>`)
	for i := range 8 {
		fmt.Fprintf(&b, `<div class="result"><h3><a href="/news/%d">Ferry story number %d</a></h3><p>Short summary %d.</p></div>`, i, i, i)
	}
	b.WriteString(`</main></body></html>`)
	_, err := New(Options{}).Parse("https://harbourtimes.example/search?q=ferry", []byte(b.String()))
	if !errors.Is(err, news.ErrNotArticle) {
		t.Fatalf("Parse error = %v, want news.ErrNotArticle", err)
	}
}

// TestAskStemsCoverWording guards the prefilter: a phrase that contains no
// stem would never be looked for.
func TestAskStemsCoverWording(t *testing.T) {
	texts := append([]string{}, subscribePhrases...)
	texts = append(texts, continuePhrases...)
	texts = append(texts, signupWords...)
	texts = append(texts, "you have 2 free articles left", "read 3 of 5 free articles", "noch 2 kostenlose artikel",
		"il vous reste 2 articles gratuits", "te quedan 2 artículos gratis", "you've reached your free article limit",
		"make a donation", "werde mitglied", "we use cookies", "comments are for subscribers")
	for _, text := range texts {
		if !mayAsk(normalise(text)) {
			t.Errorf("no ask stem in %q", text)
		}
	}
}

// TestDeclaredGatedPart follows Google's markup for paywalled content: the
// JSON-LD names the container of the gated part; full means metered, empty
// means the text was withheld.
func TestDeclaredGatedPart(t *testing.T) {
	ld := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry Terminal to Close","isAccessibleForFree":false,
		"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".gated"}}</script>`
	full := `<html><head>` + ld + `</head><body><article><h1>Ferry Terminal to Close</h1><p>` + storyParas[0] +
		`</p><div class="gated"><p>` + strings.Join(storyParas[1:], "</p><p>") + `</p></div></article></body></html>`
	a := parsePage(t, []byte(full))
	if a.Paywall.Kind != news.PaywallMetered || a.Text != strings.Join(storyParas, "\n\n") {
		t.Errorf("full gated part: paywall %+v, text:\n%s", a.Paywall, a.Text)
	}
	// Four paragraphs are more than a teaser by length alone; only the
	// empty declared container tells that the rest was withheld.
	long := storyParas[:4]
	empty := `<html><head>` + ld + `</head><body><article><h1>Ferry Terminal to Close</h1><p>` + strings.Join(long, "</p><p>") +
		`</p><p>` + storyParas[4] + `</p><div class="gated"></div></article></body></html>`
	a = parsePage(t, []byte(empty))
	if a.Paywall.Kind != news.PaywallHard || !a.Paywall.Truncated {
		t.Errorf("empty gated part: paywall %+v, want hard and truncated", a.Paywall)
	}
}

// TestMeterBannerAtFoot checks that a meter banner after the full text
// marks the page metered, not cut.
func TestMeterBannerAtFoot(t *testing.T) {
	body := `<html><head><meta property="og:type" content="article"></head><body><article><h1>Ferry Terminal to Close</h1><p>` +
		strings.Join(storyParas, "</p><p>") + `</p></article><div class="banner">You have 1 free article remaining this month. <a href="/s">Subscribe</a></div></body></html>`
	a := parsePage(t, []byte(body))
	if a.Paywall.Kind != news.PaywallMetered || a.Paywall.Truncated || strings.Contains(a.Text, "remaining") {
		t.Errorf("paywall %+v, text:\n%s", a.Paywall, a.Text)
	}
}
