package elastic

import (
	"context"
	"fmt"

	"newsdesk/indexer"
	"newsdesk/news"
)

// Related returns up to size other stories that share several of the
// article's characteristic words (indexer.RelatedTerms), best first.
func (ix *Index) Related(ctx context.Context, id string, size int) (news.Results, error) {
	if len(id) > maxIDBytes {
		// Elasticsearch refuses to look such an ID up; no article has it.
		return news.Results{}, fmt.Errorf("getting article with a %d-byte ID: %w", len(id), indexer.ErrNotFound)
	}
	a, err := ix.Get(ctx, id)
	if err != nil {
		return news.Results{}, err
	}
	if len(indexer.RelatedTerms(a, indexer.RelatedTermCount)) == 0 {
		return news.Results{Hits: []news.Hit{}}, nil
	}
	size = max(size, 1)
	body := obj{
		"size":             size,
		"track_total_hits": true,
		"_source":          hitFields,
		"sort":             sortKeys(true),
		"query":            relatedQuery(a),
	}
	res, err := ix.run(ctx, body, size, true, false)
	if err != nil {
		return news.Results{}, fmt.Errorf("finding stories related to %s: %w", id, err)
	}
	res.Next = ""
	return res, nil
}

// relatedQuery matches stories with at least indexer.RelatedMinMatch of the
// article's terms, in the title (boosted) or the text, except the article.
func relatedQuery(a news.Article) obj {
	terms := indexer.RelatedTerms(a, indexer.RelatedTermCount)
	should := make([]obj, 0, len(terms))
	for _, t := range terms {
		should = append(should, termClause(news.Term{Text: t}, false))
	}
	return obj{"bool": obj{
		"should":               should,
		"minimum_should_match": min(indexer.RelatedMinMatch, len(terms)),
		"must_not":             []obj{{"ids": obj{"values": []string{a.ID}}}},
	}}
}
