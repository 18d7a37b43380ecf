package parser

import (
	"errors"
	"strings"
	"testing"

	"newsdesk/news"
)

// pageText parses page and returns its text, also for a page too short to
// pass as an article: these tests look at the text only.
func pageText(t *testing.T, page string) string {
	t.Helper()
	a, err := New(Options{}).Parse("https://site.example/page", []byte(page))
	if err != nil && !errors.Is(err, news.ErrNotArticle) {
		t.Fatal(err)
	}
	return a.Text
}

// A shop that wraps the product page in its order <form> still has a
// story: the description inside the form, when nothing outside it scores.
func TestStoryInsideFormKept(t *testing.T) {
	text := pageText(t, `<html lang="de"><head><title>Katzendecke mit Namen</title></head><body>
<nav><a href="/">Start</a> <a href="/shop">Shop</a></nav>
<div class="site"><article class="product"><h1>Katzendecke mit Namen</h1>
<div class="entry"><form class="productform" method="post" action="/cart">
<input type="hidden" name="id" value="7">
<p>Hochwertige Katzendecke in besonders kuscheliger und dicker Doppelverarbeitung mit Namen und Wunschmotiv, bestehend aus Polarfleece.</p>
<p>Durch die beiden Lagen sieht man die Rückseite der Stickerei nicht und hat somit zwei hübsche Seiten, die Decke liegt besonders schön.</p>
<input type="submit" value="In den Warenkorb">
</form></div></article></div>
<aside class="sidebar"><p>Unser Newsletter informiert Sie jede Woche über neue Motive, Aktionen und Gutscheine für Ihren nächsten Einkauf.</p><p>Mehr als zehntausend Kundinnen und Kunden haben ihre Decke schon bei uns bestellt, viele davon gleich mehrfach.</p></aside>
<footer><p>Versandkosten, Widerrufsrecht, Datenschutz und alle weiteren Informationen zum Einkauf finden Sie hier.</p><p>Alle Preise inklusive Mehrwertsteuer.</p></footer>
</body></html>`)
	for _, want := range []string{"Hochwertige Katzendecke", "zwei hübsche Seiten"} {
		if !strings.Contains(text, want) {
			t.Errorf("text should hold %q, got:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Widerrufsrecht") {
		t.Errorf("the footer leaked into the text:\n%s", text)
	}
}

// A list of customer reviews is not the product's story, however much
// prose it holds.
func TestReviewsListLeftOut(t *testing.T) {
	review := `<div class="rev"><div class="rev__body"><p>Ich kann, ehrlich gesagt, die Meinung nicht nachvollziehen, denn der Kaffee ist, nach Geschmack, Geruch, Aussehen, der beste, klare Kaufempfehlung.</p></div></div>`
	text := pageText(t, `<html lang="de"><head><title>Sidamo Bio Kaffeebohnen</title></head><body>
<main><div class="product"><h1>Sidamo Bio Kaffeebohnen</h1>
<div class="description"><p>Unser Sidamo wächst im Hochland Äthiopiens und wird von Hand gepflückt und in der Sonne getrocknet.</p>
<p>Im Geschmack zeigt er rote Beeren und Zitrusnoten und eine süßliche lange Note, die an Honig erinnert.</p>
<p>Alle Kaffees aus unserer Rösterei sind biologisch angebaut und werden in kleinen Mengen frisch geröstet.</p></div></div>
<div class="rev-widget__reviews">`+strings.Repeat(review, 2)+`</div></main></body></html>`)
	if !strings.Contains(text, "Hochland Äthiopiens") {
		t.Errorf("text should hold the description, got:\n%s", text)
	}
	if strings.Contains(text, "Kaufempfehlung") {
		t.Errorf("the reviews leaked into the text:\n%s", text)
	}
}

// An intro block and the text in a wrapper beside it are one story when
// the block holding both scores near them: both are kept.
func TestIntroAndTextKeptTogether(t *testing.T) {
	text := pageText(t, `<html lang="de"><head><title>Zukunftsforum 2022</title></head><body>
<div class="row"><div class="column">
<div class="c-intro"><img src="/forum.jpg" alt=""><div class="c-intro__copy"><p>Im Jahr 2022 stand, wie geplant, das Thema Ehrenamt im Fokus, und zwar digital, mit Gästen, mit Vorträgen, mit Foren, mit Diskussionen, zum Engagement.</p></div></div>
<div class="l-wrapper">
<p>Zwei Tage wurde darüber diskutiert, wie bürgerschaftliches Engagement in den Dörfern gestärkt werden kann, und welche Hilfe dafür nötig ist.</p>
<p>Ehrenamtliche in ländlichen Regionen, so hieß es, brauchen verlässliche Strukturen, damit ihre Arbeit auch in Zukunft auf festen Füßen steht.</p>
</div></div>
<ul class="links"><li><a href="/a">Rückblick: Das 14. Zukunftsforum</a></li><li><a href="/b">Kommission Gleichwertige Lebensverhältnisse</a></li></ul>
</div></body></html>`)
	for _, want := range []string{"Ehrenamt im Fokus", "Zwei Tage wurde darüber diskutiert", "Ehrenamtliche in ländlichen Regionen"} {
		if !strings.Contains(text, want) {
			t.Errorf("text should hold %q, got:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Kommission Gleichwertige") {
		t.Errorf("the link list leaked into the text:\n%s", text)
	}
}

// The lead printed right above the body is its first paragraph even when
// no headline leads to it; a subtitle without its full stop is not.
func TestLeadAboveBodyKept(t *testing.T) {
	page := func(lead string) string {
		return `<html lang="de"><head><title>Covestro | Nachrichten</title></head><body>
<div class="tile article-reader"><div class="hero">` + lead + `</div>
<div class="article-body">
<p>Die Anlage soll im Chemiepark entstehen und rund zweihundert neue Arbeitsplätze schaffen, teilte das Unternehmen am Dienstag mit.</p>
<p>Der Bau beginnt im kommenden Frühjahr; die Genehmigungen liegen nach Angaben des Konzerns bereits vollständig vor.</p>
<p>Analysten werteten die Entscheidung als Bekenntnis zum Standort, der zuletzt unter hohen Energiepreisen gelitten hatte.</p>
</div></div></body></html>`
	}
	lead := "Der Kunststoff-Hersteller Covestro will in eine neue Anlage investieren."
	if text := pageText(t, page(`<p class="lead">`+lead+`</p>`)); !strings.HasPrefix(text, lead+"\n\nDie Anlage") {
		t.Errorf("text should open with the lead, got:\n%s", text)
	}
	subtitle := "Covestro investiert in eine neue Anlage im Chemiepark"
	if text := pageText(t, page(`<p class="lead">`+subtitle+`</p>`)); strings.Contains(text, subtitle) {
		t.Errorf("a subtitle without its full stop should stay out, got:\n%s", text)
	}
}

// The quick test before the social-promo pattern changes no answer of
// the pattern, also for the runes that case folding may match to ASCII
// letters (the long s, the Kelvin sign).
func TestSocialPromoPrefilterAgrees(t *testing.T) {
	for _, p := range []string{"Follow us on Inſtagram", "Follow us on TIKTOK", "Folgen Sie uns auf Linked\u212ain",
		"Download our apps", "The council will follow the plan", "Follow the money"} {
		if got, want := isSocialPromo(p, strings.ToLower(p), wordCount(p)), socialPromo.MatchString(p); got != want {
			t.Errorf("%q: isSocialPromo = %v, the pattern says %v", p, got, want)
		}
	}
}
