package embedded

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"newsdesk/indexer"
	"newsdesk/news"
)

// Related returns up to size other stories that share several of the
// article's characteristic words (indexer.Related), best first: the query
// the Elasticsearch backend runs.
func (ix *Index) Related(ctx context.Context, id string, size int) (news.Results, error) {
	return indexer.Related(ctx, id, size, ix.Get, ix.related)
}

// related runs r as a bleve query, best first.
func (ix *Index) related(ctx context.Context, r indexer.RelatedQuery) (news.Results, error) {
	should := make([]query.Query, 0, len(r.Terms))
	for _, t := range r.Terms {
		should = append(should, termQuery(news.Term{Text: t}))
	}
	any := query.NewDisjunctionQuery(should)
	any.SetMin(float64(r.MinMatch))
	self := query.NewDocIDQuery([]string{r.Exclude})
	req := bleve.NewSearchRequestOptions(query.NewBooleanQuery([]query.Query{any}, nil, []query.Query{self}), r.Size, 0, false)
	req.SortByCustom(sortOrder(true))
	res, err := ix.run(ctx, req, true)
	return res.Results, err
}
