package parser

import (
	"strings"
	"testing"
)

func parseOpenWeb(t *testing.T, page string) string {
	t.Helper()
	a, err := New(Options{}).Parse("https://site.example/story", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	return a.Text
}

// Ruby annotations are the reading printed above a word, not more text.
func TestRubyReadingsLeftOut(t *testing.T) {
	text := parseOpenWeb(t, `<html lang="ja"><head><title>記事</title><meta property="og:type" content="article"></head><body><article>
<p><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>の読み方を学ぶ人が増えています。学校では毎日練習しています。先生によると、子どもたちは新しい言葉を覚えるのが楽しいそうです。</p>
<p>市の図書館でも、<ruby>辞書<rt>じしょ</rt></ruby>の使い方を教える教室が開かれました。参加者は五十人を超え、来月も開かれる予定です。</p>
</article></body></html>`)
	if strings.Contains(text, "かんじ") || strings.Contains(text, "じしょ") || strings.Contains(text, "(") {
		t.Errorf("text keeps the ruby readings:\n%s", text)
	}
	if !strings.Contains(text, "漢字の読み方") || !strings.Contains(text, "辞書の使い方") {
		t.Errorf("text lost the annotated words:\n%s", text)
	}
}

// fieldItem is one CMS "field" wrapper holding paragraphs of a story.
func fieldItem(paras ...string) string {
	return `<div class="field__item"><div class="paragraph paragraph--type--text"><div class="text-formatted field__item"><p>` +
		strings.Join(paras, `</p><p>`) + `</p></div></div></div>`
}

// A body split into one wrapper per few paragraphs (Drupal paragraphs,
// page builders) is kept whole, though no wrapper scores much.
func TestBodySplitIntoFieldItemsKeptWhole(t *testing.T) {
	long := "Der Ausschuss hat am Dienstag, nach langer Debatte, beschlossen, die Regeln zu ändern, und die Fraktionen haben zugestimmt, dass die Länder, die Kommunen und die Schulen mehr Freiheit bekommen, was viele begrüßen."
	text := parseOpenWeb(t, `<html lang="de"><head><title>Beschluss</title><meta property="og:type" content="article"></head><body>
<nav><a href="/">Start</a> <a href="/a">Themen</a> <a href="/b">Presse</a></nav>
<div class="field__items">`+
		fieldItem("Erstens erinnerte die Sprecherin daran, dass die Fraktion als erste ein Ende gefordert habe.")+
		fieldItem(long, long, long)+
		fieldItem("Zweitens sollen die Länder für eine Übergangszeit einfache Maßnahmen anordnen können.")+
		fieldItem("Drittens ist für diejenigen, die sich nicht schützen können, weiter Schutz nötig.")+
		`</div><footer>Impressum</footer></body></html>`)
	for _, want := range []string{"Erstens erinnerte", "Der Ausschuss hat", "Zweitens sollen", "Drittens ist"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lost %q:\n%s", want, text)
		}
	}
}

// A layout class naming what sits beside a block ("has-ads",
// "with-sidebar") does not make the block boilerplate.
func TestLayoutClassNamingAdsBesideKeepsStory(t *testing.T) {
	var cards strings.Builder
	for range 12 {
		cards.WriteString(`<div class="c-card"><h3><a href="/x">Ein anderer Artikel über ein anderes Thema</a></h3><p>Ein kurzer Anreißer, der mehr verspricht, als der Artikel hält, mit vielen Wörtern.</p></div>`)
	}
	text := parseOpenWeb(t, `<html lang="de"><head><title>Contest am See</title><meta property="og:type" content="article"></head><body>
<section class="o-section o-section--has-ads"><div class="c-article-body"><div class="c-article-copy">
<p>Die Veranstalter laden zur dritten Runde des Contests ein, diesmal an einem See im Rheinland, wo die besten Fahrer um ein Preisgeld kämpfen.</p>
<p>Am Ufer gibt es Plattformen mit Blick auf die Rampe, dazu Musik, Essen und am Abend eine Filmpremiere, bevor die Afterparty beginnt.</p>
</div></div></section>
<section class="o-section related"><div class="o-grid">`+cards.String()+`</div></section></body></html>`)
	if !strings.Contains(text, "Die Veranstalter laden") || !strings.Contains(text, "Am Ufer gibt es") {
		t.Errorf("text lost the story:\n%s", text)
	}
	if strings.Contains(text, "anderer Artikel") {
		t.Errorf("text took the teasers:\n%s", text)
	}
}

// dekPage is a story whose header holds the headline h1 and a block named
// like a dek, apart from the body.
func dekPage(h1, dekHTML string) string {
	return `<html lang="en"><head><title>Council approves the new library | Courier</title><meta property="og:title" content="Council approves the new library"><meta property="og:type" content="article"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><header class="hero"><div class="hero__inner"><h1>` + h1 + `</h1>` + dekHTML + `</div></header>
<div class="story-body">
<p>The city council voted on Tuesday night to build a new library on the site of the old bus depot, ending a debate that has run for three years.</p>
<p>Supporters said the branch would serve twelve thousand residents who now travel across town, while opponents questioned the cost of the project.</p>
<p>Construction is due to begin next spring, and the council expects the doors to open in the autumn of the following year, officials said.</p>
</div></article></body></html>`
}

const dekText = "After three years of debate, the branch will rise on the old bus depot and open in two years."

// The dek under the headline is the story's first paragraph.
func TestDekLeadsTheText(t *testing.T) {
	for _, dek := range []string{`<h2 class="hero__subtitle">` + dekText + `</h2>`, `<p class="article-standfirst">` + dekText + `</p>`} {
		text := parseOpenWeb(t, dekPage("Council approves the new library", dek))
		if !strings.HasPrefix(text, dekText+"\n\nThe city council voted") {
			t.Errorf("%s: text should open with the dek, got:\n%s", dek, text)
		}
	}
}

// A block after another headline, or an excerpt cut short, is no dek.
func TestDekLookalikesLeftOut(t *testing.T) {
	for _, page := range []string{
		dekPage("Sign up for our morning briefing", `<p class="promo-subtitle">`+dekText+`</p>`),
		dekPage("Council approves the new library", `<p class="excerpt">After three years of debate, the branch will rise on the old bus depot and...</p>`),
	} {
		text := parseOpenWeb(t, page)
		if !strings.HasPrefix(text, "The city council voted") {
			t.Errorf("text should open with the body, got:\n%s", text)
		}
	}
}
