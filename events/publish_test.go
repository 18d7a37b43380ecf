package events_test

import (
	"encoding/json"
	"testing"

	"newsdesk/news"
)

func TestPublishUsesKindAndSourceSubject(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	in := newInspector(t, srv.ClientURL())

	bySource, err := in.nc.SubscribeSync("newsdesk.article.*.wired")
	if err != nil {
		t.Fatal(err)
	}
	updates, err := in.nc.SubscribeSync("newsdesk.article.updated.>")
	if err != nil {
		t.Fatal(err)
	}
	if err := in.nc.FlushWithContext(ctx); err != nil {
		t.Fatal(err)
	}

	created := event(news.ArticleCreated, article("wired", "https://wired.example/a", "a"))
	updated := event(news.ArticleUpdated, article("other", "https://other.example/b", "b"))
	publish(ctx, t, bus, created, updated)

	m, err := bySource.NextMsgWithContext(ctx)
	if err != nil {
		t.Fatalf("waiting on newsdesk.article.*.wired: %v", err)
	}
	if m.Subject != "newsdesk.article.created.wired" {
		t.Errorf("subject = %q, want newsdesk.article.created.wired", m.Subject)
	}
	if got := m.Header.Get("Nats-Msg-Id"); got != created.ID {
		t.Errorf("Nats-Msg-Id = %q, want the event id %q", got, created.ID)
	}
	var got news.ArticleEvent
	if err := json.Unmarshal(m.Data, &got); err != nil {
		t.Fatalf("payload is not an article event: %v", err)
	}
	if got.ID != created.ID || got.Data.URL != created.Data.URL {
		t.Errorf("received event %s for %s, want %s for %s", got.ID, got.Data.URL, created.ID, created.Data.URL)
	}

	// The created event was published first, on the same connection: had it
	// matched newsdesk.article.updated.>, it would arrive first.
	m, err = updates.NextMsgWithContext(ctx)
	if err != nil {
		t.Fatalf("waiting on newsdesk.article.updated.>: %v", err)
	}
	if m.Subject != "newsdesk.article.updated.other" {
		t.Errorf("newsdesk.article.updated.> received %q first, want newsdesk.article.updated.other", m.Subject)
	}
}

func TestPublishingTheSameEventTwiceStoresItOnce(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	in := newInspector(t, srv.ClientURL())

	a := article("wired", "https://wired.example/a", "first version")
	ev := event(news.ArticleCreated, a)
	publish(ctx, t, bus, ev, ev)
	if got := in.streamMsgs(ctx, t); got != 1 {
		t.Fatalf("stream holds %d messages after publishing one event twice, want 1", got)
	}

	a.Text = "second version"
	publish(ctx, t, bus, event(news.ArticleUpdated, a))
	if got := in.streamMsgs(ctx, t); got != 2 {
		t.Fatalf("stream holds %d messages after publishing changed content, want 2", got)
	}
}

func TestPublishRejectsEventsItCannotRoute(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	in := newInspector(t, srv.ClientURL())

	unknown := event(news.ArticleCreated, article("wired", "https://wired.example/a", "a"))
	unknown.Type = "io.newsdesk.article.deleted.v1"
	badSource := event(news.ArticleCreated, article("wired.com", "https://wired.example/b", "b"))
	noID := event(news.ArticleCreated, article("wired", "https://wired.example/c", "c"))
	noID.ID = ""

	for name, ev := range map[string]news.ArticleEvent{
		"unknown type": unknown, "source with a dot": badSource, "empty id": noID,
	} {
		if err := bus.Publish(ctx, ev); err == nil {
			t.Errorf("Publish with %s succeeded, want an error", name)
		}
	}
	if got := in.streamMsgs(ctx, t); got != 0 {
		t.Errorf("stream holds %d messages, want 0", got)
	}
}
