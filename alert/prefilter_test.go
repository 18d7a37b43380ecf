package alert

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"newsdesk/news"
)

// TestPrefilterAgreesWithFullEvaluation checks that skipping watches by
// their required words never changes the answer: on random watches (words,
// phrases, prefixes, OR, NOT, filters) and random articles, Match and
// matchAll return the same matches in the same order.
func TestPrefilterAgreesWithFullEvaluation(t *testing.T) {
	ws := benchWatches(500)
	// Queries whose requirement is an OR of a phrase and a prefix, or sits
	// under a NOT, so those paths are covered too.
	ws = append(ws,
		Watch{Name: "or", Query: `"court data" OR gdp*`, Subject: "or"},
		Watch{Name: "notor", Query: `NOT (google OR amazon) AND meta`, Subject: "notor"},
		Watch{Name: "nested", Query: `(meta AND NOT tiktok) OR (priv* AND "data sharing")`, Subject: "nested"},
	)
	m, err := NewMatcher(ws)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	articles := []news.Article{seedArticle(t)}
	for range 200 {
		var words []string
		for range 5 + r.IntN(60) {
			words = append(words, vocabulary[r.IntN(len(vocabulary))])
		}
		lang := "en"
		if r.IntN(3) == 0 {
			lang = "de"
		}
		articles = append(articles, news.Article{Title: words[0], Text: strings.Join(words[1:], " "), Language: lang})
	}
	total := 0
	for i := range articles {
		got, want := m.Match(&articles[i]), m.matchAll(&articles[i])
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("article %d: prefiltered %v, full %v", i, names(got), names(want))
		}
		total += len(got)
	}
	if total == 0 {
		t.Fatal("no article matched any watch: the test proves nothing")
	}
}

func TestRequirement(t *testing.T) {
	for _, c := range []struct{ query, want string }{
		{`meta`, `[meta]`},
		{`"data sharing"`, `[sharing]`},
		{`meta AND netflix`, `[netflix]`},     // longer word, likely rarer
		{`priv* AND data`, `[data]`},          // a word before a prefix
		{`(a OR b) AND privacy`, `[privacy]`}, // one key before two
		{`google OR "court data" OR gdp*`, `[google court gdp*]`},
		{`meta NOT google`, `[meta]`},
	} {
		q, err := parseQuery(c.query)
		if err != nil {
			t.Fatal(err)
		}
		keys, ok := requirement(q)
		var s []string
		for _, k := range keys {
			if k.prefix {
				s = append(s, k.word+"*")
			} else {
				s = append(s, k.word)
			}
		}
		if got := fmt.Sprint(s); !ok || got != c.want {
			t.Errorf("%s: requirement %s (ok %v), want %s", c.query, got, ok, c.want)
		}
	}
}

func names(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Watch.Name)
	}
	return out
}
