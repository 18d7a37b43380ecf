package elastic

import (
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

// TestIntegrationElasticGroupingWaitsForReindex checks that documents
// stored before grouping existed (no dup_group) are not collapsed into one
// hit: grouped searches run ungrouped while any is left.
func TestIntegrationElasticGroupingWaitsForReindex(t *testing.T) {
	idx := openTest(t, "standard")
	defer idx.Close()
	for _, id := range []string{"old1", "old2"} {
		body := `{"id":"` + id + `","title":"Old story ` + id + `","text":"an old story","source":"s","published":"2024-01-01T00:00:00Z"}`
		res, err := idx.es.Index(idx.WriteAlias(), strings.NewReader(body), idx.es.Index.WithDocumentID(id),
			idx.es.Index.WithRefresh("true"))
		if err := check(res, err); err != nil {
			t.Fatal(err)
		}
		drain(res.Body)
	}
	a := news.Article{ID: "new", URL: "https://e.example/new", Title: "New story", Text: "a new story", Source: "s",
		Published: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
	if errs := idx.Store(t.Context(), []news.Article{a}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(t.Context(), news.Query{Group: true})
	if err != nil || len(res.Hits) != 3 {
		t.Fatalf("grouped search over old documents: %d hits, %v; want all 3", len(res.Hits), err)
	}
}
