package alert

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"newsdesk/news"
)

// seedArticle is the seed story as the parser extracts it (its golden file).
func seedArticle(t testing.TB) news.Article {
	t.Helper()
	b, err := os.ReadFile("../parser/testdata/seed-meta-netflix.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var a news.Article
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	a.ID, a.Source, a.Language, a.Topics = news.DocID(a.Key()), "ledger", "en", []string{"privacy", "lawsuits"}
	return a
}

func TestMatchQueries(t *testing.T) {
	a := news.Article{
		Title:       "Lawsuit Alleges Meta Allowed Netflix Access to Facebook Users’ Messages",
		Description: "Court filings describe a data-sharing deal.",
		Text:        "Meta gave Netflix access to private messages, the suit says.\n\nEnd-to-end encryption was not in place.",
	}
	for _, c := range []struct {
		query string
		match bool
		terms []string
	}{
		{`Meta AND Netflix AND (messages OR "data sharing")`, true, []string{"Meta", "Netflix", "messages", `"data sharing"`}},
		{`meta netflix`, true, []string{"meta", "netflix"}}, // implicit AND, any case
		{`Meta AND Google`, false, nil},
		{`Google OR Netflix`, true, []string{"Netflix"}},
		{`Meta NOT Netflix`, false, nil},         // NOT
		{`Meta -Google`, true, []string{"Meta"}}, // - is NOT
		{`Meta AND NOT (Google OR Amazon)`, true, []string{"Meta"}},
		{`Netflix NOT "private messages"`, false, nil},               // NOT a phrase
		{`"private messages"`, true, []string{`"private messages"`}}, // phrase
		{`"messages private"`, false, nil},                           // word order matters
		{`"data sharing"`, true, []string{`"data sharing"`}},         // punctuation between words
		{`end-to-end`, true, []string{"end-to-end"}},                 // a hyphenated word is a phrase
		{`"says end"`, true, []string{`"says end"`}},                 // the paragraphs of the text are one field
		{`"messages court"`, false, nil},                             // never across fields
		{`meta*`, true, []string{"meta*"}},                           // prefix
		{`messag* AND NOT metadata`, true, []string{"messag*"}},
		{`metadata`, false, nil}, // whole words only
		{`(Meta OR Google) AND (TikTok OR Netflix)`, true, []string{"Meta", "Netflix"}},
	} {
		m, err := NewMatcher([]Watch{{Name: "w", Query: c.query, Subject: "w"}})
		if err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		got := m.Match(&a)
		if (len(got) == 1) != c.match {
			t.Errorf("%s: matched %v, want %v", c.query, len(got) == 1, c.match)
			continue
		}
		if c.match && !slices.Equal(got[0].Terms, c.terms) {
			t.Errorf("%s: terms %q, want %q", c.query, got[0].Terms, c.terms)
		}
	}
}

func TestMatchFilters(t *testing.T) {
	a := news.Article{Title: "Meta", Source: "wired", Language: "en", Topics: []string{"privacy", "security"},
		Paywall: news.Paywall{Kind: news.PaywallMetered}}
	for _, c := range []struct {
		w     Watch
		match bool
	}{
		{Watch{Sources: []string{"wired", "ars"}}, true},
		{Watch{Sources: []string{"ars"}}, false},
		{Watch{Topics: []string{"security"}}, true},
		{Watch{Topics: []string{"ai"}}, false},
		{Watch{Languages: []string{"de"}}, false},
		{Watch{Languages: []string{"en"}, Paywalls: []news.PaywallKind{news.PaywallNone, news.PaywallMetered}}, true},
		{Watch{Paywalls: []news.PaywallKind{news.PaywallHard}}, false},
	} {
		c.w.Name, c.w.Query, c.w.Subject = "w", "meta", "w"
		m, err := NewMatcher([]Watch{c.w})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(m.Match(&a)) == 1; got != c.match {
			t.Errorf("%+v: matched %v, want %v", c.w, got, c.match)
		}
	}
}

func TestBadWatchesAreRejectedWithTheirName(t *testing.T) {
	for _, c := range []struct {
		w    Watch
		want string
	}{
		{Watch{Name: "a", Query: "", Subject: "a"}, "empty"},
		{Watch{Name: "a", Query: `"open`, Subject: "a"}, "unclosed quote at 0"},
		{Watch{Name: "a", Query: `(meta OR`, Subject: "a"}, "OR needs a word after it at 6"},
		{Watch{Name: "a", Query: `(meta`, Subject: "a"}, "unclosed parenthesis at 0"},
		{Watch{Name: "a", Query: `meta)`, Subject: "a"}, "unmatched closing parenthesis at 4"},
		{Watch{Name: "a", Query: `me*`, Subject: "a"}, "at least 3 letters"},
		{Watch{Name: "a", Query: `NOT meta`, Subject: "a"}, "only by what an article lacks"},
		{Watch{Name: "a", Query: `meta OR NOT google`, Subject: "a"}, "only by what an article lacks"},
		{Watch{Name: "a", Query: `!!!`, Subject: "a"}, "no letters"},
		{Watch{Name: "a", Query: `meta`, Subject: "Bad Subject"}, "subject"},
		{Watch{Query: `meta`, Subject: "a"}, "name"},
	} {
		_, err := NewMatcher([]Watch{c.w})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one saying %q", c.w, err, c.want)
		}
	}
}

func TestSeedStoryWatchAndSnippet(t *testing.T) {
	a := seedArticle(t)
	m, err := NewMatcher([]Watch{
		{Name: "meta-netflix", Query: `Meta AND Netflix AND (messages OR "data sharing")`, Languages: []string{"en"}, Subject: "privacy.meta-netflix"},
		{Name: "tiktok", Query: `TikTok`, Subject: "tiktok"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := m.Match(&a)
	if len(got) != 1 || got[0].Watch.Name != "meta-netflix" {
		t.Fatalf("matches %+v, want only meta-netflix", got)
	}
	if !slices.Contains(got[0].Terms, "Meta") || !slices.Contains(got[0].Terms, "Netflix") {
		t.Errorf("terms %q", got[0].Terms)
	}
	s := got[0].Snippet
	if s == "" || len([]rune(s)) > snippetLen+2 || !strings.Contains(strings.ToLower(s), "meta") || !strings.Contains(a.Text, strings.Trim(s, "…")) {
		t.Errorf("snippet %q: want up to %d characters of the text around a match", s, snippetLen)
	}
}
