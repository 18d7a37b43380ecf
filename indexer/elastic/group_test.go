package elastic

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

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
