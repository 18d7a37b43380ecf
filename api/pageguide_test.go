package api

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsdesk/news"
)

// funcSearcher answers with a function of the query.
type funcSearcher func(q news.Query) news.Results

func (f funcSearcher) Search(_ context.Context, q news.Query) (news.Results, error) { return f(q), nil }
func (f funcSearcher) Related(context.Context, string, int) (news.Results, error) {
	return news.Results{}, nil
}

func page(t *testing.T, s Searcher, target string) (int, string) {
	t.Helper()
	resp := get(t, New(s, nil, nil), target)
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestPageWithoutResultsSuggestsAndKeepsFacets(t *testing.T) {
	s := funcSearcher(func(q news.Query) news.Results {
		if len(q.Sources) > 0 || !q.From.IsZero() {
			return news.Results{Facets: &news.Facets{}}
		}
		return news.Results{Total: 7, Hits: []news.Hit{{Title: "x"}}, Facets: &news.Facets{
			Sources: []news.FacetCount{{Value: "ledger", Count: 5}, {Value: "wire", Count: 2}}}}
	})
	status, body := page(t, s, "/?q=encryption&source=gazette&from=2024-01-01&to=2024-01-31")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{
		"No articles match “encryption”",
		`<a href="/?from=2024-01-01&amp;q=encryption&amp;to=2024-01-31">Search without the source filter (gazette)</a>`,
		`<a href="/?q=encryption&amp;source=gazette">Search the same words without the date range</a>`,
		"Check the spelling",
		"the same words match 7 articles",
		`>ledger</a> (5)`, // the facets of the search without filters
		`<option value="ledger">ledger (5)</option>`,
		`<option value="gazette" selected>gazette</option>`, // the choice made stays
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestPageRangeAndPreviousNext(t *testing.T) {
	hits := make([]news.Hit, 10)
	s := &recordingSearcher{res: news.Results{Total: 28, Hits: hits, Next: "o20"}}
	_, body := page(t, s, "/?q=rates&offset=10")
	for _, want := range []string{
		`<p class="meta" role="status" id="count">11–20 of 28</p>`,
		`<a href="/?q=rates" rel="prev">`,
		`<a href="/?offset=20&amp;q=rates" rel="next">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	s.res = news.Results{Total: 28, Hits: hits[:8]}
	_, body = page(t, s, "/?q=rates&offset=20")
	if !strings.Contains(body, "21–28 of 28") || strings.Contains(body, `rel="next"`) || !strings.Contains(body, `<a href="/?offset=10&amp;q=rates" rel="prev">`) {
		t.Errorf("last page:\n%s", body)
	}
}

func TestPageErrorsInPlainLanguageKeepWhatWasTyped(t *testing.T) {
	typed := "inflation* (central"
	status, body := page(t, &recordingSearcher{}, "/?q="+url.QueryEscape(typed)+"&source=ledger")
	if status != http.StatusBadRequest {
		t.Errorf("status %d", status)
	}
	for _, want := range []string{
		"Your search could not be read: unclosed parenthesis",
		`<code>inflation* <strong aria-label="here">▸</strong>(central</code>`,
		`value="inflation* (central"`,
		`<option value="ledger" selected>ledger</option>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	_, body = page(t, &recordingSearcher{}, "/?from=yesterday")
	if !strings.Contains(body, "The From date could not be used: want RFC 3339 or YYYY-MM-DD") || !strings.Contains(body, `value="yesterday"`) {
		t.Errorf("bad date page:\n%s", body)
	}
}

func TestPageHitShowsLanguageTopicsAndUpdated(t *testing.T) {
	s := &recordingSearcher{res: editedAndSyndicated()}
	s.res.Hits[0].Language, s.res.Hits[0].Topics = "de", []string{"privacy", "courts"}
	_, body := page(t, s, "/?q=harbour")
	for _, want := range []string{`<span lang="de">de</span>`, "Topics: privacy, courts", "first seen 1 Apr 2024", "last changed 3 Apr 2024"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// Results come before the facets in the document, so a phone (one
	// column) shows them first.
	if strings.Index(body, `aria-label="Results"`) > strings.Index(body, `aria-label="Refine results"`) {
		t.Error("the facets come before the results")
	}
}
