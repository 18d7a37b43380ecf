package embedded_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/indexer"
	"newsdesk/indexer/embedded"
	"newsdesk/indexer/indexertest"
	"newsdesk/news"
)

func TestConformance(t *testing.T) {
	indexertest.Run(t, func(t *testing.T) indexer.Index {
		idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return idx
	})
}

// TestReopenKeepsArticles checks that the index is on disk, with its mapping:
// a reopened index still finds and returns what was stored.
func TestReopenKeepsArticles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	idx, err := embedded.Open(path, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	a := news.Article{
		URL: "https://example.org/a", Title: "Harbour reopens", Text: "The harbour reopened after the storm.",
		Published: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), Source: "port", Language: "en",
		Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}},
	}
	a.ID = news.DocID(a.URL)
	if errs := idx.Store(t.Context(), []news.Article{a}); errs[0] != nil {
		t.Fatalf("Store: %v", errs[0])
	}
	if err := idx.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	idx, err = embedded.Open(path, nil)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer idx.Close()
	got, err := idx.Get(t.Context(), a.ID)
	if err != nil || got.Title != a.Title {
		t.Fatalf("Get after reopen = %q, %v", got.Title, err)
	}
	res, err := idx.Search(t.Context(), news.Query{Text: "harbour", Sources: []string{"port"}})
	if err != nil || res.Total != 1 {
		t.Fatalf("Search after reopen = %+v, %v", res, err)
	}
	if !strings.Contains(res.Hits[0].Snippet, news.HighlightPre+"harbour"+news.HighlightPost) {
		t.Errorf("snippet after reopen = %q", res.Hits[0].Snippet)
	}
}

func TestOpenFailsOnAFile(t *testing.T) {
	if _, err := embedded.Open("/dev/null", nil); err == nil {
		t.Fatal("Open(/dev/null) succeeded")
	}
}
