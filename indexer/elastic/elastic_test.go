package elastic

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"newsdesk/indexer"
	"newsdesk/indexer/indexertest"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// openTest opens an Index on the test cluster under an alias of its own, and
// deletes its index and template when the test ends, so runs never collide.
func openTest(t *testing.T, analyzer string) *Index {
	t.Helper()
	opts := testOptions(t, analyzer)
	idx, err := New(t.Context(), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { deleteTestIndex(t, idx) })
	return idx
}

func testOptions(t *testing.T, analyzer string) Options {
	t.Helper()
	url := testenv.ElasticsearchURL(t)
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	return Options{
		URLs:     []string{url},
		Index:    "newsdesk-test-" + hex.EncodeToString(suffix),
		Analyzer: analyzer,
	}
}

// deleteTestIndex removes what New created (every index of its alias, and
// the template): testenv.DropElasticsearchIndex.
func deleteTestIndex(t *testing.T, idx *Index) {
	t.Helper()
	testenv.DropElasticsearchIndex(t, testenv.ElasticsearchURL(t), idx.Alias())
}

func TestIntegrationElasticConformance(t *testing.T) {
	indexertest.Run(t, func(t *testing.T) indexer.Index { return openTest(t, "standard") })
}

// TestIntegrationElasticItemFailure checks that a document Elasticsearch
// rejects fails alone, in its own slot, and the others are stored.
func TestIntegrationElasticItemFailure(t *testing.T) {
	idx := openTest(t, "standard")
	defer idx.Close()
	mk := func(url, title string) news.Article {
		return news.Article{ID: news.DocID(url), URL: url, Title: title, Text: title,
			Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Source: "s",
			Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
	}
	good1, good2 := mk("https://e.example/1", "first quokka"), mk("https://e.example/2", "second quokka")
	// Out of range of the integer field word_count: Elasticsearch rejects
	// this item (mapper_parsing_exception) and indexes the rest.
	rejected := mk("https://e.example/3", "third quokka")
	rejected.WordCount = 1 << 40
	// Longer than _id allows: this would fail the whole request, so Store
	// must refuse it before sending.
	longID := mk("https://e.example/4", "fourth quokka")
	longID.ID = strings.Repeat("x", 600)

	errs := idx.Store(t.Context(), []news.Article{good1, rejected, longID, good2})
	if len(errs) != 4 || errs[0] != nil || errs[1] == nil || errs[2] == nil || errs[3] != nil {
		t.Fatalf("Store = %v, want [nil, error, error, nil]", errs)
	}
	var esErr *Error
	if !errors.As(errs[1], &esErr) || esErr.Status != 400 || !strings.Contains(esErr.Error(), "word_count") {
		t.Errorf("rejected doc error = %v, want an *Error with status 400 naming word_count", errs[1])
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(t.Context(), news.Query{Text: "quokka"})
	if err != nil || res.Total != 2 {
		t.Fatalf("Search = %+v, %v; want the two good docs", res, err)
	}
}

// TestIntegrationElasticReopen checks that New on an existing alias reuses
// the index instead of failing or creating another.
func TestIntegrationElasticReopen(t *testing.T) {
	first := openTest(t, "standard")
	defer first.Close()
	a := news.Article{ID: news.DocID("https://e.example/r"), URL: "https://e.example/r", Title: "Reopened",
		Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
	if errs := first.Store(t.Context(), []news.Article{a}); errs[0] != nil {
		t.Fatalf("Store: %v", errs[0])
	}
	second, err := New(t.Context(), Options{URLs: []string{testenv.ElasticsearchURL(t)}, Index: first.Alias()})
	if err != nil {
		t.Fatalf("New on an existing alias: %v", err)
	}
	defer second.Close()
	got, err := second.Get(t.Context(), a.ID)
	if err != nil || got.Title != a.Title {
		t.Fatalf("Get through the second Index = %q, %v", got.Title, err)
	}
	if err := second.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// TestIntegrationElasticUnknownAnalyzer checks that a mapping the cluster
// cannot build fails New, with the analyzer's name in the error.
func TestIntegrationElasticUnknownAnalyzer(t *testing.T) {
	opts := testOptions(t, "no_such_analyzer")
	idx, err := New(t.Context(), opts)
	if err == nil {
		t.Cleanup(func() { deleteTestIndex(t, idx) })
		t.Fatal("New with an unknown analyzer succeeded")
	}
	if !strings.Contains(err.Error(), "no_such_analyzer") {
		t.Errorf("error %q does not name the analyzer", err)
	}
}

// TestNewUnreachable checks that New fails when nothing listens at the URL.
func TestNewUnreachable(t *testing.T) {
	_, err := New(t.Context(), Options{URLs: []string{"http://127.0.0.1:1"}})
	if err == nil {
		t.Fatal("New against a closed port succeeded")
	}
}
