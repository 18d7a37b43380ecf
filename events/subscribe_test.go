package events_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/news"
)

var errEnough = errors.New("enough")

// collect subscribes with opts and returns the titles of the first n
// article events.
func collect(ctx context.Context, t *testing.T, bus *events.Bus, opts events.SubscribeOptions, n int) []string {
	t.Helper()
	var got []string
	err := bus.Subscribe(ctx, opts, func(m events.Message) error {
		var ev news.ArticleEvent
		if err := json.Unmarshal(m.Data, &ev); err != nil {
			return err
		}
		got = append(got, ev.Data.Title)
		if len(got) == n {
			return errEnough
		}
		return nil
	})
	if !errors.Is(err, errEnough) {
		t.Fatalf("Subscribe %+v: %v (got %q)", opts, err, got)
	}
	return got
}

func TestSubscribeStartsFromTheLastNOrATime(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	for _, name := range []string{"one", "two", "three", "four"} {
		a := article("wired", "https://wired.example/"+name, name)
		a.Title = name
		if name == "two" {
			a.Source = "other"
		}
		publish(ctx, t, bus, event(news.ArticleCreated, a))
	}
	got := collect(ctx, t, bus, events.SubscribeOptions{Subject: "newsdesk.article.*.wired.>", Last: 2}, 2)
	if len(got) != 2 || got[0] != "three" || got[1] != "four" {
		t.Errorf("last 2 from wired = %q, want three, four", got)
	}
	// The whole stream: starts at its last sequence minus N, nothing skipped.
	var seqs []uint64
	err := bus.Subscribe(ctx, events.SubscribeOptions{Subject: news.ArticleSubjects, Last: 2}, func(m events.Message) error {
		if seqs = append(seqs, m.Seq); len(seqs) == 2 {
			return errEnough
		}
		return nil
	})
	if !errors.Is(err, errEnough) || seqs[0] != 3 || seqs[1] != 4 {
		t.Errorf("last 2 of the stream = sequences %v, %v; want 3, 4", seqs, err)
	}
	if got := collect(ctx, t, bus, events.SubscribeOptions{Subject: news.ArticleSubjects, Last: 10}, 4); got[0] != "one" {
		t.Errorf("last 10 of 4 = %q, want all four", got)
	}
	got = collect(ctx, t, bus, events.SubscribeOptions{Subject: "newsdesk.article.>", Since: eventTime.AddDate(-1, 0, 0)}, 4)
	if len(got) != 4 || got[1] != "two" {
		t.Errorf("since a year ago = %q, want all four in order", got)
	}

	// Live: only what is published after the subscription started.
	a := article("wired", "https://wired.example/five", "five")
	a.Title = "five"
	results := make(chan []string, 1)
	started := make(chan struct{})
	go func() {
		close(started)
		results <- collect(ctx, t, bus, events.SubscribeOptions{Subject: "newsdesk.article.>"}, 1)
	}()
	<-started
	// Subscribe's consumer may not exist yet when we publish (it would miss
	// the event), so publish distinct versions until one arrives.
	for i := 0; ; i++ {
		b := a
		b.Text = a.Text + string(rune('a'+i%26))
		publish(ctx, t, bus, event(news.ArticleUpdated, b))
		select {
		case got := <-results:
			if len(got) != 1 || got[0] != "five" {
				t.Errorf("live = %q, want five", got)
			}
			return
		case <-ctx.Done():
			t.Fatal("the live subscriber received nothing")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestSubscribeLastOnANarrowSubject checks the last N of a subject that
// matches a few messages spread over a long stream, for N around the
// number that match: the first message read must be the right one, and
// nothing before it may be delivered.
func TestSubscribeLastOnANarrowSubject(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	var wired []uint64 // stream sequences of the matching events
	for i := range 300 {
		source := "other"
		if i%7 == 3 {
			source, wired = "wired", append(wired, uint64(i+1))
		}
		publish(ctx, t, bus, event(news.ArticleCreated, article(source, fmt.Sprintf("https://%s.example/%d", source, i), "text")))
	}
	for _, last := range []int{1, 2, 10, len(wired) - 1, len(wired), len(wired) + 5} {
		var seqs []uint64
		want := wired[max(len(wired)-last, 0):]
		err := bus.Subscribe(ctx, events.SubscribeOptions{Subject: "newsdesk.article.*.wired.>", Last: last}, func(m events.Message) error {
			if seqs = append(seqs, m.Seq); len(seqs) == len(want) {
				return errEnough
			}
			return nil
		})
		if !errors.Is(err, errEnough) || !slices.Equal(seqs, want) {
			t.Errorf("last %d of %d: sequences %v (%v), want %v", last, len(wired), seqs, err, want)
		}
	}
}

func TestSubscribeToAlerts(t *testing.T) {
	ctx := testContext(t)
	srv := startServer(t, t.TempDir())
	bus := connect(ctx, t, srv.ClientURL())
	a := article("wired", "https://wired.example/a", "Meta and Netflix")
	al := news.NewAlertEvent(news.Alert{Watch: "meta-netflix", ArticleID: news.DocID(a.URL), Title: "T", URL: a.URL, Source: "wired"}, a, eventTime)
	for range 2 { // stored once
		if err := bus.PublishAlert(ctx, "privacy.meta-netflix", al); err != nil {
			t.Fatal(err)
		}
	}
	if err := bus.PublishAlert(ctx, "Bad Subject", al); err == nil {
		t.Error("PublishAlert accepted an invalid subject")
	}
	var got []events.Message
	err := bus.Subscribe(ctx, events.SubscribeOptions{Subject: "newsdesk.alert.privacy.>", Last: 5}, func(m events.Message) error {
		got = append(got, m)
		return errEnough
	})
	if !errors.Is(err, errEnough) || len(got) != 1 || got[0].Subject != "newsdesk.alert.privacy.meta-netflix" {
		t.Fatalf("Subscribe alerts: %v, %+v", err, got)
	}
	var ev news.AlertEvent
	if err := json.Unmarshal(got[0].Data, &ev); err != nil || ev.ID != al.ID || ev.Data.Watch != "meta-netflix" {
		t.Errorf("alert %+v, %v", ev, err)
	}
	in := newInspector(t, srv.ClientURL())
	s, err := in.js.Stream(ctx, events.DefaultAlertStream)
	if err != nil || s.CachedInfo().State.Msgs != 1 {
		t.Errorf("alert stream: %v, want 1 message", err)
	}
}
