package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheSixteenthBlindSet holds the general rules the
// sixteenth blind set called for, each on a page built from the fixture
// story.
func TestWallRulesFromTheSixteenthBlindSet(t *testing.T) {
	tier := func(t string) string { return `<meta property="article:content_tier" content="` + t + `">` }
	bar := func(line string) string {
		return `<div class="rc-sub-banner"><p>` + line + `</p><a class="btn" href="/suscripcion">Ver oferta</a></div>`
	}
	tests := []wallCase{
		{name: "a metered tier's subscribe bar after a short full text", at: 5, paras: storyParas, kind: news.PaywallMetered, head: tier("metered"),
			block: bar("Periodismo riguroso sobre tecnología. Suscríbete por 1 € el primer mes."), gone: "Suscríbete por 1 €"},
		{name: "a metered tier's bar saying the story goes on", at: 3, paras: storyParas[:4], kind: news.PaywallHard, truncated: true, head: tier("metered"),
			block: bar("Has alcanzado tu límite de artículos gratuitos. Suscríbete para seguir leyendo por 1 € el primer mes."), gone: "seguir leyendo"},
		{name: "Steady's cut element in the story", at: 1, paras: storyParas, kind: news.PaywallMetered,
			head:  `<script src="https://steadyhq.com/widget_loader/5c81f2d0"></script>`,
			block: `<div id="steady-paywall" class="steady-paywall-marker" data-steady-paywall="true"></div>`},
		{name: "a creator's tiers to back the next report", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<section class="sc-join-block"><h2>Keep the test lab running</h2><p>These reports are free for everyone. Join to back the next report.</p>` +
				`<div class="sc-tier"><h3>Packet Sniffer</h3><p>$3 / month</p><a href="https://backers.example/join/checkout?rid=1">Join</a></div></section>`,
			gone: "Join to back"},
		{name: "a blog's links to the posts before and after", at: 5, paras: storyParas, kind: news.PaywallNone,
			block: `<section class="blog-item-pagination"><a href="/prev" class="item-pagination-link">Bài trước: 5 ứng dụng VPN miễn phí và cái giá thật của chúng</a> ` +
				`<a href="/next" class="item-pagination-link">Bài sau: Camera an ninh giá rẻ gửi dữ liệu về đâu</a></section>`,
			gone: "Bài sau"},
	}
	runWallCases(t, tests)
}

// TestChineseTeaserCutMidSentence: an AMP page whose content section
// holds a Chinese teaser that stops in the middle of a sentence
// ("…进行核对，发现"), beside the wall shown to readers without access, was
// cut, though the last line holds no space to count words by.
func TestChineseTeaserCutMidSentence(t *testing.T) {
	body := `<!DOCTYPE html><html amp lang="zh"><head><title>调查</title>` +
		`<script async custom-element="amp-subscriptions" src="https://cdn.ampproject.org/v0/amp-subscriptions-0.1.js"></script>` +
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"调查","isAccessibleForFree":false,` +
		`"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".article-paid"}}</script></head><body>` +
		`<article><h1>两千个小区的人脸门禁数据，存在一台没有密码的服务器上</h1>` +
		`<section subscriptions-section="content" class="article-paid">` +
		`<p>一台没有设置任何密码的数据库服务器，在公网上暴露了至少五个月。服务器里存着全国约两千个住宅小区的人脸门禁数据：住户的人脸照片、姓名、楼栋和门牌号，以及每一次刷脸进出的时间记录。</p>` +
		`<p>这台服务器属于一家为物业公司提供刷脸开门系统的科技公司。这家公司成立于2018年，官网称其设备已进入超过两千个社区、服务四百万居民。本刊记者在网络安全研究人员的协助下核实，截至11月底，该数据库中共有约3100万条出入记录，最早的一条可以追溯到2023年。</p>` +
		`<p>发现这一问题的独立安全研究员告诉本刊，他在10月的一次例行扫描中注意到这台服务器，不需要任何账号，浏览器里输入地址就能翻看照片。他随后通过邮件和客服电话多次联系这家公司，均未得到回复。</p>` +
		`<p>记者随机选取了其中三个小区的记录进行核对，发现</p></section>` +
		`<section subscriptions-section="content-not-granted" class="wall"><h2>订阅会员，阅读全文</h2><p>本文为会员专享内容。</p>` +
		`<a subscriptions-action="subscribe" subscriptions-display="NOT granted">月度会员 首月 ¥1，次月起 ¥25/月</a>` +
		`<p>已是会员？<a subscriptions-action="login" subscriptions-display="NOT granted">立即登录</a></p></section>` +
		`</article></body></html>`
	a := parsePage(t, []byte(body))
	if a.Paywall.Kind != news.PaywallHard || !a.Paywall.Truncated {
		t.Errorf("Paywall = %+v, want hard and truncated", a.Paywall)
	}
	if strings.Contains(a.Text, "订阅会员") {
		t.Errorf("wall left in the text: %q", a.Text)
	}
}
