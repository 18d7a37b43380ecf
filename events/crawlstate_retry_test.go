package events_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"newsdesk/events"
	"newsdesk/internal/testenv"
)

// A crawl pass reads and writes page state for every page: a server
// restart in the middle must delay those, not fail them.
func TestCrawlStateGetAndPutRideOutAServerRestart(t *testing.T) {
	ctx := testContext(t)
	srv := testenv.RestartableNATS(t)
	state, err := connectBudget(ctx, t, srv.URL(), 30*time.Second).CrawlState(ctx, events.CrawlStateOptions{})
	if err != nil {
		t.Fatalf("CrawlState: %v", err)
	}
	if err := state.Put(ctx, "page.before", []byte("before")); err != nil {
		t.Fatal(err)
	}

	srv.Stop()
	// The crawler's calls have no deadline of their own, as here.
	wctx := context.WithoutCancel(ctx)
	put := result(func() error { return state.Put(wctx, "page.during", []byte("during")) })
	var got []byte
	get := result(func() (err error) { got, err = state.Get(wctx, "page.before"); return err })
	time.Sleep(outage) // the outage itself
	srv.Start()

	for what, done := range map[string]<-chan error{"Put": put, "Get": get} {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s across a server restart: %v", what, err)
			}
		case <-ctx.Done():
			t.Fatalf("%s did not return after the server came back", what)
		}
	}
	if string(got) != "before" {
		t.Errorf("Get across the restart = %q, want %q", got, "before")
	}
	if v, err := state.Get(ctx, "page.during"); err != nil || string(v) != "during" {
		t.Errorf("after the restart, the value put during it = %q, %v; want %q", v, err, "during")
	}
}

// Past the budget the error says so, instead of hanging the pass.
func TestCrawlStateFailsClearlyWhenTheServerStaysDown(t *testing.T) {
	ctx := testContext(t)
	srv := testenv.RestartableNATS(t)
	state, err := connectBudget(ctx, t, srv.URL(), 2*time.Second).CrawlState(ctx, events.CrawlStateOptions{})
	if err != nil {
		t.Fatalf("CrawlState: %v", err)
	}
	srv.Stop()
	err = state.Put(ctx, "page.lost", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "retry budget nats.retry_budget") {
		t.Fatalf("Put with the server down past the budget = %v, want an error naming the retry budget", err)
	}
}
