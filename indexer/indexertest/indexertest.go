// Package indexertest is the conformance suite of index backends: every
// backend runs Run, so the search API answers the same on Elasticsearch and
// on the embedded index.
package indexertest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/indexer"
	"newsdesk/news"
)

// Run stores a small corpus in the index that open returns (an empty one,
// which Run closes at the end) and checks storing, searching, filtering,
// sorting, paging, snippets and Get. The subtests that change the index run
// last. A second index checks revisions and syndication (runNewsroom).
func Run(t *testing.T, open func(t *testing.T) indexer.Index) {
	idx := open(t)
	t.Cleanup(func() {
		if err := idx.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	// A fresh index of its own: its corpus would change the counts below.
	t.Run("Newsroom", func(t *testing.T) {
		idx := open(t)
		defer idx.Close()
		runNewsroom(t, idx)
	})
	docs := corpus()
	errs := idx.Store(t.Context(), docs)
	if len(errs) != len(docs) {
		t.Fatalf("Store returned %d errors for %d docs", len(errs), len(docs))
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Store(%q): %v", docs[i].Title, err)
		}
	}
	// Stored docs become searchable without Refresh (the other subtests
	// refresh before each search).
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		res, err := idx.Search(t.Context(), news.Query{})
		if err != nil {
			t.Fatalf("Search: %v", err)
		}
		if res.Total == len(docs) {
			break
		}
		if time.Since(start) > 30*time.Second { // a bound on a hung index, not a measurement
			t.Fatalf("%d docs stored, %d searchable after %v", len(docs), res.Total, time.Since(start))
		}
	}

	for _, c := range readCases {
		t.Run(c.name, func(t *testing.T) { c.run(t, idx) })
	}
	// Last: these change the index.
	for _, c := range writeCases {
		t.Run(c.name, func(t *testing.T) { c.run(t, idx) })
	}
}

// suiteCase is one named behaviour of the suite, run on the index that
// holds the corpus.
type suiteCase struct {
	name string
	run  func(t *testing.T, idx indexer.Index)
}

// readCases check the stored corpus and change nothing.
var readCases = []suiteCase{
	{"Ping", testPing},
	{"StoreNothing", testStoreNothing},
	{"WordFindsTheArticle", testWordFindsTheArticle},
	{"WordInTitleOnly", testWordInTitleOnly},
	{"AllWordsRequired", testAllWordsRequired},
	{"Phrase", testPhrase},
	{"Or", testOr},
	{"Exclusion", testExclusion},
	{"TextIsNotQuerySyntax", testTextIsNotQuerySyntax},
	{"QueryLimits", testQueryLimits},
	{"SourceFilter", testSourceFilter},
	{"LanguageFilter", testLanguageFilter},
	{"PaywallFilter", testPaywallFilter},
	{"DateFilter", testDateFilter},
	{"AuthorAndTopicFilters", testAuthorAndTopicFilters},
	{"SortByDate", testSortByDate},
	{"Facets", testFacets},
	{"SearchAfter", testSearchAfter},
	{"Related", testRelated},
	{"CombinedFilters", testCombinedFilters},
	{"EmptyQueryListsAllNewestFirst", testEmptyQueryListsAllNewestFirst},
	{"Paging", testPaging},
	{"HitFields", testHitFields},
	{"Snippet", testSnippet},
	{"FallbackSnippet", testFallbackSnippet},
	{"GetReturnsWhatWasStored", testGetReturnsWhatWasStored},
	{"GetUnknown", testGetUnknown},
}

// writeCases change the index, so they run after readCases, in order.
var writeCases = []suiteCase{
	{"StoreSameIDUpdates", testStoreSameIDUpdates},
	{"OlderRevisionNeverOverwrites", testOlderRevisionNeverOverwrites},
	{"StoreReportsEachDoc", testStoreReportsEachDoc},
	{"IDsAreOpaque", testIDsAreOpaque},
}

func testPing(t *testing.T, idx indexer.Index) {
	if err := idx.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func testStoreNothing(t *testing.T, idx indexer.Index) {
	if errs := idx.Store(t.Context(), nil); len(errs) != 0 {
		t.Fatalf("Store(nil) = %v, want no errors", errs)
	}
}

func testWordFindsTheArticle(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{Text: "inflation"}, set, rates)
	expect(t, idx, news.Query{Text: "INFLATION"}, set, rates)
	expect(t, idx, news.Query{Text: "Zucker"}, set, steuer)
	expect(t, idx, news.Query{Text: "grève"}, set, greve)
	expect(t, idx, news.Query{Text: "nonexistentword"}, set)
}

func testWordInTitleOnly(t *testing.T, idx indexer.Index) {
	// "floods" is in the title only; the text says "flooded".
	expect(t, idx, news.Query{Text: "floods"}, set, storm)
}

func testAllWordsRequired(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{Text: "interest rates"}, set, rates, savers)
	expect(t, idx, news.Query{Text: "rain flooded"}, set, storm)
	expect(t, idx, news.Query{Text: "inflation rain"}, set)
	expect(t, idx, news.Query{Text: "storm inflation"}, set)
}

func testPhrase(t *testing.T, idx indexer.Index) {
	// savers has both words, but as "rates of interest".
	expect(t, idx, news.Query{Text: `"interest rates"`}, set, rates)
	expect(t, idx, news.Query{Text: `"rates of interest"`}, set, savers)
	expect(t, idx, news.Query{Text: `"rates interest"`}, set)
	expect(t, idx, news.Query{Text: `"interest rates" wage`}, set, rates)
	expect(t, idx, news.Query{Text: `"interest rates" savers`}, set)
}

func testOr(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{Text: "inflation OR storm"}, set, rates, storm)
	expect(t, idx, news.Query{Text: `grève OR "rates of interest" OR Zucker`}, set, greve, savers, steuer)
	// OR binds loosest, as in watches: (rain AND coastal) OR inflation.
	expect(t, idx, news.Query{Text: "rain coastal OR inflation"}, set, storm, rates)
	expect(t, idx, news.Query{Text: "rain (coastal OR inflation)"}, set, storm)
	expect(t, idx, news.Query{Text: "interest wage OR deposits"}, set, rates, savers)
	// Lower case "or" is a word, not an operator.
	expect(t, idx, news.Query{Text: "inflation or storm"}, set)
}

func testExclusion(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{Text: "interest -savers"}, set, rates)
	expect(t, idx, news.Query{Text: `interest -"interest rates"`}, set, savers)
	expect(t, idx, news.Query{Text: "central -inflation"}, set)
	// Only exclusions: everything else, newest first.
	expect(t, idx, news.Query{Text: "-interest -rain"}, ordered, cup, steuer, greve)
}

func testTextIsNotQuerySyntax(t *testing.T, idx indexer.Index) {
	// Only the newsroom language (news.ParseQuery) is syntax: an
	// unknown field, Lucene's && ~ ^ are plain words.
	expect(t, idx, news.Query{Text: "inflation* central"}, set, rates)
	expect(t, idx, news.Query{Text: "title:storm"}, set)
	expect(t, idx, news.Query{Text: "inflation AND storm"}, set)
	expect(t, idx, news.Query{Text: "inflation && storm~2 ^3"}, set)
	// Nothing searchable left: the same as an empty query.
	expect(t, idx, news.Query{Text: `- * && " "`}, set, corpus()...)
	// What does not parse is refused with its position, never an
	// empty result.
	if _, err := idx.Search(t.Context(), news.Query{Text: "inflation* (central"}); !errors.Is(err, news.ErrInvalidQuery) || !strings.Contains(err.Error(), "unclosed parenthesis at 11") {
		t.Errorf("Search(unclosed parenthesis) error = %v, want one saying unclosed parenthesis at 11", err)
	}
}

func testQueryLimits(t *testing.T, idx indexer.Index) {
	for _, q := range []news.Query{
		{Text: strings.Repeat("a OR ", news.MaxQueryTerms) + "b"},
		{After: "not-a-cursor"},
		{After: "WyJ4Il0"}, // ["x"]: a cursor of another sort order
	} {
		if _, err := idx.Search(t.Context(), q); !errors.Is(err, news.ErrInvalidQuery) {
			t.Errorf("Search(%.60q) error = %v, want ErrInvalidQuery", q.Text+q.After, err)
		}
	}
}

func testSourceFilter(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{Sources: []string{"wire"}}, ordered, rates, greve)
	expect(t, idx, news.Query{Sources: []string{"wire", "gazette"}}, ordered, rates, steuer, greve)
	expect(t, idx, news.Query{Sources: []string{"nobody"}}, ordered)
	expect(t, idx, news.Query{Text: "interest", Sources: []string{"tribune"}}, set, savers)
}

func testLanguageFilter(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{Languages: []string{"de"}}, ordered, steuer)
	expect(t, idx, news.Query{Languages: []string{"fr", "de"}}, ordered, steuer, greve)
	expect(t, idx, news.Query{Text: "interest", Languages: []string{"de"}}, set)
}

func testPaywallFilter(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{PaywallKinds: []news.PaywallKind{news.PaywallHard}}, ordered, steuer, savers)
	expect(t, idx, news.Query{PaywallKinds: []news.PaywallKind{news.PaywallMetered, news.PaywallSoft}}, ordered, storm, greve)
	expect(t, idx, news.Query{PaywallKinds: []news.PaywallKind{news.PaywallNone}}, ordered, cup, rates)
}

func testDateFilter(t *testing.T, idx indexer.Index) {
	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 0, 0, 0, 0, time.UTC) }
	expect(t, idx, news.Query{From: day(3, 1), To: day(3, 6)}, ordered, storm, rates)
	expect(t, idx, news.Query{From: day(3, 6)}, ordered, cup)
	expect(t, idx, news.Query{To: day(1, 1)}, ordered, savers)
	// Bounds are inclusive, and compare instants, not wall clocks.
	expect(t, idx, news.Query{From: rates.Published, To: rates.Published}, ordered, rates)
	expect(t, idx, news.Query{From: storm.Published.UTC(), To: storm.Published.UTC()}, ordered, storm)
	expect(t, idx, news.Query{Text: "interest", From: day(1, 1)}, set, rates)
}

func testAuthorAndTopicFilters(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{Authors: []string{"Ana Lima"}}, ordered, rates, greve, savers)
	expect(t, idx, news.Query{Authors: []string{"Clara Weiss", "Ben Okafor"}}, ordered, cup, storm, steuer, savers)
	expect(t, idx, news.Query{Authors: []string{"ana lima"}}, ordered) // exact match
	expect(t, idx, news.Query{Topics: []string{"economy"}}, ordered, rates, steuer, savers)
	expect(t, idx, news.Query{Topics: []string{"economy"}, Authors: []string{"Ana Lima"}, Text: "interest"}, set, rates, savers)
	expect(t, idx, news.Query{Topics: []string{"central banks", "sport"}}, ordered, cup, rates)
}

func testSortByDate(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{Text: "interest", Sort: news.SortDate}, ordered, rates, savers)
	expect(t, idx, news.Query{Text: "rates OR rain OR championship", Sort: news.SortDate}, ordered, cup, storm, rates, savers)
	res := search(t, idx, news.Query{Text: "interest", Sort: news.SortRelevance})
	if len(res.Hits) != 2 || res.Hits[0].Score < res.Hits[1].Score {
		t.Errorf("relevance order: %+v", res.Hits)
	}
}

func testFacets(t *testing.T, idx indexer.Index) {
	res := search(t, idx, news.Query{Facets: true, Size: 1})
	if res.Facets == nil {
		t.Fatal("no facets")
	}
	f := res.Facets
	checkFacet(t, "sources", f.Sources, "daily:2 wire:2 gazette:1 tribune:1")
	checkFacet(t, "topics", f.Topics, "economy:3 central banks:1 labour:1 politics:1 sport:1 weather:1")
	checkFacet(t, "paywall kinds", f.PaywallKinds, "hard:2 none:2 metered:1 soft:1")
	checkFacet(t, "languages", f.Languages, "en:4 de:1 fr:1")
	checkFacet(t, "months", f.Months, "2023-12:1 2024-01:1 2024-02:1 2024-03:3")
	// Facets count the matches of the query, filters included.
	f = search(t, idx, news.Query{Text: "interest OR grève", Facets: true, Languages: []string{"en", "fr"}}).Facets
	checkFacet(t, "sources", f.Sources, "wire:2 tribune:1")
	checkFacet(t, "months", f.Months, "2023-12:1 2024-01:1 2024-03:1")
	f = search(t, idx, news.Query{Text: "nonexistentword", Facets: true}).Facets
	if f == nil || len(f.Sources)+len(f.Topics)+len(f.PaywallKinds)+len(f.Months) != 0 || f.Sources == nil || f.Months == nil {
		t.Errorf("facets of no match = %+v, want empty lists", f)
	}
	if res := search(t, idx, news.Query{}); res.Facets != nil {
		t.Errorf("facets not asked for, got %+v", res.Facets)
	}
}

func testSearchAfter(t *testing.T, idx indexer.Index) {
	for _, q := range []news.Query{
		{},
		{Text: "interest OR rain OR grève OR championship OR Zucker"},
		{Text: "interest OR rain OR grève", Sort: news.SortDate},
	} {
		all := search(t, idx, q)
		var paged []string
		q.Size = 2
		for page := 0; ; page++ {
			res := search(t, idx, q)
			if res.Total != all.Total {
				t.Errorf("Search(%+v): Total = %d on page %d, want %d", q, res.Total, page, all.Total)
			}
			for _, h := range res.Hits {
				paged = append(paged, h.ID)
			}
			if res.Next == "" || page > len(all.Hits) {
				break
			}
			q.After = res.Next
		}
		var want []string
		for _, h := range all.Hits {
			want = append(want, h.ID)
		}
		if !slices.Equal(paged, want) {
			t.Errorf("Search(%q) paged with cursors:\n got %q\nwant %q", q.Text, paged, want)
		}
	}
}

func testRelated(t *testing.T, idx indexer.Index) {
	res, err := idx.Related(t.Context(), rates.ID, 5)
	if err != nil {
		t.Fatalf("Related: %v", err)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != savers.ID {
		t.Errorf("Related(rates) = %+v, want savers first", res.Hits)
	}
	for _, h := range res.Hits {
		if h.ID == rates.ID {
			t.Error("an article is not related to itself")
		}
	}
	if _, err := idx.Related(t.Context(), "no-such-id", 5); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("Related(unknown) error = %v, want ErrNotFound", err)
	}
}

func testCombinedFilters(t *testing.T, idx indexer.Index) {
	expect(t, idx, news.Query{Sources: []string{"daily", "wire"}, Languages: []string{"en"},
		PaywallKinds: []news.PaywallKind{news.PaywallNone}}, ordered, cup, rates)
}

func testEmptyQueryListsAllNewestFirst(t *testing.T, idx indexer.Index) {
	res := expect(t, idx, news.Query{}, ordered, cup, storm, rates, steuer, greve, savers)
	if res.Total != 6 {
		t.Errorf("Total = %d, want 6", res.Total)
	}
}

func testPaging(t *testing.T, idx indexer.Index) {
	res := expect(t, idx, news.Query{Size: 2, Offset: 2}, ordered, rates, steuer)
	if res.Total != 6 {
		t.Errorf("Total = %d, want 6 (all matches, not the page)", res.Total)
	}
	expect(t, idx, news.Query{Size: 2, Offset: 4}, ordered, greve, savers)
	res = expect(t, idx, news.Query{Size: 2, Offset: 6}, ordered)
	if res.Total != 6 {
		t.Errorf("Total past the end = %d, want 6", res.Total)
	}
	res = search(t, idx, news.Query{Text: "interest", Size: 1})
	if res.Total != 2 || len(res.Hits) != 1 {
		t.Errorf("Size 1: Total %d with %d hits, want 2 with 1", res.Total, len(res.Hits))
	}
}

func testHitFields(t *testing.T, idx indexer.Index) {
	res := search(t, idx, news.Query{Text: "inflation"})
	if len(res.Hits) != 1 {
		t.Fatalf("got %d hits, want 1", len(res.Hits))
	}
	h := res.Hits[0]
	want := rates
	if h.ID != want.ID || h.Title != want.Title || h.URL != want.URL || h.Source != want.Source ||
		h.Language != want.Language || !slices.Equal(h.Authors, want.Authors) || !h.Published.Equal(want.Published) {
		t.Errorf("hit = %+v\nwant fields of %+v", h, want)
	}
	if jsonOf(t, h.Paywall) != jsonOf(t, want.Paywall) {
		t.Errorf("hit paywall = %+v, want %+v", h.Paywall, want.Paywall)
	}
	if h.Score <= 0 {
		t.Errorf("Score = %v, want > 0 for a text query", h.Score)
	}
	res = search(t, idx, news.Query{Sources: []string{"gazette"}})
	if len(res.Hits) != 1 || jsonOf(t, res.Hits[0].Paywall) != jsonOf(t, steuer.Paywall) {
		t.Errorf("gazette hit paywall = %+v, want %+v", res.Hits, steuer.Paywall)
	}
}

func testSnippet(t *testing.T, idx indexer.Index) {
	h := oneHit(t, idx, news.Query{Text: "championship"}, cup)
	for _, want := range []string{news.HighlightPre + "championship" + news.HighlightPost, "fish &amp; chips"} {
		if !strings.Contains(h.Snippet, want) {
			t.Errorf("snippet %q lacks %q", h.Snippet, want)
		}
	}
	assertEscaped(t, h.Snippet)
	h = oneHit(t, idx, news.Query{Text: "prankster"}, cup)
	assertEscaped(t, h.Snippet)
	h = oneHit(t, idx, news.Query{Text: "inflation"}, rates)
	if !strings.Contains(h.Snippet, news.HighlightPre+"inflation"+news.HighlightPost) {
		t.Errorf("snippet %q does not mark inflation", h.Snippet)
	}
	h = oneHit(t, idx, news.Query{Text: `"interest rates"`}, rates)
	if !strings.Contains(h.Snippet, news.HighlightPre) || !strings.Contains(h.Snippet, "interest") {
		t.Errorf("phrase snippet %q has no mark", h.Snippet)
	}
}

func testFallbackSnippet(t *testing.T, idx indexer.Index) {
	// Without a match in the text (no text query, or words found only in
	// the title) the snippet is the escaped start of the text.
	for _, q := range []news.Query{{Sources: []string{"daily"}, Size: 1}, {Text: "cup"}} {
		h := oneHit(t, idx, q, cup)
		if want := indexer.FallbackSnippet(cup.Text, indexer.SnippetLength); h.Snippet != want {
			t.Errorf("Search(%+v): snippet = %q, want %q", q, h.Snippet, want)
		}
		assertEscaped(t, h.Snippet)
	}
	h := oneHit(t, idx, news.Query{Text: "floods"}, storm)
	if want := indexer.FallbackSnippet(storm.Text, indexer.SnippetLength); h.Snippet != want {
		t.Errorf("title-only match: snippet = %q, want %q", h.Snippet, want)
	}
}

func testGetReturnsWhatWasStored(t *testing.T, idx indexer.Index) {
	for _, want := range corpus() {
		want.FirstSeen = want.FetchedAt // the index's; the corpus' events have none
		got, err := idx.Get(t.Context(), want.ID)
		if err != nil {
			t.Fatalf("Get(%q): %v", want.Title, err)
		}
		if g, w := jsonOf(t, got), jsonOf(t, want); g != w {
			t.Errorf("Get(%q)\n got %s\nwant %s", want.Title, g, w)
		}
	}
}

func testGetUnknown(t *testing.T, idx indexer.Index) {
	_, err := idx.Get(t.Context(), news.DocID("https://nowhere.example/missing"))
	if !errors.Is(err, news.ErrNotFound) {
		t.Fatalf("Get(unknown) error = %v, want ErrNotFound", err)
	}
}

func testStoreSameIDUpdates(t *testing.T, idx indexer.Index) {
	updated := clone(rates)
	updated.Title = "Central bank lifts interest rates again"
	updated.Description = updated.Title + "."
	if errs := idx.Store(t.Context(), []news.Article{updated}); errs[0] != nil {
		t.Fatalf("Store(updated): %v", errs[0])
	}
	expect(t, idx, news.Query{Text: "lifts"}, set, updated)
	expect(t, idx, news.Query{Text: "raises"}, set)
	res := search(t, idx, news.Query{})
	if res.Total != 6 {
		t.Errorf("Total after re-store = %d, want 6", res.Total)
	}
	got, err := idx.Get(t.Context(), rates.ID)
	if err != nil || got.Title != updated.Title {
		t.Errorf("Get after update = %q, %v; want %q", got.Title, err, updated.Title)
	}
}

func testOlderRevisionNeverOverwrites(t *testing.T, idx indexer.Index) {
	v2 := clone(storm)
	v2.Revision, v2.Title = 2, "Storm floods coastal towns, thousands evacuated"
	v1 := clone(storm)
	v1.Revision = 1
	for _, docs := range [][]news.Article{{v2}, {v1}, {v2, v1}} {
		if errs := idx.Store(t.Context(), docs); slices.ContainsFunc(errs, func(e error) bool { return e != nil }) {
			t.Fatalf("Store: %v (a stale revision is not a failure)", errs)
		}
		got, err := idx.Get(t.Context(), storm.ID)
		if err != nil || got.Title != v2.Title || got.Revision != 2 {
			t.Errorf("after storing revisions %d..: Get = %q rev %d, %v; want revision 2", docs[0].Revision, got.Title, got.Revision, err)
		}
	}
	expect(t, idx, news.Query{Text: "thousands"}, set, v2)
	// The same revision again replaces (a redelivery, or a reindex).
	v2.Title = "Storm floods coastal towns"
	if errs := idx.Store(t.Context(), []news.Article{v2}); errs[0] != nil {
		t.Fatalf("Store(same revision): %v", errs[0])
	}
	expect(t, idx, news.Query{Text: "thousands"}, set)
}

func testStoreReportsEachDoc(t *testing.T, idx indexer.Index) {
	extra := article("https://wire.example/economy/extra", "wire", "en", "Extra edition",
		"An extra edition about exports.", time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC),
		news.Paywall{Kind: news.PaywallNone, Signals: []string{}})
	noID := clone(extra)
	noID.ID = ""
	errs := idx.Store(t.Context(), []news.Article{noID, extra})
	if len(errs) != 2 || errs[0] == nil || errs[1] != nil {
		t.Fatalf("Store(no ID, valid) = %v, want [error, nil]", errs)
	}
	expect(t, idx, news.Query{Text: "exports"}, set, extra)
}

func testIDsAreOpaque(t *testing.T, idx indexer.Index) {
	// Get takes IDs from users: no character in one may address
	// anything but that document.
	for _, id := range []string{"../_search", "../../_cluster/health", "a?b", "%2F", "x#y", ".", ".."} {
		if _, err := idx.Get(t.Context(), id); !errors.Is(err, news.ErrNotFound) {
			t.Errorf("Get(%q) error = %v, want ErrNotFound", id, err)
		}
	}
	odd := clone(cup)
	odd.ID = "odd/id?x=1#frag %20 é"
	if errs := idx.Store(t.Context(), []news.Article{odd}); errs[0] != nil {
		t.Fatalf("Store(odd ID): %v", errs[0])
	}
	got, err := idx.Get(t.Context(), odd.ID)
	if err != nil || got.ID != odd.ID {
		t.Fatalf("Get(%q) = %q, %v", odd.ID, got.ID, err)
	}
	if _, err := idx.Get(t.Context(), ""); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("Get(\"\") error = %v, want ErrNotFound", err)
	}
}

// checkFacet compares a facet with "value:count value:count".
func checkFacet(t *testing.T, name string, got []news.FacetCount, want string) {
	t.Helper()
	parts := make([]string, len(got))
	for i, c := range got {
		parts[i] = fmt.Sprintf("%s:%d", c.Value, c.Count)
	}
	if g := strings.Join(parts, " "); g != want {
		t.Errorf("facet %s = %q, want %q", name, g, want)
	}
}

// Orders of expected hits.
const (
	set     = false // any order
	ordered = true
)

// expect runs q and checks its hits are exactly want (in order when inOrder),
// with Total equal to the hit count when the page holds everything.
func expect(t *testing.T, idx indexer.Index, q news.Query, inOrder bool, want ...news.Article) news.Results {
	t.Helper()
	res := search(t, idx, q)
	got := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		got[i] = name(h.ID, h.Title)
	}
	exp := make([]string, len(want))
	for i, a := range want {
		exp[i] = name(a.ID, a.Title)
	}
	if !inOrder {
		slices.Sort(got)
		slices.Sort(exp)
	}
	if !slices.Equal(got, exp) {
		t.Errorf("Search(%+v)\n got %q\nwant %q", q, got, exp)
	}
	if q.Offset == 0 && q.Size == 0 && res.Total != len(res.Hits) {
		t.Errorf("Search(%+v): Total = %d with %d hits", q, res.Total, len(res.Hits))
	}
	return res
}

// search refreshes idx and runs q.
func search(t *testing.T, idx indexer.Index, q news.Query) news.Results {
	t.Helper()
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	res, err := idx.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

// oneHit runs q, expecting want as its only or first hit.
func oneHit(t *testing.T, idx indexer.Index, q news.Query, want news.Article) news.Hit {
	t.Helper()
	res := search(t, idx, q)
	if len(res.Hits) == 0 || res.Hits[0].ID != want.ID {
		t.Fatalf("Search(%+v): want %q first, got %+v", q, want.Title, res.Hits)
	}
	return res.Hits[0]
}

// assertEscaped fails when a snippet holds markup other than the marks.
func assertEscaped(t *testing.T, snippet string) {
	t.Helper()
	rest := strings.ReplaceAll(strings.ReplaceAll(snippet, news.HighlightPre, ""), news.HighlightPost, "")
	if strings.ContainsAny(rest, "<>") {
		t.Errorf("snippet %q has unescaped markup", snippet)
	}
	if strings.Contains(snippet, "<script") {
		t.Errorf("snippet %q has a raw <script>", snippet)
	}
}

// name identifies an article in failure messages: its corpus title (titles
// are unique there), else the title of the hit, else the ID.
func name(id, title string) string {
	for _, a := range corpus() {
		if a.ID == id {
			return a.Title
		}
	}
	if title != "" {
		return title
	}
	return id
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
