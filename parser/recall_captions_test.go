package parser

import (
	"strings"
	"testing"
)

// A numbered figure caption written as a paragraph of the story
// ("Abbildung 4: …", "Figure 2: …") is the caption of an image, not text;
// prose that mentions a figure stays.
func TestNumberedFigureCaptionLeftOut(t *testing.T) {
	text := pageText(t, `<html lang="de"><head><title>Schwachschichten im Schnee</title></head><body>
<article><h1>Schwachschichten im Schnee</h1><div class="article-content">
<p>Eine Schwachschicht entsteht, wenn sich die Schneekristalle in der Decke über Tage hinweg umwandeln und ihre Bindung verlieren.</p>
<p><img src="/a.jpg" alt=""><br><em><sub>Abbildung 4: klassische Schwachschicht.</sub></em></p>
<p>Wie in Abbildung 4 zu sehen ist, liegt die Schicht meist knapp unter einer harten Kruste, die sie lange verbirgt.</p>
<p><em>Figure 2: the layer after a week of cold nights.</em></p>
</div></article></body></html>`)
	for _, leak := range []string{"klassische Schwachschicht", "after a week of cold nights"} {
		if strings.Contains(text, leak) {
			t.Errorf("a figure caption leaked (%q):\n%s", leak, text)
		}
	}
	for _, want := range []string{"Bindung verlieren", "Wie in Abbildung 4 zu sehen ist"} {
		if !strings.Contains(text, want) {
			t.Errorf("text should hold %q, got:\n%s", want, text)
		}
	}
}
