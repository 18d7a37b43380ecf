package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheEleventhBlindSet holds the general rules the
// eleventh blind set called for, each on a page built from the fixture
// story.
func TestWallRulesFromTheEleventhBlindSet(t *testing.T) {
	declared := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false}</script>`
	tests := []wallCase{
		{name: "a Romanian registration wall ends a teaser", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true, head: declared,
			block: `<div class="lp-register-wall"><h3>Acest articol este disponibil doar cititorilor înregistrați</h3>` +
				`<p>Creează-ți gratuit un cont pentru a citi investigația integral.</p><a href="/inregistrare/">Creează cont gratuit</a>` +
				`<p>Ai deja cont? <a href="/autentificare/">Autentifică-te</a></p></div>`,
			gone: "disponibil doar"},
		{name: "a Korean support box saying every story is free is an appeal, not a meter", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="support-box"><p>모든 기사는 누구나 무료로 읽을 수 있습니다.</p><p>월 1만원 정기후원</p><a href="/support">후원하기</a></div>`,
			gone:  "정기후원"},
		{name: "a login line saying the account continues the story", at: 2, paras: storyParas[:3], kind: news.PaywallHard, truncated: true, head: declared,
			block: `<div class="login"><p>[...]</p><p>This article is available to Harbour Times members. Log in with your account to continue.</p>` +
				`<form><input type="email"><input type="password"><button>Log in</button></form></div>`,
			gone: "Log in with your account"},
	}
	runWallCases(t, tests)
}

// TestMeterCountInTheHeaderBar: a meter's count drawn in the site's
// header bar is the reader's state (metered); a headline about free
// articles there, with no count, is not.
func TestMeterCountInTheHeaderBar(t *testing.T) {
	for _, tc := range []struct {
		bar  string
		kind news.PaywallKind
	}{
		{`<div class="meter">You have 2 free articles left this month. <a href="/subscribe">Subscribe</a></div>`, news.PaywallMetered},
		{`<div class="teaser">How sites count your free articles</div>`, news.PaywallNone},
	} {
		body := strings.Replace(string(page("", storyParas, -1, "")), `</nav>`, `</nav>`+tc.bar, 1)
		if a := parsePage(t, []byte(body)); a.Paywall.Kind != tc.kind {
			t.Errorf("%s: Paywall = %+v, want %s", tc.bar, a.Paywall, tc.kind)
		}
	}
}
