package parser

import (
	"strings"
	"testing"

	"newsdesk/news"
)

// TestWallRulesFromTheSeventeenthBlindSet holds the general rules the
// seventeenth blind set called for, each on a page built from the fixture
// story.
func TestWallRulesFromTheSeventeenthBlindSet(t *testing.T) {
	gated := `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Ferry","isAccessibleForFree":false,` +
		`"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".body"}}</script>`
	filler := `<div class="locked-body" aria-hidden="true">` + strings.Repeat(`<p>Lorem vexilla quarto mendi solvat prandium tergo velum ostia cardo rumpit.</p>`, 24) + `</div>`
	tests := []wallCase{
		{name: "a Persian meter count in a tool's sticky bar", at: 5, paras: storyParas, kind: news.PaywallMetered,
			head: `<script src="https://js.pelcro.com/sdk/main.min.js" async></script>`,
			block: `<div class="meter-sticky" id="pelcro-meter" role="status"><p>شما ۲ مطلب رایگان دیگر در این ماه دارید.</p>` +
				`<a class="pelcro-subscribe-button" href="/fa/subscribe">اشتراک ماهانه ۴٫۹۹ یورو</a></div>`,
			gone: "مطلب رایگان"},
		{name: "a teaser, then blurred filler hidden from readers and the wall", at: 3, paras: storyParas[:4], kind: news.PaywallHard, truncated: true,
			head: gated, block: filler + `<div class="nf-wall"><h2>This investigation is for members</h2><p>Join today and read every investigation in full.</p>` +
				`<a class="btn" href="/join">Become a member</a></div>`,
			gone: "Lorem vexilla"},
		{name: "a Vietnamese free account, the site's name inside", at: 5, paras: storyParas, kind: news.PaywallSoft,
			edit: func(page string) string {
				return strings.Replace(page, `</body>`, `<div class="modal-overlay" role="dialog" aria-modal="true"><div class="modal-title">Tạo tài khoản Nhịp Số miễn phí</div>`+
					`<div class="modal-desc">Đăng ký để lưu bài viết, bình luận và nhận bản tin mỗi sáng.</div><a href="/dang-ky" class="btn">Đăng ký ngay</a></div></body>`, 1)
			},
			gone: "Tạo tài khoản"},
		{name: "a Catalan membership box", at: 5, paras: storyParas, kind: news.PaywallSoft,
			block: `<section class="far-support"><h3>El Far és independent gràcies als seus lectors</h3><p>Si creus que aquesta feina val la pena, fes-te'n soci.</p>` +
				`<a class="far-btn" href="/#/portal/signup/monthly">5 € al mes</a> <a class="far-btn" href="/aportacio">Fes una aportació puntual</a></section>`,
			gone: "fes-te'n soci"},
	}
	runWallCases(t, tests)
}
