package api

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

// emptySearcher is an index that holds nothing.
var emptySearcher = funcSearcher(func(news.Query) news.Results { return news.Results{Facets: &news.Facets{}} })

func pageWith(t *testing.T, s Searcher, opts Options, target string) (int, string) {
	t.Helper()
	resp := get(t, NewWithOptions(s, nil, nil, opts), target)
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestEmptyIndexPageSaysNothingIsIndexed: a server without crawl status
// (serve) says only that the index is empty, instead of suggesting other
// words, whatever the reader searched.
func TestEmptyIndexPageSaysNothingIsIndexed(t *testing.T) {
	for _, target := range []string{"/", "/?q=encryption&source=gazette"} {
		status, body := pageWith(t, emptySearcher, Options{}, target)
		if status != http.StatusOK || !strings.Contains(body, "Nothing indexed yet") || !strings.Contains(body, "The index holds no article") {
			t.Errorf("%s: status %d, page lacks the empty-index note:\n%s", target, status, body)
		}
		if strings.Contains(body, "Check the spelling") || strings.Contains(body, "last crawl") {
			t.Errorf("%s: an empty index suggests other words or invents a crawl:\n%s", target, body)
		}
	}
}

// TestEmptyIndexPageSaysWhyTheCrawlFoundNothing: with the crawl status of
// newsdesk run, the empty page says the last crawl failed and why, and
// when the next one starts; a search that finds nothing in a full index
// keeps its suggestions.
func TestEmptyIndexPageSaysWhyTheCrawlFoundNothing(t *testing.T) {
	last := time.Date(2026, 12, 3, 14, 5, 0, 0, time.UTC)
	next := last.Add(15 * time.Minute)
	opts := Options{Status: func() Status {
		return Status{LastCrawl: last, LastCrawlErr: "crawling: no seed could be fetched: https://ledger.example/: connection refused", NextCrawl: next}
	}}
	_, body := pageWith(t, emptySearcher, opts, "/?q=privacy")
	for _, want := range []string{
		"Nothing indexed yet",
		"The last crawl, which ended at <time datetime=\"2026-12-03T14:05:00Z\">14:05 UTC, 3 Dec 2026</time>, failed: crawling: no seed could be fetched: https://ledger.example/: connection refused",
		"Next crawl at <time datetime=\"2026-12-03T14:20:00Z\">14:20 UTC, 3 Dec 2026</time>.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s\n%s", want, body)
		}
	}

	opts.Status = func() Status { return Status{Crawling: true} }
	if _, body = pageWith(t, emptySearcher, opts, "/"); !strings.Contains(body, "A crawl is running now") || strings.Contains(body, "No crawl has run yet") {
		t.Errorf("during the first crawl:\n%s", body)
	}
	opts.Status = func() Status { return Status{LastCrawl: last, NextCrawl: next} }
	if _, body = pageWith(t, emptySearcher, opts, "/"); !strings.Contains(body, "published 0 articles: check the sources' seeds") {
		t.Errorf("after a crawl that found nothing:\n%s", body)
	}

	// Not empty: words that match nothing get suggestions, no crawl note.
	full := funcSearcher(func(q news.Query) news.Results {
		if q.Text != "" {
			return news.Results{Facets: &news.Facets{}}
		}
		return news.Results{Total: 3, Hits: []news.Hit{{Title: "x"}}, Facets: &news.Facets{}}
	})
	_, body = pageWith(t, full, opts, "/?q=zebra")
	if strings.Contains(body, "Nothing indexed yet") || !strings.Contains(body, "No articles match “zebra”") || !strings.Contains(body, "Check the spelling") {
		t.Errorf("a search without results in a full index:\n%s", body)
	}
}

// TestPageLinksTheExportOfItsSearch: the page links its search's export as
// CSV and JSON Lines, with its words and filters but not its paging or
// unset fields; not when the export needs an API key the page lacks.
func TestPageLinksTheExportOfItsSearch(t *testing.T) {
	s := funcSearcher(func(news.Query) news.Results {
		return news.Results{Total: 1, Hits: []news.Hit{{Title: "x"}}, Facets: &news.Facets{}}
	})
	_, body := pageWith(t, s, Options{}, "/?q=privacy&source=ledger&topic=&offset=10&size=10")
	for _, want := range []string{
		`href="/api/search/export?format=csv&amp;q=privacy&amp;source=ledger" id="export-csv"`,
		`href="/api/search/export?format=jsonl&amp;q=privacy&amp;source=ledger" id="export-jsonl"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if _, body = pageWith(t, s, Options{APIKeys: []string{"k"}}, "/?q=privacy"); strings.Contains(body, "/api/search/export") {
		t.Errorf("with API keys the page links an export it cannot open")
	}
}
