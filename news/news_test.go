package news

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestDocIDIgnoresWhatDoesNotChangeTheStory(t *testing.T) {
	base := DocID("https://www.example.org/2024/03/story")
	for _, same := range []string{
		"http://www.example.org/2024/03/story",
		"https://WWW.Example.org/2024/03/story/",
		"https://www.example.org:443/2024/03/story#comments",
		" https://www.example.org/2024/03/story ",
	} {
		if got := DocID(same); got != base {
			t.Errorf("DocID(%q) = %s, want %s", same, got, base)
		}
	}
	for _, other := range []string{
		"https://www.example.org/2024/03/other-story",
		"https://example.org/2024/03/story",
		"https://www.example.org/2024/03/story?page=2",
	} {
		if DocID(other) == base {
			t.Errorf("DocID(%q) collides with a different URL", other)
		}
	}
	if len(base) != 32 {
		t.Errorf("id %q: want 32 hex digits", base)
	}
}

func TestNewArticleEventIsACloudEventWithStableIDs(t *testing.T) {
	a := Article{URL: "https://example.org/a", Source: "example", Title: "T", Text: "Body."}
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	ev := NewArticleEvent(ArticleCreated, a, now)
	if ev.Data.ID != DocID("https://example.org/a") || !strings.HasPrefix(ev.ID, ev.Data.ID+"-") {
		t.Errorf("ids: event %q, article %q", ev.ID, ev.Data.ID)
	}
	if ev.SpecVersion != "1.0" || ev.Type != "io.newsdesk.article.created.v1" || ev.Source != "/newsdesk/sources/example" || ev.DataContentType != "application/json" {
		t.Errorf("envelope %+v", ev)
	}
	if !ev.Time.Equal(now) || ev.Time.Location() != time.UTC {
		t.Errorf("time %v, want %v in UTC", ev.Time, now)
	}
	if ev.Data.Paywall.Kind != PaywallNone || ev.Data.Paywall.Signals == nil || ev.Data.Authors == nil {
		t.Errorf("defaults not filled: %+v", ev.Data.Paywall)
	}
	if k, ok := ev.Kind(); !ok || k != ArticleCreated {
		t.Errorf("Kind() = %q, %v", k, ok)
	}

	// Same content later: same event id (JetStream stores it once).
	if again := NewArticleEvent(ArticleCreated, a, now.Add(time.Hour)); again.ID != ev.ID {
		t.Errorf("republishing the same content changed the event id")
	}
	// Changed text: a new event id for the same document.
	a.Text = "Body, corrected."
	if edited := NewArticleEvent(ArticleCreated, a, now); edited.ID == ev.ID || edited.Data.ID != ev.Data.ID {
		t.Errorf("an edit must keep the document id and change the event id")
	}
	if _, ok := (ArticleEvent{Type: "io.newsdesk.article.created.v2"}).Kind(); ok {
		t.Error("an unknown schema version was accepted")
	}
}

func TestArticleJSONContract(t *testing.T) {
	b, err := json.Marshal(NewArticleEvent(ArticleCreated, Article{URL: "https://example.org/a"}, time.Unix(0, 0)).Data)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, key := range []string{`"url"`, `"title"`, `"authors":[]`, `"text"`, `"paywall":{"detected":false,"kind":"none","truncated":false,"signals":[]}`} {
		if !strings.Contains(s, key) {
			t.Errorf("article JSON lacks %s: %s", key, s)
		}
	}
	if strings.Contains(s, `"published"`) {
		t.Errorf("an unknown published time must be absent, not zero: %s", s)
	}
}

func TestSubjectsAndSourceNames(t *testing.T) {
	if got := ArticleSubject(ArticleUpdated, "wired", "privacy"); got != "newsdesk.article.updated.wired.privacy" {
		t.Errorf("subject %q", got)
	}
	if got := ArticleSubject(ArticleCreated, "", ""); got != "newsdesk.article.created.unknown.none" {
		t.Errorf("subject without source and topic %q", got)
	}
	for name, ok := range map[string]bool{"wired": true, "the-record_2": true, "": false, "Wired": false, "a.b": false, "a b": false, "*": false, ">": false} {
		if ValidSourceName(name) != ok {
			t.Errorf("ValidSourceName(%q) = %v", name, !ok)
		}
	}
}

func TestTopicTokenIsTheSafePrimaryTopic(t *testing.T) {
	for _, c := range []struct {
		topics []string
		want   string
	}{
		{nil, "none"},
		{[]string{}, "none"},
		{[]string{"privacy", "security"}, "privacy"},
		{[]string{"Data Protection"}, "data-protection"},
		{[]string{"a.b*c>d"}, "a-b-c-d"},
		{[]string{"  ", "Überwachung"}, "überwachung"},
		{[]string{"..."}, "none"},
	} {
		if got := TopicToken(c.topics); got != c.want {
			t.Errorf("TopicToken(%q) = %q, want %q", c.topics, got, c.want)
		}
	}
}

func TestSubjectSuffixes(t *testing.T) {
	for s, ok := range map[string]bool{"meta": true, "privacy.meta-netflix": true, "": false, "a..b": false, "a.*": false, "a.>": false, "A": false, ".a": false} {
		if ValidSubjectSuffix(s) != ok {
			t.Errorf("ValidSubjectSuffix(%q) = %v", s, !ok)
		}
	}
}
