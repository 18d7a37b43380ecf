package main

import (
	"bytes"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"

	"newsdesk/parser"
)

// extractor is one system under test: a name, its version and a function
// from a page to its body text.
type extractor struct {
	Name, Version string
	Extract       func(pageURL string, html []byte) string
	// Once marks an extractor timed on one pass only (Python trafilatura,
	// at about 20 pages/s: more passes would add minutes to every run).
	Once bool
}

// readeckVersion is the go.mod version of readeck's go-readability; the
// anchor results name it so, and the anchor test checks they agree.
const readeckVersion = "v2.1.3"

// goTrafilaturaVersion is the go.mod version of go-trafilatura.
const goTrafilaturaVersion = "v1.12.2"

// extractors returns newsdesk and the baseline measured beside it.
func extractors() []extractor {
	p := parser.New(parser.Options{})
	return []extractor{
		{Name: "newsdesk", Version: "dev", Extract: func(u string, b []byte) string {
			// A page judged not to be a story still carries the text the
			// parser found; the benchmark scores that text.
			a, _ := p.Parse(u, b)
			return a.Text
		}},
		{Name: "readeck-v2", Version: readeckVersion, Extract: readeckText},
		{Name: "go-trafilatura", Version: goTrafilaturaVersion, Extract: goTrafilaturaText},
	}
}

// goTrafilaturaText runs go-trafilatura with its standard settings, as
// Python trafilatura's extract() has them: fallback extractors on, comments
// kept.
func goTrafilaturaText(pageURL string, html []byte) string {
	u, _ := url.Parse(pageURL)
	res, err := trafilatura.Extract(bytes.NewReader(html), trafilatura.Options{OriginalURL: u, EnableFallback: true})
	if err != nil || res == nil {
		return ""
	}
	return softHyphen.Replace(res.ContentText)
}

// softHyphen is deleted from the Go extractors' output before scoring, as
// the benchmark's Go runners do.
var softHyphen = strings.NewReplacer("\u00ad", "")

// readeckText runs readeck's go-readability as its benchmark runner does:
// FromReader with the page's URL, then its plain-text rendering of the
// article node; a failure or an empty article gives no text.
func readeckText(pageURL string, html []byte) string {
	u, _ := url.Parse(pageURL)
	art, err := readability.FromReader(bytes.NewReader(html), u)
	if err != nil || art.Node == nil {
		return ""
	}
	var b strings.Builder
	if err := art.RenderText(&b); err != nil {
		return ""
	}
	return softHyphen.Replace(b.String())
}
