package indexer

import (
	"html"
	"strings"
	"unicode/utf8"

	"newsdesk/news"
)

// Search defaults shared by the backends, so that both answer a query with
// the same page size and snippets of the same length.
const (
	// DefaultSize is the page size of a query whose Size is 0.
	DefaultSize = 10
	// SnippetLength is the approximate length, in characters, of a snippet.
	SnippetLength = 200
)

// FallbackSnippet is the snippet of a hit that has no highlighted fragment
// (an empty query, or words that matched only the title): the start of the
// text, whitespace collapsed, cut at a word boundary near n characters with
// an ellipsis, HTML-escaped so it is safe in a page like a highlighted one.
//
// Only the start of the text is read: the indexer computes it for every
// article, whose whole text it would otherwise split into words.
func FallbackSnippet(text string, n int) string {
	var b strings.Builder
	runes := 0
	for word := range strings.FieldsSeq(text) {
		if runes > n {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
			runes++
		}
		b.WriteString(word)
		runes += utf8.RuneCountInString(word)
	}
	text = b.String()
	if runes <= n {
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

// KeywordFilter is one exact-match filter of a query: a document passes
// when Field holds any of Values.
type KeywordFilter struct {
	Field  string
	Values []string
}

// KeywordFilters lists q's exact-match filters with the index field each
// one tests. Both backends build their filters from this one list, so a new
// filter cannot reach one backend and miss the other.
func KeywordFilters(q news.Query) []KeywordFilter {
	kinds := make([]string, len(q.PaywallKinds))
	for i, k := range q.PaywallKinds {
		kinds[i] = string(k)
	}
	var out []KeywordFilter
	for _, f := range []KeywordFilter{
		{"source", q.Sources},
		{"language", q.Languages},
		{"authors", q.Authors},
		{"topics", q.Topics},
		{"paywall.kind", kinds},
	} {
		if len(f.Values) > 0 {
			out = append(out, f)
		}
	}
	return out
}
