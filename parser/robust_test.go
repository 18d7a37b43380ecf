package parser

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"newsdesk/news"
)

// TestMalformedHTML feeds broken and hostile pages: Parse must never panic,
// and must return either an error or an article with valid fields.
func TestMalformedHTML(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	deep := strings.Repeat("<div>", 3000) + "<p>" + strings.Join(storyParas, "</p><p>") + "</p>" + strings.Repeat("</div>", 10)
	pages := map[string]string{
		"empty":               "",
		"only whitespace":     " \n\t ",
		"random bytes":        string(garbage),
		"not html":            `{"headline": "json, not html"}`,
		"unclosed tags":       "<html><head><title>Broken<body><article><h1>Broken page<p>" + storyParas[0] + "<p>" + storyParas[1] + "<div><b><i>" + storyParas[2],
		"stray closers":       "</div></p></article></html><p>" + storyParas[0] + "</b></i></span>",
		"broken json-ld":      `<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script><p>` + storyParas[0] + `</p>`,
		"json-ld wrong types": `<script type="application/ld+json">{"@type": 42, "author": {"name": ["x", 3]}, "datePublished": 17, "isAccessibleForFree": {"a": null}, "@graph": "nope"}</script><p>` + storyParas[0] + `</p>`,
		"deep nesting":        deep,
		"invalid utf8":        "<meta charset=utf-8><p>caf\xe9 \xff\xfe " + storyParas[0] + "</p>",
		"null bytes":          "<p>\x00\x00" + storyParas[0] + "\x00</p>",
		"huge attribute":      `<div class="` + strings.Repeat("x ", 20000) + `"><p>` + storyParas[0] + `</p></div>`,
	}
	p := New(Options{})
	for name, body := range pages {
		t.Run(name, func(t *testing.T) {
			a, err := p.Parse("https://example.com/broken", []byte(body))
			if err != nil && !errors.Is(err, news.ErrNotArticle) {
				t.Logf("Parse error (allowed): %v", err)
			}
			if !utf8.ValidString(a.Text) || !utf8.ValidString(a.Title) {
				t.Errorf("invalid UTF-8 in title %q or text %q", a.Title, a.Text)
			}
			if err == nil && (!a.Paywall.Kind.Valid() || a.Paywall.Signals == nil || a.Authors == nil) {
				t.Errorf("article with invalid fields: %+v", a)
			}
		})
	}
}

// TestUnclosedTagsKeepStory checks that sloppy markup still yields the story.
func TestUnclosedTagsKeepStory(t *testing.T) {
	body := "<html><head><title>Ferry Terminal to Close | Harbour Times</title><body><article><h1>Ferry Terminal to Close</h1><p>" +
		strings.Join(storyParas, "<p>") + "<div class=share><a href=/x>Share"
	a, err := New(Options{}).Parse("https://harbourtimes.example/ferry", []byte(body))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if a.Title != "Ferry Terminal to Close" {
		t.Errorf("Title = %q", a.Title)
	}
	if want := strings.Join(storyParas, "\n\n"); a.Text != want {
		t.Errorf("Text =\n%s\nwant\n%s", a.Text, want)
	}
}

func TestCharsets(t *testing.T) {
	story := "Le café “Lumière” a fermé ses portes – après 40 ans, l’équipe dit au revoir à ses clients fidèles du quartier, qui regretteront les croissants du matin et les longues conversations."
	cp1252, err := charmap.Windows1252.NewEncoder().String(story)
	if err != nil {
		t.Fatal(err)
	}
	koi8, err := charmap.KOI8R.NewEncoder().String("Привет, мир! Кафе на углу закрылось после сорока лет работы, и соседи пришли попрощаться с хозяевами.")
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("<html><body><p>" + story + "</p></body></html>")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		body string
		want string
	}{
		{"meta charset windows-1252", `<meta charset="windows-1252"><p>` + cp1252 + `</p>`, story},
		{"http-equiv iso-8859-1 means windows-1252", `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>` + cp1252 + `</p>`, story},
		{"undeclared legacy bytes", `<p>` + cp1252 + `</p>`, story},
		{"declaration after 1024 bytes", `<head><!--` + strings.Repeat("x", 2000) + `--><meta charset="koi8-r"></head><p>` + koi8 + `</p>`,
			"Привет, мир! Кафе на углу закрылось после сорока лет работы, и соседи пришли попрощаться с хозяевами."},
		{"UTF-8 BOM beats a wrong declaration", "\xef\xbb\xbf" + `<meta charset="windows-1252"><p>` + story + `</p>`, story},
		{"UTF-16 with BOM", utf16, story},
		{"valid UTF-8 mislabelled as Latin-1", `<meta charset="iso-8859-1"><p>` + story + `</p>`, story},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(toUTF8([]byte(tt.body)))
			if !utf8.ValidString(got) || !strings.Contains(got, tt.want) {
				t.Errorf("toUTF8 = %q, want it to contain %q", got, tt.want)
			}
			if strings.HasPrefix(got, "\ufeff") {
				t.Error("byte-order mark left in the output")
			}
		})
	}
}

// TestCP1252FixtureBytes guards the fixture itself: it must stay encoded in
// windows-1252, or the charset test above it proves nothing.
func TestCP1252FixtureBytes(t *testing.T) {
	body := readFixture(t, "cp1252-cafe-wifi.html")
	if utf8.Valid(body) || !bytes.Contains(body, []byte("Caf\xe9 Lumi\xe8re")) || !bytes.Contains(body, []byte("\x92")) {
		t.Fatal("cp1252-cafe-wifi.html is no longer windows-1252 encoded")
	}
}

// TestDeepWrappersKeepAllParagraphs checks a body whose paragraphs each sit
// in their own stack of wrappers: every paragraph must make it, not just
// the best-scoring one.
func TestDeepWrappersKeepAllParagraphs(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><body><nav><a href="/">Home</a></nav><article><h1>Ferry Terminal to Close</h1>`)
	for _, p := range storyParas {
		b.WriteString(strings.Repeat(`<div class="block">`, 6) + "<p>" + p + "</p>" + strings.Repeat("</div>", 6))
	}
	b.WriteString(`</article><footer>Harbour Times</footer></body></html>`)
	a, err := New(Options{}).Parse("https://harbourtimes.example/ferry", []byte(b.String()))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if want := strings.Join(storyParas, "\n\n"); a.Text != want {
		t.Errorf("Text =\n%s\nwant\n%s", a.Text, want)
	}
}

// TestCharsetsDeclaredWrong: the bytes win when they plainly contradict the
// declaration, and the output is always valid UTF-8.
func TestCharsetsDeclaredWrong(t *testing.T) {
	story := "Le café “Lumière” a fermé ses portes – après 40 ans, l’équipe dit au revoir."
	cp1252, err := charmap.Windows1252.NewEncoder().String(story)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body, want string
	}{
		{"legacy bytes under a utf-8 declaration", `<meta charset="utf-8"><p>` + cp1252 + `</p>`, story},
		{"utf-8 with one stray byte, declared latin-1", `<meta charset="iso-8859-1"><p>` + story + "\xe9</p>", story},
		{"utf-8 with a cut character, undeclared", `<p>` + story + "\xe2\x80</p>", story},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(toUTF8([]byte(tt.body)))
			if !utf8.ValidString(got) || !strings.Contains(got, tt.want) {
				t.Errorf("toUTF8 = %q, want it to contain %q", got, tt.want)
			}
		})
	}
	// Mostly broken bytes under a utf-8 declaration, with one real UTF-8
	// character: still valid output, whatever the guess.
	if got := toUTF8([]byte("<meta charset=utf-8><p>\xff\xfe\xfd\xfc é \xff\xfe</p>")); !utf8.Valid(got) {
		t.Errorf("invalid UTF-8 out: %q", got)
	}
}

// TestRunawayNestingKeepsStory checks pages that nest deeper than
// x/net/html accepts (it refuses more than 512 open elements): unclosed
// tags per paragraph on a real site must not lose the story.
func TestRunawayNestingKeepsStory(t *testing.T) {
	story := strings.Join(storyParas, "\n\n")
	head := "<html><head><title>Ferry Terminal to Close</title></head><body><article><h1>Ferry Terminal to Close</h1>"
	for name, body := range map[string]string{
		"divs before the story": head + strings.Repeat("<div>", 3000) + "<p>" + strings.Join(storyParas, "</p><p>") + "</p>",
		"a font per paragraph": head + strings.Repeat("<font size=2>", 600) + "<p>" + strings.Join(storyParas, "</p><p>") +
			"</p>" + strings.Repeat("</font>", 600) + "</article>",
		"spans around the story": head + strings.Repeat("<span>", 700) + "<p>" + strings.Join(storyParas, "</p><p>") + "</p>" +
			strings.Repeat("</span>", 700) + "<footer>Copyright</footer></article>",
	} {
		t.Run(name, func(t *testing.T) {
			a, err := New(Options{}).Parse("https://harbourtimes.example/ferry", []byte(body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if a.Title != "Ferry Terminal to Close" || a.Text != story {
				t.Errorf("Title = %q\nText =\n%s\nwant\n%s", a.Title, a.Text, story)
			}
		})
	}
}

// TestFlattenKeepsShallowPages checks that flatten changes nothing in a
// page nested less than flattenDepth deep, however its tags are written.
func TestFlattenKeepsShallowPages(t *testing.T) {
	page := `<!DOCTYPE html><html><head><meta charset=utf-8><script>if (a < b) { x = "</p>" }</script>` +
		`<style>p > b { color: red }</style></head><body><div class="a"><p>One<br>two <img src=x.png> & three` +
		`<p>Four</b></i><span/>five<!-- </div> --></div></body></html>`
	if got := string(flatten([]byte(page))); got != page {
		t.Errorf("flatten changed a shallow page:\n got %s\nwant %s", got, page)
	}
	deep := strings.Repeat("<div>", flattenDepth+10) + "text" + strings.Repeat("</div>", flattenDepth+10)
	got := string(flatten([]byte(deep)))
	if n := strings.Count(got, "<div>"); n != flattenDepth+10 || strings.Count(got, "</div>") != n {
		t.Errorf("flatten of %d nested divs wrote %d start and %d end tags, want every div opened and closed once",
			flattenDepth+10, n, strings.Count(got, "</div>"))
	}
	if depth := maxDepth(got); depth > flattenDepth {
		t.Errorf("flatten left divs %d deep, want at most %d", depth, flattenDepth)
	}
}

// maxDepth is how deep the divs of page nest.
func maxDepth(page string) int {
	depth, most := 0, 0
	for i := 0; i < len(page); i++ {
		switch {
		case strings.HasPrefix(page[i:], "<div>"):
			depth++
			most = max(most, depth)
		case strings.HasPrefix(page[i:], "</div>"):
			depth--
		}
	}
	return most
}
