package parser

import (
	"strings"
	"testing"
)

// Pages shaped like the open-web pages where the story was lost: each
// test builds the markup a common CMS writes and checks the story text.

func openWebParse(t *testing.T, page string) string {
	t.Helper()
	a, _ := New(Options{}).Parse("https://blog.example.org/2020/01/05/post/", []byte(page))
	return a.Text
}

var owStoryParas = []string{
	"Die Stadt steht schwarz gegen den Abendhimmel, und über den Dächern zieht langsam ein letzter Streifen Licht davon.",
	"Für den von der Kamera gewählten Ausschnitt musste ich lange warten, bis die Wolken den Blick auf die Türme freigaben.",
	"Am Ende ist das Bild besser geworden, als ich es erwartet hatte, obwohl das Licht schon fast verschwunden war.",
}

func owParas(ps []string) string {
	return "<p>" + strings.Join(ps, "</p><p>") + "</p>"
}

// Jetpack's like and share widget ("Gefällt mir: … Wird geladen …") is not
// the story, on a short post and at the end of a long one.
func TestJetpackLikeWidgetIsNotTheStory(t *testing.T) {
	page := `<html><body><div id="post-1431" class="post-1431 post">
<h2>Monstergespräche #1</h2><div class="post-content"><p>M:Wer rutscht als nächstes aus auf dem Glatteis?</p><p>Ich: Ich werde es nicht sein, ich habe Spikes.</p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Teilen mit:</h3><ul><li><a href="https://twitter.com/x">Twitter</a></li></ul></div>
<div id="like-post-wrapper-1" class="sharedaddy sd-block sd-like jetpack-likes-widget-wrapper"><h3 class="sd-title">Gefällt mir:</h3><div class="likes-widget-placeholder post-likes-widget-placeholder"><span class="button"><span>Gefällt mir</span></span> <span class="loading">Wird geladen...</span></div><span class="sd-text-color"></span><a class="sd-link-color"></a></div>
</div></div></body></html>`
	text := openWebParse(t, page)
	if !strings.Contains(text, "Wer rutscht als nächstes aus auf dem Glatteis?") {
		t.Errorf("story missing:\n%s", text)
	}
	for _, leak := range []string{"Gefällt mir", "Wird geladen", "Teilen mit"} {
		if strings.Contains(text, leak) {
			t.Errorf("widget text %q kept:\n%s", leak, text)
		}
	}
}

// Teaser cards marked itemprop=articleBody under a post that is not marked
// are teasers: the post is the story.
func TestArticleBodyTeasersDoNotReplaceThePost(t *testing.T) {
	var post []string
	for i := 0; i < 4; i++ {
		post = append(post, owStoryParas...)
	}
	cards := ""
	for _, c := range []string{"What inspires someone to become a software developer?", "From personal projects to production code, a series."} {
		cards += `<article class="m-post-card"><a href="/other"><h3>Other post</h3></a><div class="m-post-card__excerpt" itemprop="articleBody">` + c + " " + c + `</div></article>`
	}
	page := `<html><body><main><article class="m-post"><h1>What is Rust</h1><div class="m-post-content">` + owParas(post) + `</div></article>
<section class="more-posts">` + cards + `</section></main></body></html>`
	text := openWebParse(t, page)
	if !strings.Contains(text, owStoryParas[0]) || strings.Contains(text, "What inspires someone") {
		t.Errorf("want the post without the teasers, got:\n%s", text)
	}
}
