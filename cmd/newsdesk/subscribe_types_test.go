package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/news"
)

// `newsdesk subscribe` on a terminal names each article event by its kind,
// read with news.ParseEventType: the kind this binary knows plainly, an
// event of another schema version with its version, and any other type as
// it is.
func TestPrintEventTextNamesTheEventKind(t *testing.T) {
	a := news.Article{ID: "x", URL: "https://wire.example/x", Title: "Fine for data sharing", Source: "wire"}
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	created := news.NewArticleEvent(news.ArticleCreated, a, at)
	updated := news.NewArticleEvent(news.ArticleUpdated, a, at)
	future := created
	future.Type = "io.newsdesk.article.created.v9"
	other := created
	other.Type = "com.example.thing.v1"
	for _, c := range []struct {
		ev   news.ArticleEvent
		want string
	}{
		{created, "  CREATED  wire\n  Fine for data sharing\n"},
		{updated, "  UPDATED  wire\n"},
		{future, "  CREATED.V9  wire\n"},
		{other, "  com.example.thing.v1  newsdesk.article.created.wire.none\n"},
	} {
		data, err := json.Marshal(c.ev)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		printEventText(&out, events.Message{Subject: "newsdesk.article.created.wire.none", Data: data})
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("type %s printed %q, want it to contain %q", c.ev.Type, out.String(), c.want)
		}
	}
}
