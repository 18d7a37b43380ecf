package elastic

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// openReindexTest opens an Index under a fresh alias and, at the end,
// deletes every index of the alias (the reindexes' too) and the template.
func openReindexTest(t *testing.T) *Index {
	t.Helper()
	idx, err := New(t.Context(), testOptions(t, "standard"))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		idx.Close()
		deleteTestIndex(t, idx)
	})
	return idx
}

func reindexDoc(n, revision int, title string) news.Article {
	url := fmt.Sprintf("https://r.example/%d", n)
	return news.Article{ID: news.DocID(url), URL: url, Title: title, Text: title, Source: "r", Revision: revision,
		Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
}

func storeAll(t *testing.T, s interface {
	Store(context.Context, []news.Article) []error
}, docs ...news.Article) {
	t.Helper()
	for i, err := range s.Store(t.Context(), docs) {
		if err != nil {
			t.Fatalf("Store %s: %v", docs[i].URL, err)
		}
	}
}

// TestIntegrationElasticReindex walks the steps `newsdesk index --reindex`
// takes: the new index is built beside the live one while searches and
// live writes keep using the old, one request moves both aliases, a replayed
// older revision does not replace a newer one, and the old index stays
// until DeleteOld.
func TestIntegrationElasticReindex(t *testing.T) {
	ctx := t.Context()
	idx := openReindexTest(t)
	storeAll(t, idx, reindexDoc(1, 1, "first pangolin"), reindexDoc(2, 2, "second pangolin edited"))

	rx, err := idx.BeginReindex(ctx)
	if err != nil {
		t.Fatalf("BeginReindex: %v", err)
	}
	if rx.Old != idx.concreteIndex() || rx.New == rx.Old {
		t.Fatalf("reindex from %s to %s, want from %s to a new index", rx.Old, rx.New, idx.concreteIndex())
	}
	if _, err := idx.BeginReindex(ctx); err == nil {
		t.Error("a second BeginReindex while one runs succeeded")
	}

	// A live write during the reindex goes to the old index and is
	// searchable there.
	storeAll(t, idx, reindexDoc(3, 1, "third pangolin"))
	if err := idx.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if res, err := idx.Search(ctx, news.Query{Text: "pangolin"}); err != nil || res.Total != 3 {
		t.Fatalf("search during reindex = %d, %v; want 3", res.Total, err)
	}
	// The replay: stream order, so revision 1 of doc 2 comes before 2.
	storeAll(t, rx, reindexDoc(1, 1, "first pangolin"), reindexDoc(2, 1, "second pangolin"))
	storeAll(t, rx, reindexDoc(2, 2, "second pangolin edited"))
	storeAll(t, rx, reindexDoc(2, 1, "second pangolin")) // late and older: ignored
	if n, err := rx.Count(ctx, rx.New); err != nil || n != 2 {
		t.Fatalf("new index count = %d, %v; want 2", n, err)
	}

	if err := rx.Swap(ctx); err != nil {
		t.Fatalf("Swap: %v", err)
	}
	for alias, want := range map[string][]string{idx.Alias(): {rx.New}, idx.WriteAlias(): {rx.New}, idx.Alias() + "-reindex": nil} {
		if got, err := idx.aliasIndices(ctx, alias); err != nil || !slices.Equal(got, want) {
			t.Errorf("alias %s on %v, %v; want %v", alias, got, err, want)
		}
	}
	// The catch-up replay of what the live indexer wrote meanwhile goes
	// through the moved write alias.
	storeAll(t, idx, reindexDoc(3, 1, "third pangolin"))
	got, err := idx.Get(ctx, reindexDoc(2, 0, "").ID)
	if err != nil || got.Title != "second pangolin edited" || got.Revision != 2 {
		t.Errorf("Get after swap = %q rev %d, %v; want the edited revision 2", got.Title, got.Revision, err)
	}
	if err := idx.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if res, err := idx.Search(ctx, news.Query{Text: "pangolin"}); err != nil || res.Total != 3 {
		t.Errorf("search after swap = %d, %v; want 3", res.Total, err)
	}

	// A process started now finds the aliases and keeps them.
	again, err := New(ctx, Options{URLs: []string{testenv.ElasticsearchURL(t)}, Index: idx.Alias()})
	if err != nil {
		t.Fatalf("New after the swap: %v", err)
	}
	defer again.Close()
	if got, err := again.aliasIndices(ctx, again.WriteAlias()); err != nil || !slices.Equal(got, []string{rx.New}) {
		t.Errorf("after New the write alias is on %v, %v; want %s", got, err, rx.New)
	}

	if err := rx.DeleteOld(ctx); err != nil {
		t.Fatalf("DeleteOld: %v", err)
	}
	if got, err := idx.aliasIndices(ctx, idx.Alias()); err != nil || !slices.Equal(got, []string{rx.New}) {
		t.Errorf("after DeleteOld the read alias is on %v, %v", got, err)
	}
	if _, err := idx.Get(ctx, reindexDoc(1, 0, "").ID); err != nil {
		t.Errorf("Get after DeleteOld: %v", err)
	}
}

// TestIntegrationElasticReindexAbort checks that an abandoned reindex
// leaves the live index alone and lets the next one start.
func TestIntegrationElasticReindexAbort(t *testing.T) {
	ctx := t.Context()
	idx := openReindexTest(t)
	storeAll(t, idx, reindexDoc(1, 1, "aborted okapi"))
	rx, err := idx.BeginReindex(ctx)
	if err != nil {
		t.Fatalf("BeginReindex: %v", err)
	}
	if err := rx.Abort(ctx); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	if got, err := idx.aliasIndices(ctx, idx.WriteAlias()); err != nil || !slices.Equal(got, []string{idx.concreteIndex()}) {
		t.Errorf("write alias on %v, %v after Abort; want the old index", got, err)
	}
	next, err := idx.BeginReindex(ctx)
	if err != nil {
		t.Fatalf("BeginReindex after Abort: %v", err)
	}
	if err := next.Abort(ctx); err != nil {
		t.Fatal(err)
	}
}
