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
		got, relevance := c.Classify(tc.a)
		if (relevance > 0) != (len(got) > 0) || relevance > 1 {
			t.Errorf("%q: relevance %v with topics %v", tc.a.Title, relevance, got)
		}
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
	if got, _ := c.Classify(news.Article{Title: "A carbon tax for shipping"}); !slices.Equal(got, []string{"climate"}) {
		t.Errorf("topics %v, want climate", got)
	}
	if got, _ := c.Classify(news.Article{Title: "Privacy fine", Text: "privacy privacy"}); len(got) != 0 {
		t.Errorf("custom rules replace the defaults, got %v", got)
	}
	if _, err := New([]Rule{{Name: "", Keywords: []string{"x"}}}); err == nil {
		t.Error("a rule without a name was accepted")
	}
}

func TestRelevanceGrowsWithEvidence(t *testing.T) {
	c, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, weak := c.Classify(news.Article{Title: "Phone makers meet", Text: "Encryption came up. So did encryption keys."})
	_, strong := c.Classify(news.Article{Title: "Regulator fines data broker over tracking",
		Text: "The privacy regulator said the tracking broke data protection law. Tracking cookies, location data and a fine followed. The GDPR fine is the largest."})
	if weak <= 0 || strong <= weak || strong > 1 {
		t.Errorf("relevance: passing mention %v, story on the beat %v; want 0 < weak < strong <= 1", weak, strong)
	}
}
