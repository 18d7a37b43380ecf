package alert

import (
	"errors"
	"testing"

	"newsdesk/news"
)

// FuzzParseQuery: parseQuery never panics on a watch query; a query it
// accepts compiles into a Matcher, and matching an article (one that says
// the query's own words, and one that says nothing) never panics either.
// Run it with: go test -run '^$' -fuzz '^FuzzParseQuery$' -fuzztime 60s ./alert
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{
		`Meta AND (fine OR penalty)`,
		`"end-to-end encryption" -WhatsApp`,
		`surveil* NOT (police OR "law enforcement")`,
		`Meta AND (`,
		`NOT x`,
		`((((a))))`,
		`"unclosed`,
		`- - a`,
		`a OR NOT b`,
		`日本 データ 保護`,
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		err := ParseQuery(q)
		if err != nil {
			return
		}
		m, err := NewMatcher([]Watch{{Name: "w", Query: q, Subject: "w"}})
		if err != nil {
			if errors.Is(err, news.ErrInvalidQuery) {
				return
			}
			t.Fatalf("ParseQuery(%q) accepts it, NewMatcher refuses it: %v", q, err)
		}
		for _, text := range []string{q, ""} {
			a := &news.Article{Title: "T", Text: text, Language: "en", Paywall: news.Paywall{Kind: news.PaywallNone}}
			_ = m.Match(a)
		}
	})
}
