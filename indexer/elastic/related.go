package elastic

import (
	"context"
	"fmt"

	"newsdesk/indexer"
	"newsdesk/news"
)

// Related returns up to size other stories that share several of the
// article's characteristic words (indexer.Related), best first.
func (ix *Index) Related(ctx context.Context, id string, size int) (news.Results, error) {
	if len(id) > maxIDBytes {
		// Elasticsearch refuses to look such an ID up; no article has it.
		return news.Results{}, fmt.Errorf("getting article with a %d-byte ID: %w", len(id), indexer.ErrNotFound)
	}
	return indexer.Related(ctx, id, size, ix.Get, ix.related)
}

// related runs r as a bool query, best first.
func (ix *Index) related(ctx context.Context, r indexer.RelatedQuery) (news.Results, error) {
	should := make([]obj, 0, len(r.Terms))
	for _, t := range r.Terms {
		should = append(should, termClause(news.Term{Text: t}, false))
	}
	body := obj{
		"size":             r.Size,
		"track_total_hits": true,
		"_source":          hitFields,
		"sort":             sortKeys(true),
		"query": obj{"bool": obj{
			"should":               should,
			"minimum_should_match": r.MinMatch,
			"must_not":             []obj{{"ids": obj{"values": []string{r.Exclude}}}},
		}},
	}
	return ix.run(ctx, body, r.Size, true, false)
}
