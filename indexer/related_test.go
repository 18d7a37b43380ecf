package indexer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"newsdesk/news"
)

func TestRelatedSearchesOnePageWithoutTheArticle(t *testing.T) {
	a := news.Article{ID: "a", Title: "Harbour storm", Text: "The harbour closed in the storm."}
	get := func(_ context.Context, id string) (news.Article, error) {
		if id != a.ID {
			return news.Article{}, fmt.Errorf("getting %s: %w", id, news.ErrNotFound)
		}
		return a, nil
	}
	var asked RelatedQuery
	search := func(_ context.Context, q RelatedQuery) (news.Results, error) {
		asked = q
		return news.Results{Hits: []news.Hit{{ID: "b"}}, Next: "more"}, nil
	}
	res, err := Related(t.Context(), "a", 0, get, search)
	if err != nil || res.Next != "" || len(res.Hits) != 1 {
		t.Fatalf("Related = %+v, %v; want one page of the search's hits", res, err)
	}
	if asked.Exclude != "a" || asked.Size != 1 || asked.MinMatch != RelatedMinMatch || !slices.Equal(asked.Terms, []string{"harbour", "storm", "closed"}) {
		t.Errorf("searched %+v", asked)
	}
	if _, err := Related(t.Context(), "x", 3, get, search); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("unknown ID: %v, want news.ErrNotFound", err)
	}
	a.Title, a.Text = "The", "and of"
	if res, err := Related(t.Context(), "a", 3, get, nil); err != nil || res.Hits == nil || len(res.Hits) != 0 {
		t.Errorf("article without words: %+v, %v; want no hits and no search", res, err)
	}
}
