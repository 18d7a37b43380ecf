package schemas_test

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
	"newsdesk/schemas"
	"newsdesk/schemas/schematest"
)

func TestEveryEventTypeHasAParsableSchema(t *testing.T) {
	for _, typ := range []string{news.EventType(news.ArticleCreated), news.EventType(news.ArticleUpdated), news.AlertType} {
		f := schemas.FileForType(typ)
		if _, err := fs.Stat(schemas.FS, f); err != nil {
			t.Errorf("type %s: no schema file %q: %v", typ, f, err)
		}
	}
	if f := schemas.FileForType("com.example.other.v1"); f != "" {
		t.Errorf("a foreign type maps to %q", f)
	}
}

func TestEventsOfTheConstructorsValidateAndBrokenOnesDoNot(t *testing.T) {
	a := news.Article{URL: "https://example.org/a", Source: "example", Title: "T", Text: "Body.",
		Published: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Topics: []string{"privacy"}}
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	created := news.NewArticleEvent(news.ArticleCreated, a, now)
	edited := a
	edited.Revision, edited.Changes, edited.Text = 2, []string{news.ChangeText}, "Body, edited."
	alert := news.NewAlertEvent(news.Alert{Watch: "w", ArticleID: created.Data.ID, Title: a.Title, URL: a.URL, Source: a.Source}, a, now)
	for name, ev := range map[string]any{"created": created, "updated": news.NewArticleEvent(news.ArticleUpdated, edited, now), "alert": alert} {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if err := schematest.Validate(b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	broken := map[string]func(m map[string]any){
		"no id":           func(m map[string]any) { delete(m, "id") },
		"wrong version":   func(m map[string]any) { m["specversion"] = "0.3" },
		"bad paywall":     func(m map[string]any) { m["data"].(map[string]any)["paywall"].(map[string]any)["kind"] = "sometimes" },
		"authors missing": func(m map[string]any) { delete(m["data"].(map[string]any), "authors") },
		"bad time":        func(m map[string]any) { m["time"] = "yesterday" },
	}
	for name, breakIt := range broken {
		b, _ := json.Marshal(created)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		breakIt(m)
		b, _ = json.Marshal(m)
		if err := schematest.Validate(b); err == nil {
			t.Errorf("%s: validated, want an error", name)
		}
	}
	if err := schematest.Validate([]byte(`{"type":"io.newsdesk.article.created.v2"}`)); err == nil || !strings.Contains(err.Error(), "no schema") {
		t.Errorf("an unknown version: %v", err)
	}
}

// TestEventsNameTheirSchemaByItsID: every event's CloudEvents dataschema is
// the $id of the schema file its type names, so a subscriber can fetch it
// (newsdesk serve serves the files under /schemas/).
func TestEventsNameTheirSchemaByItsID(t *testing.T) {
	if news.SchemaBaseURL != schemas.BaseURL {
		t.Fatalf("news.SchemaBaseURL %q, schemas.BaseURL %q", news.SchemaBaseURL, schemas.BaseURL)
	}
	a := news.Article{URL: "https://example.org/a", Source: "example", Title: "T", Text: "Body."}
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	created := news.NewArticleEvent(news.ArticleCreated, a, now)
	events := map[string][2]string{
		"created": {created.Type, created.DataSchema},
		"updated": {news.EventType(news.ArticleUpdated), news.NewArticleEvent(news.ArticleUpdated, a, now).DataSchema},
		"alert":   {news.AlertType, news.NewAlertEvent(news.Alert{Watch: "w", ArticleID: created.Data.ID, URL: a.URL}, a, now).DataSchema},
	}
	for name, ev := range events {
		file := schemas.FileForType(ev[0])
		b, err := fs.ReadFile(schemas.FS, file)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if ev[1] != head.ID || head.ID != schemas.BaseURL+file {
			t.Errorf("%s event: dataschema %q, the $id of %s is %q", name, ev[1], file, head.ID)
		}
	}
}
