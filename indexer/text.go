package indexer

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search defaults shared by the backends, so that both answer a query with
// the same page size and snippets of the same length.
const (
	// DefaultSize is the page size of a query whose Size is 0.
	DefaultSize = 10
	// SnippetLength is the approximate length, in characters, of a snippet.
	SnippetLength = 200
)

// Terms is a user's search text split into what backends query: plain words,
// all of which are required, and "quoted phrases", matched word for word.
type Terms struct {
	Words   []string
	Phrases []string
}

// Empty reports whether there is nothing to search for.
func (t Terms) Empty() bool { return len(t.Words) == 0 && len(t.Phrases) == 0 }

// ParseText splits a user's text into words and quoted phrases. It gives no
// character a meaning beyond the double quote (typographic quotes count too),
// so operators of a query language (+, -, *, field:, OR) are just text that the
// analyzer will drop or keep as a word. An unclosed quote makes a phrase of the
// rest. Tokens without a letter or digit are dropped: they analyze to nothing,
// and a required clause with nothing in it would match everything in one
// backend and nothing in another.
func ParseText(s string) Terms {
	s = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u201e", `"`).Replace(s)
	var t Terms
	for i, part := range strings.Split(s, `"`) {
		if i%2 == 1 { // inside quotes
			phrase := strings.Join(strings.Fields(part), " ")
			if hasWordChar(phrase) {
				t.Phrases = append(t.Phrases, phrase)
			}
			continue
		}
		for _, w := range strings.Fields(part) {
			if hasWordChar(w) {
				t.Words = append(t.Words, w)
			}
		}
	}
	return t
}

func hasWordChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}) >= 0
}

// FallbackSnippet is the snippet of a hit that has no highlighted fragment
// (an empty query, or words that matched only the title): the start of the
// text, whitespace collapsed, cut at a word boundary near n characters with
// an ellipsis, HTML-escaped so it is safe in a page like a highlighted one.
func FallbackSnippet(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return html.EscapeString(text)
	}
	// Byte offset of the n-th rune: text has more than n runes, so it exists.
	cut, runes := 0, 0
	for i := range text {
		if runes == n {
			cut = i
			break
		}
		runes++
	}
	head := text[:cut]
	if sp := strings.LastIndexByte(head, ' '); sp > len(head)/2 {
		head = head[:sp]
	}
	return html.EscapeString(strings.TrimRight(head, " ")) + "…"
}
