package events_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/internal/testenv"
)

// TestSavedWatchesAreSharedAndWatched: a watch saved through one bus is
// listed and seen by a watcher on another connection, at once and after
// each change; a duplicate name and an unknown delete are refused by name.
func TestSavedWatchesAreSharedAndWatched(t *testing.T) {
	ctx := testContext(t)
	url := testenv.NATS(t)
	api, err := connect(ctx, t, url).Watches(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	alerter, err := connect(ctx, t, url).Watches(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	seen := make(chan []string, 16)
	go func() {
		_ = alerter.Watch(ctx, func(ws []events.SavedWatch) {
			var names []string
			for _, w := range ws {
				names = append(names, w.Name+"="+w.Query)
			}
			seen <- names
		}, nil)
	}()
	waitFor := func(want ...string) {
		t.Helper()
		for {
			select {
			case got := <-seen:
				if slices.Equal(got, want) {
					return
				}
			case <-ctx.Done():
				t.Fatalf("the watcher never saw %q", want)
			}
		}
	}
	waitFor() // the initial, empty set

	w := events.SavedWatch{Name: "harbour", Query: "harbour NOT storm", Sources: []string{"port"}, Subject: "harbour", Created: time.Now().UTC()}
	if err := api.Create(ctx, w); err != nil {
		t.Fatal(err)
	}
	waitFor("harbour=harbour NOT storm")
	if err := api.Create(ctx, w); !errors.Is(err, events.ErrWatchExists) {
		t.Errorf("saving harbour twice: %v, want ErrWatchExists", err)
	}
	if err := api.Create(ctx, events.SavedWatch{Name: "bank", Query: "rates", Subject: "bank"}); err != nil {
		t.Fatal(err)
	}
	waitFor("bank=rates", "harbour=harbour NOT storm")
	list, err := alerter.List(ctx)
	if err != nil || len(list) != 2 || list[1].Name != "harbour" || !slices.Equal(list[1].Sources, []string{"port"}) {
		t.Fatalf("List: %+v, %v", list, err)
	}
	if err := api.Delete(ctx, "harbour"); err != nil {
		t.Fatal(err)
	}
	waitFor("bank=rates")
	if err := api.Delete(ctx, "harbour"); !errors.Is(err, events.ErrWatchNotFound) {
		t.Errorf("deleting harbour again: %v, want ErrWatchNotFound", err)
	}
	if list, err := api.List(ctx); err != nil || len(list) != 1 {
		t.Errorf("List after delete: %+v, %v", list, err)
	}
}
