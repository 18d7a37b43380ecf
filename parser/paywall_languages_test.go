package parser

import (
	"testing"

	"newsdesk/news"
)

// TestPromptsInMoreLanguages holds the wording added for the languages no
// blind page had yet (Vietnamese, Indonesian, Malay, Bulgarian, Serbian,
// Lithuanian, Latvian, Estonian, Catalan, Persian, Icelandic): each
// language's subscription box in the middle of a whole story is a prompt
// (soft), kept out of the text, and its donation box an appeal.
func TestPromptsInMoreLanguages(t *testing.T) {
	boxes := []struct{ lang, prompt, kind string }{
		{"vi", "Trở thành hội viên để ủng hộ báo chí độc lập, chỉ 49.000đ/tháng.", "subscribe"},
		{"id", "Berlangganan sekarang dan nikmati semua artikel tanpa batas.", "subscribe"},
		{"ms", "Langgan sekarang untuk akses penuh ke semua berita kami.", "subscribe"},
		{"bg", "Абонирайте се за дигитален абонамент само за 5 лв. на месец.", "subscribe"},
		{"sr", "Претплатите се и читајте све наше текстове без ограничења.", "subscribe"},
		{"lt", "Prenumeruokite ir skaitykite visus mūsų straipsnius.", "subscribe"},
		{"lv", "Kļūsti par abonentu un lasi visus rakstus bez ierobežojumiem.", "subscribe"},
		{"et", "Telli nüüd ja loe kõiki lugusid piiranguteta.", "subscribe"},
		{"ca", "Subscriu-te i llegeix totes les nostres notícies sense límits.", "subscribe"},
		{"fa", "مشترک شوید و به همه مطالب دسترسی داشته باشید.", "subscribe"},
		{"is", "Gerast áskrifandi og lestu allar fréttir okkar.", "subscribe"},
		{"vi", "Hãy ủng hộ chúng tôi để duy trì báo chí độc lập.", "donate"},
		{"id", "Dukung kami agar jurnalisme independen tetap hidup.", "donate"},
		{"bg", "Подкрепете ни с дарение, за да продължим да пишем.", "donate"},
		{"et", "Toeta meid, et saaksime uurida edasi.", "donate"},
		{"ca", "Fes un donatiu per mantenir el periodisme independent.", "donate"},
	}
	var tests []wallCase
	for _, b := range boxes {
		tests = append(tests, wallCase{name: b.lang + " " + b.kind, at: 2, paras: storyParas, kind: news.PaywallSoft,
			block: `<div class="box"><p>` + b.prompt + `</p><a class="btn" href="/go">OK</a></div>`, gone: b.prompt})
	}
	runWallCases(t, tests)
}
