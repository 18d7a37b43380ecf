package events_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"newsdesk/news"
)

func TestWildcardSubscribersGetExactlyTheEventsTheyAskedFor(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	in := newInspector(t, srv.ClientURL())

	// The README's examples, and what each must receive.
	patterns := map[string][]string{
		"newsdesk.article.>":                {"wired-privacy", "wired-none", "record-privacy-update", "record-security", "other-multi"},
		"newsdesk.article.*.*.privacy":      {"wired-privacy", "record-privacy-update"},
		"newsdesk.article.*.therecord.>":    {"record-privacy-update", "record-security"},
		"newsdesk.article.updated.>":        {"record-privacy-update"},
		"newsdesk.article.created.*.none":   {"wired-none"},
		"newsdesk.article.*.*.data-privacy": {"other-multi"},
	}
	subs := map[string]*nats.Subscription{}
	for p := range patterns {
		sub, err := in.nc.SubscribeSync(p)
		if err != nil {
			t.Fatal(err)
		}
		subs[p] = sub
	}
	sentinel, err := in.nc.SubscribeSync("test.sentinel")
	if err != nil {
		t.Fatal(err)
	}
	if err := in.nc.FlushWithContext(ctx); err != nil {
		t.Fatal(err)
	}

	named := func(name, source string, topics ...string) news.Article {
		a := article(source, "https://"+source+".example/"+name, name)
		a.Title = name
		a.Topics = topics
		return a
	}
	publish(ctx, t, bus,
		event(news.ArticleCreated, named("wired-privacy", "wired", "privacy", "security")),
		event(news.ArticleCreated, named("wired-none", "wired")),
		event(news.ArticleUpdated, named("record-privacy-update", "therecord", "privacy")),
		event(news.ArticleCreated, named("record-security", "therecord", "security")),
		event(news.ArticleCreated, named("other-multi", "other", "Data Privacy", "privacy")),
	)
	// Published after the events on the same connection, so once the
	// sentinel arrived, every event a subscriber matches is in its queue.
	if err := bus.Conn().Publish("test.sentinel", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sentinel.NextMsgWithContext(ctx); err != nil {
		t.Fatalf("waiting for the sentinel: %v", err)
	}
	for p, want := range patterns {
		var got []string
		for {
			n, _, err := subs[p].Pending()
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			m, err := subs[p].NextMsgWithContext(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ev news.ArticleEvent
			if err := json.Unmarshal(m.Data, &ev); err != nil {
				t.Fatalf("%s: payload is not an article event: %v", p, err)
			}
			if got := m.Header.Get("Nats-Msg-Id"); got != ev.ID {
				t.Errorf("%s: Nats-Msg-Id = %q, want the event id %q", p, got, ev.ID)
			}
			got = append(got, ev.Data.Title)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s received %q, want %q", p, got, want)
		}
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
