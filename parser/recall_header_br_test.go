package parser

import (
	"strings"
	"testing"
)

// A class word "header" inside the story names a section's heading module
// (Jimdo's "j-header", an accordion's "card-header") or a layout option of
// a content block ("header-content-align-left" on a recipe card): the
// headings and the steps it holds are the story's.
func TestHeaderNamedModulesInStoryKept(t *testing.T) {
	text := pageText(t, `<html lang="de"><head><title>Impressum</title></head><body>
<header class="site-header"><a href="/">Start</a> <a href="/kontakt">Kontakt</a></header>
<div id="content_area">
<div class="j-module n j-header"><h2>Angaben gemäß § 5 TMG</h2></div>
<div class="j-module n j-text"><p>Agentur Beispiel, Inhaberin Anna Muster, Hauptstraße 1, 12345 Musterstadt, Telefon und Fax auf Anfrage.</p></div>
<div class="j-module n j-header"><h2>Haftung für Inhalte</h2></div>
<div class="j-module n j-text"><p>Als Diensteanbieter sind wir gemäß § 7 Abs. 1 TMG für eigene Inhalte auf diesen Seiten nach den allgemeinen Gesetzen verantwortlich.</p>
<p>Verpflichtungen zur Entfernung oder Sperrung der Nutzung von Informationen nach den allgemeinen Gesetzen bleiben hiervon unberührt.</p></div>
<div class="card"><div class="card-header">Wie wird die Höhe der Zinsen bestimmt?</div>
<div class="card-body"><p>Die Zinsen hängen von Kreditbetrag, Laufzeit und dem effektiven Jahreszins ab, den die Bank nach Ihrer Bonität festlegt.</p></div></div>
<div class="recipe-card header-content-align-left"><ul class="directions-list">
<li>With two tablespoons of oil left in the wok, fry the garlic until fragrant.</li>
<li>Add the noodles and the sauce, and toss everything until well coated.</li></ul></div>
</div>
<footer><p>Alle Rechte vorbehalten.</p></footer>
</body></html>`)
	for _, want := range []string{"Angaben gemäß § 5 TMG", "Haftung für Inhalte", "Wie wird die Höhe der Zinsen bestimmt?", "two tablespoons of oil", "toss everything"} {
		if !strings.Contains(text, want) {
			t.Errorf("text should hold %q, got:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Kontakt") {
		t.Errorf("the site header leaked into the text:\n%s", text)
	}
}

// A widget's label that its inline buttons or counts were glued onto is
// still the widget's label; prose that opens with the same words is kept.
func TestLabelledWidgetLinesLeftOut(t *testing.T) {
	for _, line := range []string{
		"War der Artikel nützlich? (95 Stimmen: 4,73 von 5) Loading...",
		`<a class="recipe-print" href="/print">Rezept drucken</a> <span class="recipe-pin" onclick="pin()">Bei Pinterest speichern</span>`,
		"Beitragsbild: Titelseite der Zeitung vom 2.4.2019, Ausriss.",
	} {
		paras := append([]string{libraryProse[0], line}, libraryProse[1:]...)
		a, err := New(Options{}).Parse("https://news.example/local/library", libraryPage("", paras...))
		if err != nil {
			t.Fatal(err)
		}
		for _, leak := range []string{"nützlich", "drucken", "Beitragsbild"} {
			if strings.Contains(a.Text, leak) {
				t.Errorf("text keeps %q of %q:\n%s", leak, line, a.Text)
			}
		}
		for _, p := range libraryProse {
			if !strings.Contains(a.Text, p) {
				t.Errorf("text lost the story paragraph %q", p)
			}
		}
	}
	prose := "Read more about the budget in the council's own report, which runs to forty pages."
	a, err := New(Options{}).Parse("https://news.example/local/library", libraryPage("", append([]string{prose}, libraryProse...)...))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, prose) {
		t.Errorf("text lost the prose line %q:\n%s", prose, a.Text)
	}
}

// A body written as bare text between <br>s in a div that also holds a
// box and a table scores by its paragraphs, so it beats the shop's
// address block.
func TestBrWrittenBodyBeatsAddressBlock(t *testing.T) {
	text := pageText(t, `<html lang="de"><head><title>Rioja, Spanien</title></head><body>
<div class="container"><div class="row"><div class="col-9"><h1>Rioja, Spanien</h1>
<div class="beschreibung"><div class="callout"><img src="/karte.svg" alt="Karte"><br><small>Karte: Wikimedia Commons</small></div>
Die Region Rioja liegt im Norden Spaniens am Mittellauf des Ebro und ist etwa 120 mal 40 Kilometer groß.<br><br>
Sie unterteilt sich in die drei Untergebiete Rioja Alta und Rioja Alavesa und Rioja Oriental nach ihrer Größe.<br><br>
Die Bestimmungen erlauben vier rote und drei weiße Rebsorten wie Tempranillo und Garnacha und Viura.<br><br>
Für die Qualitätsstufen der Weine aus der Region gibt es folgende Bestimmungen:<br>
<table><tr><th>Stufe</th><th>Lagerzeit</th></tr><tr><td>Crianza</td><td>24 Monate</td></tr></table>
</div></div>
<div class="col-3"><div class="panel"><div class="panel-body"><small>Weinhandel Beispiel Inh. Max Muster Königstraße 18 14109 Berlin +49 30 123456 mail@weinhandel.example
Öffnungszeiten unserer Ladengeschäfte: Montag bis Freitag 12 – 19 Uhr, Samstags 10 – 15 Uhr.
Zu diesen Zeiten stehen wir Ihnen auch telefonisch, per Mail und im Laden mit Rat und Tat zur Seite.</small></div></div></div>
</div></div>
</body></html>`)
	for _, want := range []string{"Mittellauf des Ebro", "vier rote und drei weiße", "Für die Qualitätsstufen"} {
		if !strings.Contains(text, want) {
			t.Errorf("text should hold %q, got:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Öffnungszeiten") {
		t.Errorf("the address block was taken for the story:\n%s", text)
	}
}

// templatePost is a post as a theme ships it for its JavaScript to render.
const templatePost = `<script type="text/template" id="post-template"><div class="post-body">
<p>Der Frühling kam in diesem Jahr spät in unseren kleinen Garten, aber als er kam, blühte alles auf einmal: die Tulpen, die Kirsche und der alte Flieder am Zaun.</p>
<p>Wir haben die Beete umgegraben, den Kompost verteilt und die ersten Bohnen gelegt, obwohl die Nächte noch kalt waren und der Boden kaum warm genug dafür.</p>
<p>Im nächsten Beitrag zeige ich euch, wie wir das Hochbeet aus alten Paletten gebaut haben und was wir beim zweiten Versuch anders machen würden.</p>
</div></script>`

// A post that the page ships only inside a <script type="text/template">
// is the page's story; a page with a story of its own keeps its
// templates out.
func TestTemplateScriptPostRead(t *testing.T) {
	text := pageText(t, `<html lang="de"><head><title>Frühling im Garten</title></head><body>
<div class="header"><a href="/">Mein Gartenblog</a></div><div id="app"></div>
<ul class="archive"><li><a href="/2024/04">April 2024 (3 Beiträge über Beete, Bohnen und Blumen)</a></li><li><a href="/2024/03">März 2024 (5 Beiträge über Saatgut, Anzucht und das Frühbeet im Garten)</a></li><li><a href="/2024/02">Februar 2024 (2 Beiträge über Winterschnitt und Obstbäume)</a></li><li><a href="/2024/01">Januar 2024 (4 Beiträge über Pläne, Samenkataloge und Werkzeug)</a></li></ul>`+templatePost+`</body></html>`)
	for _, want := range []string{"Der Frühling kam", "Hochbeet aus alten Paletten"} {
		if !strings.Contains(text, want) {
			t.Errorf("text should hold %q, got:\n%s", want, text)
		}
	}
	own := pageText(t, `<html lang="de"><head><title>Sommer im Garten</title></head><body><article>
<p>Im Sommer gießen wir den Garten jeden Abend, denn die Tomaten und die Gurken brauchen bei der Hitze sehr viel Wasser, mehr als der Regen bringt.</p>
<p>Die Ernte war trotzdem gut: drei Körbe Tomaten, ein Eimer Bohnen und mehr Zucchini, als wir essen konnten, haben wir an die Nachbarn verschenkt.</p>
<p>Für den Herbst planen wir ein zweites Beet mit Kürbissen und Kartoffeln, und im Winter darf der Garten endlich ruhen.</p>
</article>`+templatePost+`</body></html>`)
	if strings.Contains(own, "Der Frühling kam") {
		t.Errorf("a template was read on a page with its own story:\n%s", own)
	}
	if !strings.Contains(own, "Im Sommer gießen wir") {
		t.Errorf("text lost the page's own story:\n%s", own)
	}
}

// AMP's push-notification widget and a push vendor's box are not the
// story, wherever the theme puts them.
func TestPushNotificationBoxesLeftOut(t *testing.T) {
	text := pageText(t, `<!doctype html><html amp lang="en"><head><title>River floods the old town</title></head><body>
<article><h1>River floods the old town</h1>
<amp-web-push-widget visibility="unsubscribed" layout="fixed" width="250" height="80"><p>Get notified of breaking news: turn on push notifications and never miss a story from our newsroom again.</p><button on="tap:amp-web-push.subscribe">Subscribe</button></amp-web-push-widget>
<p>The river rose above its banks on Sunday night and flooded the streets of the old town, forcing hundreds of residents to leave their homes before dawn.</p>
<div class="onesignal-slidedown"><p>We would like to show you notifications for the latest news and updates, so you are always the first to know.</p></div>
<p>Firefighters used boats to reach families on the upper floors, and the town hall opened its gym as a shelter for the night, officials said.</p>
<p>The water is expected to fall by Tuesday, but the weather service warned that more rain could come later in the week.</p>
</article></body></html>`)
	for _, leak := range []string{"Get notified", "show you notifications"} {
		if strings.Contains(text, leak) {
			t.Errorf("text keeps the push box %q:\n%s", leak, text)
		}
	}
	for _, want := range []string{"The river rose", "Firefighters used boats", "more rain could come"} {
		if !strings.Contains(text, want) {
			t.Errorf("text should hold %q, got:\n%s", want, text)
		}
	}
}
