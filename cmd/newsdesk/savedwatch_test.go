package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"newsdesk/config"
	"newsdesk/events"
	"newsdesk/indexer/embedded"
	"newsdesk/internal/apiclient"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// TestSearchSavedAsAlertPublishesOnItsSubject: a search saved through the
// API (the generated client) is picked up by a running alerter without a
// restart and alerts on newsdesk.alert.<name>, beside the config's watch;
// it is listed, its name and a config watch's are refused twice, and once
// deleted it alerts no more. All over a real NATS server.
func TestSearchSavedAsAlertPublishesOnItsSubject(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	url := testenv.NATS(t)
	cfg := config.Default()
	cfg.Watches = []config.Watch{{Name: "orchards", Query: "orchard"}}
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	bus, err := events.Connect(ctx, busOptions(cfg, url, "test", logger))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	alerts := subscribeAlerts(t, url)

	m, err := newMatcher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	alerterCtx, stopAlerter := context.WithCancel(ctx)
	alerterDone := make(chan error, 1)
	go func() { alerterDone <- runAlerter(alerterCtx, cfg, m, bus, logger) }()
	defer func() { stopAlerter(); <-alerterDone }()

	idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	srv := httptest.NewServer(newAPIWatching(cfg, idx, newWatchStore(ctx, cfg, bus, logger), logger))
	defer srv.Close()
	c, err := apiclient.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}

	saved, err := c.SaveWatchWithResponse(ctx, apiclient.WatchRequest{Name: "harbour-news", Query: "harbour NOT storm",
		Filters: &apiclient.WatchFilters{Source: &[]string{"port"}}})
	if err != nil || saved.JSON201 == nil || saved.JSON201.Subject != "harbour-news" {
		t.Fatalf("saveWatch: %v, %s", err, saved.Body)
	}
	for name, query := range map[string]string{"harbour-news": "harbour", "orchards": "apples"} {
		again, err := c.SaveWatchWithResponse(ctx, apiclient.WatchRequest{Name: name, Query: query})
		if err != nil || again.JSON409 == nil {
			t.Errorf("saving %s again: %v, status %d: %s", name, err, again.StatusCode(), again.Body)
		}
	}
	bad, err := c.SaveWatchWithResponse(ctx, apiclient.WatchRequest{Name: "broken", Query: "(harbour"})
	if err != nil || bad.JSON400 == nil || bad.JSON400.Position == nil {
		t.Errorf("saving an unclosed parenthesis: %v, status %d: %s", err, bad.StatusCode(), bad.Body)
	}
	list, err := c.ListWatchesWithResponse(ctx)
	if err != nil || list.JSON200 == nil || len(list.JSON200.Watches) != 1 || list.JSON200.Watches[0].Query != "harbour NOT storm" {
		t.Fatalf("listWatches: %v, %s", err, list.Body)
	}

	// The alerter may not have seen the new watch yet: publish until it
	// alerts (each story is new, so each is evaluated).
	publishUntilAlert(ctx, t, bus, alerts, "harbour-news", func(i int) news.Article {
		return article("port", fmt.Sprintf("The harbour reopens, day %d", i))
	})
	publishUntilAlert(ctx, t, bus, alerts, "orchards", func(i int) news.Article {
		return article("farm", fmt.Sprintf("An orchard in bloom, day %d", i))
	})

	del, err := c.DeleteWatchWithResponse(ctx, "harbour-news")
	if err != nil || del.StatusCode() != http.StatusNoContent {
		t.Fatalf("deleteWatch: %v, status %d: %s", err, del.StatusCode(), del.Body)
	}
	if again, err := c.DeleteWatchWithResponse(ctx, "harbour-news"); err != nil || again.JSON404 == nil {
		t.Errorf("deleting it again: %v, status %d", err, again.StatusCode())
	}
	// Rounds of a harbour story then an orchard story: once the orchard
	// alert of a round came, the alerter (one consumer, in order) has
	// evaluated the harbour story too. The alerter may learn of the
	// deletion a moment late, so a round without the deleted watch's alert
	// must come, and after it none may alert again.
	quiet := false
	for round := 0; round < 20; round++ {
		got := publishUntilAlert(ctx, t, bus, alerts, "orchards", func(i int) news.Article {
			harbour := article("port", fmt.Sprintf("Harbour after the deletion %d-%d", round, i))
			if err := bus.Publish(ctx, news.NewArticleEvent(news.ArticleCreated, harbour, time.Now())); err != nil {
				t.Fatal(err)
			}
			return article("farm", fmt.Sprintf("Another orchard %d-%d", round, i))
		})
		alerted := slices.Contains(got, "harbour-news")
		if quiet && alerted {
			t.Fatalf("round %d: the deleted watch alerts again: %q", round, got)
		}
		if !alerted && quiet {
			return
		}
		quiet = quiet || !alerted
	}
	t.Fatal("the deleted watch kept alerting")
}

// TestSavedWatchesWithoutNATSAnswer503: serve without NATS still searches;
// the watch endpoints say why they cannot work, after checking the request.
func TestSavedWatchesWithoutNATSAnswer503(t *testing.T) {
	idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	srv := httptest.NewServer(newAPIWatching(config.Default(), idx, nil, nil))
	defer srv.Close()
	c, err := apiclient.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	save, err := c.SaveWatchWithResponse(ctx, apiclient.WatchRequest{Name: "harbour", Query: "harbour"})
	mustNot(t, err)
	list, err := c.ListWatchesWithResponse(ctx)
	mustNot(t, err)
	del, err := c.DeleteWatchWithResponse(ctx, "harbour")
	mustNot(t, err)
	for name, code := range map[string]int{"save": save.StatusCode(), "list": list.StatusCode(), "delete": del.StatusCode()} {
		if code != http.StatusServiceUnavailable {
			t.Errorf("%s: status %d, want 503", name, code)
		}
	}
	if invalid, err := c.SaveWatchWithResponse(ctx, apiclient.WatchRequest{Name: "Not A Name", Query: "harbour"}); err != nil || invalid.JSON400 == nil {
		t.Errorf("an invalid name without NATS: status %d, want 400", invalid.StatusCode())
	}
	if search, err := c.SearchArticlesWithResponse(ctx, nil); err != nil || search.JSON200 == nil {
		t.Errorf("search without NATS: status %d", search.StatusCode())
	}
}

func article(source, title string) news.Article {
	a := news.Article{URL: "https://" + source + ".example/" + title, Source: source, Title: title,
		Text: title + ". More words follow.", Authors: []string{}}
	a.ID = news.DocID(a.URL)
	return a
}

// subscribeAlerts delivers the watch name of every alert published.
func subscribeAlerts(t *testing.T, url string) chan string {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	ch := make(chan string, 256)
	if _, err := nc.Subscribe(news.AlertSubject(">"), func(m *nats.Msg) {
		var ev news.AlertEvent
		if json.Unmarshal(m.Data, &ev) == nil && m.Subject == news.AlertSubject(ev.Data.Watch) {
			ch <- ev.Data.Watch
		}
	}); err != nil {
		t.Fatal(err)
	}
	return ch
}

// publishUntilAlert publishes next(0), next(1), ... until an alert of
// watch arrives, and returns the watches of the alerts seen meanwhile.
func publishUntilAlert(ctx context.Context, t *testing.T, bus *events.Bus, alerts chan string, watch string, next func(int) news.Article) []string {
	t.Helper()
	var seen []string
	for i := 0; ; i++ {
		if err := bus.Publish(ctx, news.NewArticleEvent(news.ArticleCreated, next(i), time.Now())); err != nil {
			t.Fatal(err)
		}
		retry := time.NewTimer(2 * time.Second) // then publish another story: not a sleep to show nothing happened
		for {
			select {
			case w := <-alerts:
				seen = append(seen, w)
				if w == watch {
					retry.Stop()
					return seen
				}
				continue
			case <-retry.C:
			case <-ctx.Done():
				t.Fatalf("no alert of %s; saw %q", watch, seen)
			}
			break
		}
	}
}

// TestServeSavesWatchesInNATS: `newsdesk serve` with nats.url stores a
// saved watch in the bucket every alerter follows; with a NATS URL that
// does not answer it still starts and searches, and /api/watches is 503.
func TestServeSavesWatchesInNATS(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	natsURL := testenv.NATS(t)
	for name, tc := range map[string]struct {
		url  string
		want int
	}{"with NATS": {natsURL, http.StatusCreated}, "without": {"nats://127.0.0.1:1", http.StatusServiceUnavailable}} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("NEWSDESK_DATA_DIR", t.TempDir())
			t.Setenv("NEWSDESK_NATS_URL", tc.url)
			base := startServe(ctx, t)
			c, err := apiclient.NewClientWithResponses(base)
			mustNot(t, err)
			saved, err := c.SaveWatchWithResponse(ctx, apiclient.WatchRequest{Name: "harbour", Query: "harbour"})
			mustNot(t, err)
			if saved.StatusCode() != tc.want {
				t.Fatalf("saveWatch: status %d, want %d: %s", saved.StatusCode(), tc.want, saved.Body)
			}
			if search, err := c.SearchArticlesWithResponse(ctx, nil); err != nil || search.JSON200 == nil {
				t.Fatalf("search: %v", err)
			}
		})
	}
	bus, err := events.Connect(ctx, events.Options{URL: natsURL, Name: t.Name()})
	mustNot(t, err)
	defer bus.Close()
	kv, err := bus.Watches(ctx, "")
	mustNot(t, err)
	if list, err := kv.List(ctx); err != nil || len(list) != 1 || list[0].Name != "harbour" || list[0].Subject != "harbour" {
		t.Errorf("the bucket holds %+v, %v", list, err)
	}
}

// startServe runs `newsdesk serve` on a free port until the test ends and
// returns its base URL.
func startServe(ctx context.Context, t *testing.T) string {
	t.Helper()
	runCtx, stop := context.WithCancel(ctx)
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- Main(runCtx, []string{"serve", "-addr", "127.0.0.1:0"}, IO{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr})
	}()
	t.Cleanup(func() { stop(); <-exit })
	pollUntil(ctx, t, "serve to listen", func() bool {
		select {
		case code := <-exit:
			exit <- code
			t.Fatalf("newsdesk serve exited %d:\n%s", code, stderr)
		default:
		}
		return strings.Contains(stdout.String(), "serving search on http://")
	})
	return strings.TrimSpace(strings.TrimPrefix(stdout.String(), "serving search on "))
}
