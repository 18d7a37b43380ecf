package parser

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"newsdesk/news"
)

// FuzzParse feeds Parse mutations of the fixtures: it must never panic, and
// whatever it returns, by the full parse or by the cheap one of a page over
// the budget, must be valid UTF-8 with a valid paywall verdict.
// Run it with: go test -fuzz=FuzzParse -fuzztime=60s ./parser/
// A crasher lands in testdata/fuzz/FuzzParse and then runs with every
// `go test` as a regression test.
func FuzzParse(f *testing.F) {
	pages, _ := filepath.Glob("testdata/*.html")
	more, _ := filepath.Glob("testdata/paywall/*/*.html")
	for _, path := range append(pages, more...) {
		body, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add("https://news.example/"+filepath.Base(path), body)
	}
	f.Add("", []byte(""))
	f.Add("https://www.quayside.example/x", []byte(`<script type="application/ld+json">[[[[{"@type":"NewsArticle"}]]]]</script><p>x`))
	f.Add("https://news.example/reopened", []byte(reopenedFormatting(5, 20)))
	f.Add("https://news.example/table", []byte("<table><tr><td><b>x</td><td><font size=2>y</tr></table><p>z<ul><li>a<li><i>b</ul>"))
	p := New(Options{Sites: map[string]SiteRules{"www.quayside.example": quaysideRules}})
	// small has a budget most inputs exceed, so that the cheap extraction
	// is fuzzed too.
	small := New(Options{MaxNodes: 64})
	f.Fuzz(func(t *testing.T, pageURL string, body []byte) {
		// The fixtures are up to hundreds of kilobytes: fuzzing their
		// first 32 KB keeps thousands of runs a minute (TestHostile and
		// TestAmplifiers cover size).
		body = body[:min(len(body), 32<<10)]
		// The fuzzer does not report an input that hangs; crashing the
		// worker makes it save the input to testdata/fuzz.
		hang := time.AfterFunc(fuzzHang, func() { panic(fmt.Sprintf("Parse of %d bytes took over %s", len(body), fuzzHang)) })
		defer hang.Stop()
		a, err := p.Parse(pageURL, body)
		checkSane(t, a, err)
		a, err = small.Parse(pageURL, body)
		checkSane(t, a, err)
	})
}

// fuzzHang is far beyond what any page of fuzzer size (kilobytes) takes.
const fuzzHang = 20 * time.Second

// checkSane is what every Parse result must satisfy, whatever the input.
func checkSane(t testing.TB, a news.Article, err error) {
	t.Helper()
	for _, s := range []string{a.Title, a.Text, a.Description, a.Language, strings.Join(a.Authors, ""), strings.Join(a.Tags, "")} {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 in the article: %q", s)
		}
	}
	for _, e := range a.Entities {
		if !utf8.ValidString(e.Name) || e.Name == "" || e.Count < 1 {
			t.Fatalf("bad entity %+v", e)
		}
	}
	if err != nil && !errors.Is(err, news.ErrNotArticle) {
		return
	}
	if !a.Paywall.Kind.Valid() || a.Paywall.Signals == nil || a.Authors == nil {
		t.Fatalf("article with invalid fields: %+v", a.Paywall)
	}
	if a.WordCount != wordCount(a.Text) {
		t.Fatalf("WordCount %d for a text of %d words", a.WordCount, wordCount(a.Text))
	}
}
