package parser

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestTextSizeMatchesTextOf holds textSize against the text textOf
// builds, for every element of the fixture pages and of odd markup.
func TestTextSizeMatchesTextOf(t *testing.T) {
	pages := []string{`<p> a,  b <b>c</b>,<br>d </p><div>x<p>y</p> z</div>`, "<p>\u200bzero\u00a0width\u2003em, \xff bad\u00ad</p>",
		"<p><script>x,y</script> a <style>b</style><span> </span>, c\t\n</p>", "<ul><li> one, <li>two<p>three</ul>"}
	for _, pg := range fixturePages(t) {
		pages = append(pages, string(pg.body))
	}
	elements := 0
	for _, page := range pages {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		walk(doc, func(n *html.Node) bool {
			if n.Type != html.ElementNode {
				return true
			}
			elements++
			text := textOf(n)
			if size, commas := textSize(n); size != len(text) || commas != strings.Count(text, ",") {
				t.Fatalf("textSize = %d, %d commas; textOf is %d bytes, %d commas: %.80q", size, commas, len(text), strings.Count(text, ","), text)
			}
			return true
		})
	}
	if elements < 1000 {
		t.Errorf("only %d elements compared", elements)
	}
}
