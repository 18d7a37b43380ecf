package embedded_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"newsdesk/indexer/embedded"
	"newsdesk/news"
)

// A document the embedded index cannot take is refused for good, so the
// events consumer dead-letters it on its first delivery, as it does with
// Elasticsearch's refusals; the good document beside it is stored.
func TestStoreRefusesAnArticleWithoutIDForGood(t *testing.T) {
	idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer idx.Close()
	good := news.Article{ID: "good", URL: "https://x.example/good", Title: "Good", Text: "a story"}
	errs := idx.Store(context.Background(), []news.Article{{URL: "https://x.example/none"}, good})
	if !errors.Is(errs[0], news.ErrPermanent) {
		t.Errorf("article without id: error %v, want a permanent one", errs[0])
	}
	if errs[1] != nil {
		t.Errorf("good article: %v", errs[1])
	}
	if _, err := idx.Get(context.Background(), "good"); err != nil {
		t.Errorf("good article not stored: %v", err)
	}
}
