package parser

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"newsdesk/news"
)

// A dek whose <p> sits in a box named like one ("teaser-text", "lead")
// is the story's first paragraph, though the <p> itself has no name.
func TestDekInNamedWrapperKept(t *testing.T) {
	text := pageText(t, `<html lang="de"><head><title>Der Turm im Zoo</title></head><body>
<div class="news"><div class="head"><h1>Der Turm im Zoo</h1></div>
<div class="col"><div class="teaser-text"><p>Seit dem Frühjahr wächst am Eingang ein Turm aus Holz, an den Besucher ihre Wünsche hängen.</p></div></div>
<div class="col"><div class="news-text"><p>Die Idee stammt von einer Schulklasse, die den Zoo im vergangenen Jahr besucht hatte und etwas zurücklassen wollte.</p>
<p>Inzwischen hängen mehr als dreitausend Zettel an den Balken, und jede Woche kommen einige Hundert dazu.</p>
<p>Im Herbst sollen die Wünsche gesammelt und in einer kleinen Ausstellung im Tierhaus gezeigt werden.</p></div></div></div>
</body></html>`)
	if !strings.HasPrefix(text, "Seit dem Frühjahr wächst") {
		t.Errorf("text should open with the dek, got:\n%s", text)
	}
	if !strings.Contains(text, "dreitausend Zettel") {
		t.Errorf("text lost the body:\n%s", text)
	}
}

// A box named like a dek that holds more than a dek (a list of teasers
// under "intro") is not taken as the lead.
func TestDekWrapperOfManyParagraphsNotTaken(t *testing.T) {
	n := mustParseFragment(t, `<div class="intro"><p>Erster Absatz mit einem ganzen Satz darin, lang genug für einen Vorspann.</p><p>Zweiter Absatz mit einem ganzen Satz darin, lang genug für einen Vorspann.</p><p>Dritter Absatz mit einem ganzen Satz darin, lang genug für einen Vorspann.</p></div>`)
	if dekShaped(n) {
		t.Error("a box of three paragraphs was taken for a dek")
	}
	one := mustParseFragment(t, `<div class="intro"><p>Ein einziger Absatz, der den Artikel in einem Satz zusammenfasst.</p></div>`)
	if !dekShaped(one) {
		t.Error("a box of one paragraph was not taken for a dek")
	}
}

// The dek joins the text whenever the whole story was served: beside a
// soft or metered prompt too, but never above a truncated teaser.
func TestDekServedUnlessTruncated(t *testing.T) {
	for _, c := range []struct {
		pw   news.Paywall
		want bool
	}{
		{news.Paywall{Kind: news.PaywallNone}, true},
		{news.Paywall{Detected: true, Kind: news.PaywallSoft}, true},
		{news.Paywall{Detected: true, Kind: news.PaywallMetered}, true},
		{news.Paywall{Detected: true, Kind: news.PaywallMetered, Truncated: true}, false},
		{news.Paywall{Detected: true, Kind: news.PaywallHard, Truncated: true}, false},
		{news.Paywall{Detected: true, Kind: news.PaywallHard}, false},
	} {
		if got := dekServed(c.pw); got != c.want {
			t.Errorf("dekServed(%+v) = %v, want %v", c.pw, got, c.want)
		}
	}
}

// A teaser of another story and a fact box set inside the body are not
// the story's text.
func TestTeaserAndFactBoxInsideStoryLeftOut(t *testing.T) {
	text := pageText(t, `<html lang="en"><head><title>Council approves the new bridge</title></head><body>
<article><h1>Council approves the new bridge</h1><div class="article-body">
<p>The city council voted on Tuesday to build a new bridge across the river, ending a debate that lasted six years.</p>
<div class="c-teaser"><a href="/other"><p>Read also: how the old ferry kept running through the winter floods of last year.</p></a><p>Residents remember the crossing fondly, and some want it back.</p></div>
<p>Construction is to start next spring, and the bridge should open to traffic within three years, the mayor said.</p>
<div class="factbox"><p>Never miss the latest news by signing up to our free daily email, sent every morning.</p></div>
<p>Opponents of the plan said they would keep pressing for a cheaper repair of the existing crossing downstream.</p>
</div></article></body></html>`)
	for _, want := range []string{"voted on Tuesday", "open to traffic", "cheaper repair"} {
		if !strings.Contains(text, want) {
			t.Errorf("text should hold %q, got:\n%s", want, text)
		}
	}
	for _, leak := range []string{"ferry", "remember the crossing", "free daily email"} {
		if strings.Contains(text, leak) {
			t.Errorf("a box leaked into the text (%q):\n%s", leak, text)
		}
	}
}

// On a page of teasers the teasers are the text: none of them is left
// out for being named so.
func TestTeaserListingKeepsTeasers(t *testing.T) {
	card := `<div class="teaser"><h2><a href="/a">A headline</a></h2><p>The county's broadband co-op says every household now has access to fast internet.</p></div>`
	text := pageText(t, `<html lang="en"><head><title>Technology</title></head><body><main><h1>Technology</h1>`+
		strings.Repeat(card, 4)+`</main></body></html>`)
	if !strings.Contains(text, "broadband co-op") {
		t.Errorf("the teasers of a listing were all left out, got:\n%s", text)
	}
}

// mustParseFragment parses src and returns its first element in <body>.
func mustParseFragment(t *testing.T, src string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<html><body>" + src + "</body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	n := firstElement(doc, func(n *html.Node) bool { return n.DataAtom == atom.Body })
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	t.Fatal("no element in fragment")
	return nil
}
