package elastic

import (
	"fmt"
	"testing"
	"time"

	"newsdesk/news"
)

// TestBacklogRefreshesLessOftenAndCatchesUp: while the consumer says a
// backlog waits (Backlog(true)), what Store writes is refreshed on the
// backlog interval, not the 500 ms one; once the backlog's last batch
// comes (Backlog(false)), it is searchable within the ordinary interval
// again, not 5 s later.
func TestBacklogRefreshesLessOftenAndCatchesUp(t *testing.T) {
	opts := testOptions(t, "")
	opts.RefreshInterval = 300 * time.Millisecond
	idx, err := New(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteTestIndex(t, idx); _ = idx.Close() })
	if err := idx.Refresh(t.Context()); err != nil { // sets the last refresh: the intervals count from now
		t.Fatal(err)
	}
	story := func(i int) news.Article {
		return news.Article{ID: fmt.Sprintf("backlog-%d", i), URL: fmt.Sprintf("https://e.example/%d", i),
			Title: fmt.Sprintf("Story %d", i), Text: fmt.Sprintf("backlog story number %d", i), Source: "s",
			Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
	}
	dueIn := func() time.Duration {
		idx.pending.mu.Lock()
		defer idx.pending.mu.Unlock()
		if idx.pending.timer == nil {
			return -1
		}
		return idx.pending.due.Sub(idx.pending.last)
	}

	idx.Backlog(true)
	if errs := idx.Store(t.Context(), []news.Article{story(1)}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	if d := dueIn(); d < BacklogRefreshInterval {
		t.Fatalf("during a backlog the refresh is due %v after the last one, want %v", d, BacklogRefreshInterval)
	}

	idx.Backlog(false)
	if errs := idx.Store(t.Context(), []news.Article{story(2)}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	if d := dueIn(); d != opts.RefreshInterval && d != -1 {
		t.Fatalf("after the backlog the refresh is due %v after the last one, want %v", d, opts.RefreshInterval)
	}
	deadline := time.Now().Add(BacklogRefreshInterval - time.Second) // well before the backlog's refresh
	for {
		res, err := idx.Search(t.Context(), news.Query{Text: "backlog"})
		if err == nil && len(res.Hits) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("both stories not searchable within %v of the backlog's end: %d hits, %v", BacklogRefreshInterval-time.Second, len(res.Hits), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
