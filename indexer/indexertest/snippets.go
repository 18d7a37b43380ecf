package indexertest

import (
	"fmt"
	"html"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"newsdesk/indexer"
	"newsdesk/news"
)

// RunSnippetBoundaries checks that snippets begin and end at word
// boundaries: searching each word of a long story, the snippet, with its
// marks and ellipses removed, is a run of whole words of the text.
func RunSnippetBoundaries(t *testing.T, idx indexer.Index) {
	t.Helper()
	// Sentences of uneven length, so cuts by character count fall inside
	// words.
	filler := strings.Fields("on Thursday the distribution figures were published by observers who called them remarkable although several economists disagreed")
	var sentences []string
	for i := range 40 {
		words := []string{fmt.Sprintf("Regulator%d", i)}
		for j := range 3 + (i*7)%11 {
			words = append(words, filler[(i*5+j*3)%len(filler)])
		}
		words = append(words, fmt.Sprintf("carrier%d", i))
		sentences = append(sentences, strings.Join(words, " ")+".")
	}
	text := strings.Join(sentences, " ")
	a := news.Article{URL: "https://snippets.example/long", Source: "snippets", Language: "en",
		Title: "Long story", Text: text, Published: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
	a.ID = news.DocID(a.URL)
	if errs := idx.Store(t.Context(), []news.Article{a}); errs[0] != nil {
		t.Fatalf("Store: %v", errs[0])
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i += 3 {
		for _, word := range []string{fmt.Sprintf("regulator%d", i), fmt.Sprintf("carrier%d", i)} {
			res, err := idx.Search(t.Context(), news.Query{Text: word, Sources: []string{"snippets"}})
			if err != nil || len(res.Hits) != 1 {
				t.Fatalf("Search(%s) = %+v, %v", word, res, err)
			}
			s := res.Hits[0].Snippet
			if !strings.Contains(strings.ToLower(s), news.HighlightPre+word+news.HighlightPost) {
				t.Errorf("%s: snippet %q does not mark it", word, s)
			}
			plain := strings.NewReplacer(news.HighlightPre, "", news.HighlightPost, "").Replace(s)
			plain = strings.TrimSpace(strings.Trim(html.UnescapeString(plain), "…"))
			at := strings.Index(text, plain)
			if at < 0 {
				t.Errorf("%s: snippet %q is not a piece of the text", word, s)
				continue
			}
			if before, _ := utf8.DecodeLastRuneInString(text[:at]); at > 0 && isWordRune(before) {
				t.Errorf("%s: snippet %q starts inside a word", word, s)
			}
			if after, _ := utf8.DecodeRuneInString(text[at+len(plain):]); at+len(plain) < len(text) && isWordRune(after) {
				t.Errorf("%s: snippet %q ends inside a word", word, s)
			}
		}
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
