package topics

import (
	"slices"
	"testing"

	"newsdesk/news"
)

func TestDefaultsKeepPrivacyStoriesAndDropOthers(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		a    news.Article
		want string // a topic it must have; "" for none at all
	}{
		{news.Article{Title: "Regulator Fines Ad-Tech Firm Over Covert Location Tracking", Text: "The regulator said the tracking was unlawful."}, "tracking"},
		{news.Article{Title: "Parliament passes encryption law", Text: "The data protection bill keeps end-to-end encryption."}, "privacy"},
		{news.Article{Title: "NSO's Pegasus spyware found on phones", Text: "Surveillance of journalists."}, "surveillance"},
		{news.Article{Title: "EU opens antitrust probe into app store", Text: "Gatekeeper rules under the Digital Markets Act."}, "antitrust"},
		{news.Article{Title: "Hospital discloses data breach", Text: "Ransomware gang leaked records."}, "breaches"},
		{news.Article{Title: "Local team wins the cup", Text: "A fine match, with one privacy mention."}, ""},
		{news.Article{Title: "New phone review", Text: "The camera is great. The battery lasts."}, ""},
	} {
		got := c.Classify(tc.a)
		switch {
		case tc.want == "" && len(got) != 0:
			t.Errorf("%q: topics %v, want none", tc.a.Title, got)
		case tc.want != "" && !slices.Contains(got, tc.want):
			t.Errorf("%q: topics %v, want %s among them", tc.a.Title, got, tc.want)
		}
	}
}

func TestCustomRules(t *testing.T) {
	c, err := New([]Rule{{Name: "climate", Keywords: []string{"emissions", "Carbon Tax"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Classify(news.Article{Title: "A carbon tax for shipping"}); !slices.Equal(got, []string{"climate"}) {
		t.Errorf("topics %v, want climate", got)
	}
	if got := c.Classify(news.Article{Title: "Privacy fine", Text: "privacy privacy"}); len(got) != 0 {
		t.Errorf("custom rules replace the defaults, got %v", got)
	}
	if _, err := New([]Rule{{Name: "", Keywords: []string{"x"}}}); err == nil {
		t.Error("a rule without a name was accepted")
	}
}
