package elastic

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"newsdesk/indexer"
	"newsdesk/news"
)

// TestIntegrationElasticLookupBeyondOneSearch checks the lookup before a
// write when a story has more stored copies than its one search may return
// (so it asks per doc): a late copy still joins their group, and a later
// revision still carries first_seen forward.
func TestIntegrationElasticLookupBeyondOneSearch(t *testing.T) {
	idx := openTest(t, "standard")
	defer idx.Close()
	words := make([]string, 300)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	wire := strings.Join(words, " ")
	fetched := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	copyOf := func(n int) news.Article {
		id := fmt.Sprintf("copy-%03d", n)
		return news.Article{ID: id, URL: "https://e.example/" + id, Title: "Wire story", Source: "s",
			Text: fmt.Sprintf("Outlet %d reports. %s", n, wire), FetchedAt: fetched.Add(time.Duration(n) * time.Minute),
			Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
	}
	var copies []news.Article
	for n := range minLookupHits + 10 {
		copies = append(copies, copyOf(n))
	}
	for _, err := range idx.Store(t.Context(), copies) {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Searchable, so the lookup finds them rather than pendingWrites.
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}

	late := copyOf(999)
	edited := copyOf(5)
	edited.Revision, edited.FetchedAt = 2, fetched.Add(48*time.Hour)
	for _, err := range idx.Store(t.Context(), []news.Article{late, edited}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := storedDoc(t, idx, late.ID); got.Group != "copy-000" {
		t.Errorf("late copy in group %q, want copy-000", got.Group)
	}
	if got := storedDoc(t, idx, edited.ID); got.Group != "copy-000" || !got.FirstSeen.Equal(copyOf(5).FetchedAt) {
		t.Errorf("revision 2: group %q, first_seen %v; want copy-000, %v", got.Group, got.FirstSeen, copyOf(5).FetchedAt)
	}
}

// TestIntegrationElasticWritesNotYetSearchable checks what Store derives
// from documents written by an earlier Store that no search can see yet
// (no refresh has run since): a copy of a story joins their group, a later
// revision keeps the first fetch time; and that Refresh, or else the
// background refresh, makes them searchable.
func TestIntegrationElasticWritesNotYetSearchable(t *testing.T) {
	opts := testOptions(t, "standard")
	opts.RefreshInterval = time.Hour
	idx, err := New(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteTestIndex(t, idx) })
	defer idx.Close()
	idx.pending.last = time.Now() // so the next background refresh is an hour away

	words := make([]string, 200)
	for i := range words {
		words[i] = fmt.Sprintf("word%d", i)
	}
	fetched := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	story := func(id, intro string, rev int, at time.Time) news.Article {
		return news.Article{ID: id, URL: "https://e.example/" + id, Title: "Wire story", Source: "s", Revision: rev,
			Text: intro + " " + strings.Join(words, " "), FetchedAt: at,
			Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
	}
	store := func(docs ...news.Article) {
		t.Helper()
		for _, err := range idx.Store(t.Context(), docs) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	// Elasticsearch itself sometimes makes a write searchable at once (an
	// engine refresh to look up a replaced document), so "a" is made
	// unsearchable for sure: pending as if written, but not in the index.
	a := []news.Article{story("a", "Outlet A reports.", 1, fetched)}
	prepared, err := indexer.Prepare(t.Context(), writer{idx}, a, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	idx.pending.add(prepared)
	store(story("b", "Outlet B says.", 1, fetched.Add(time.Minute)))
	store(story("a", "Outlet A reports, updated.", 2, fetched.Add(time.Hour)))
	if got := storedDoc(t, idx, "b"); got.Group != "a" {
		t.Errorf("copy written after an unsearchable one: group %q, want a", got.Group)
	}
	if got := storedDoc(t, idx, "a"); got.Revision != 2 || got.Group != "a" || !got.FirstSeen.Equal(fetched) {
		t.Errorf("revision 2: revision %d, group %q, first_seen %v; want 2, a, %v", got.Revision, got.Group, got.FirstSeen, fetched)
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, err := idx.Search(t.Context(), news.Query{}); err != nil || got.Total != 2 {
		t.Fatalf("after Refresh: %d searchable (%v), want 2", got.Total, err)
	}
	if n := len(idx.pending.docs); n != 0 {
		t.Errorf("%d writes still pending after a refresh", n)
	}

	// Without Refresh, the background refresh makes a write searchable.
	fast := testOptions(t, "standard")
	fast.Index = opts.Index
	fast.RefreshInterval = 50 * time.Millisecond
	bg, err := New(t.Context(), fast)
	if err != nil {
		t.Fatal(err)
	}
	defer bg.Close()
	start := time.Now()
	for _, err := range bg.Store(t.Context(), []news.Article{story("c", "Unrelated.", 1, fetched)}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for {
		got, err := bg.Search(t.Context(), news.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Total == 3 {
			break
		}
		if time.Since(start) > 30*time.Second { // a bound on a hung refresh, not a measurement
			t.Fatalf("3 writes stored, %d searchable after %v", got.Total, time.Since(start))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// storedDoc reads the stored document id, derived fields included.
func storedDoc(t *testing.T, idx *Index, id string) stored {
	t.Helper()
	res, err := idx.es.Get(idx.concreteIndex(), id, idx.es.Get.WithContext(t.Context()))
	if err := check(res, err); err != nil {
		t.Fatal(err)
	}
	defer drain(res.Body)
	var got struct {
		Source stored `json:"_source"`
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	return got.Source
}
