package embedded

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"newsdesk/indexer"
	"newsdesk/news"
)

// Related returns up to size other stories that share several of the
// article's characteristic words (indexer.RelatedTerms), best first: the
// query the Elasticsearch backend runs.
func (ix *Index) Related(ctx context.Context, id string, size int) (news.Results, error) {
	a, err := ix.Get(ctx, id)
	if err != nil {
		return news.Results{}, err
	}
	terms := indexer.RelatedTerms(a, indexer.RelatedTermCount)
	if len(terms) == 0 {
		return news.Results{Hits: []news.Hit{}}, nil
	}
	should := make([]query.Query, 0, len(terms))
	for _, t := range terms {
		should = append(should, termQuery(news.Term{Text: t}))
	}
	any := query.NewDisjunctionQuery(should)
	any.SetMin(float64(min(indexer.RelatedMinMatch, len(terms))))
	self := query.NewDocIDQuery([]string{a.ID})
	req := bleve.NewSearchRequestOptions(query.NewBooleanQuery([]query.Query{any}, nil, []query.Query{self}), max(size, 1), 0, false)
	req.SortByCustom(sortOrder(true))
	res, err := ix.run(ctx, req, true)
	if err != nil {
		return news.Results{}, fmt.Errorf("finding stories related to %s: %w", id, err)
	}
	res.Next = ""
	return res.Results, nil
}
