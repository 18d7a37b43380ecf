package embedded

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"newsdesk/indexer"
	"newsdesk/news"
)

// bleve has no field collapsing, so a grouped search groups in Go over a
// bounded window of the best hits: the first hit of each group in ranked
// order represents it. Since the ranking is deterministic, the groups found
// in a window are a prefix of those found in a larger one, so pages agree
// with each other; only groups whose best copy ranks beyond groupWindowMax
// matches are never shown (the Elasticsearch backend has no such bound).
const (
	groupWindowFactor = 5    // candidates per hit of the pages up to this one
	groupWindowMin    = 100  // candidates at least
	groupWindowMax    = 2000 // candidates at most
)

// searchGrouped runs req (q's query, sort, highlight and facets) as a
// grouped search: one pass over the window reads only the group of each
// hit; a second fetches the page's hits with snippets; a third counts and
// lists the other matching copies of each group that has more than one.
func (ix *Index) searchGrouped(ctx context.Context, q news.Query, req *bleve.SearchRequest) (news.Results, error) {
	start, err := indexer.GroupedStart(q)
	if err != nil {
		return news.Results{}, err
	}
	size := req.Size
	window := min(max((start+size)*groupWindowFactor, groupWindowMin), groupWindowMax)
	scan := *req
	scan.Size, scan.From, scan.SearchAfter, scan.Highlight = window, 0, nil, nil
	scan.Fields = []string{groupField}
	res, err := ix.bleve.SearchInContext(ctx, &scan)
	if err != nil {
		return news.Results{}, fmt.Errorf("searching embedded index: %w", err)
	}
	complete := len(res.Hits) < window || int(res.Total) <= window
	var reps []string              // representative ids, in rank order
	groupOf := map[string]string{} // representative id -> group
	members := map[string]int{}    // group -> matches in the window
	for _, h := range res.Hits {
		g, _ := h.Fields[groupField].(string)
		if g == "" {
			g = h.ID // stored before grouping existed
		}
		if members[g] == 0 {
			reps = append(reps, h.ID)
			groupOf[h.ID] = g
		}
		members[g]++
	}
	out := news.Results{Total: int(res.Total), Hits: []news.Hit{}}
	if q.Facets {
		out.Facets = facets(res)
	}
	page := reps[min(start, len(reps)):min(start+size, len(reps))]
	if len(page) == 0 {
		return out, nil
	}
	if out.Hits, err = ix.pageHits(ctx, req, page); err != nil {
		return news.Results{}, err
	}
	for i := range out.Hits {
		h := &out.Hits[i]
		g := groupOf[h.ID]
		if complete && members[g] == 1 {
			continue
		}
		if err := ix.copies(ctx, req.Query, h, g); err != nil {
			return news.Results{}, err
		}
	}
	if len(page) == size && (len(reps) > start+size || !complete) {
		out.Next = indexer.GroupedCursor(start + size)
	}
	return out, nil
}

// pageHits fetches the hits ids of req's query, in that order, with
// snippets.
func (ix *Index) pageHits(ctx context.Context, req *bleve.SearchRequest, ids []string) ([]news.Hit, error) {
	b := query.NewBooleanQuery([]query.Query{req.Query}, nil, nil)
	b.AddFilter(query.NewDocIDQuery(ids))
	fetch := *req
	fetch.Query, fetch.Size, fetch.From, fetch.SearchAfter, fetch.Facets = b, len(ids), 0, nil, nil
	res, err := ix.run(ctx, &fetch, isByScore(req.Sort))
	if err != nil {
		return nil, err
	}
	byID := map[string]news.Hit{}
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	hits := make([]news.Hit, 0, len(ids))
	for _, id := range ids {
		if h, ok := byID[id]; ok {
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// copies counts the matches of q in group g besides hit h, and lists up to
// news.MaxCopies of them, oldest first.
func (ix *Index) copies(ctx context.Context, q query.Query, h *news.Hit, g string) error {
	inGroup := query.NewTermQuery(g)
	inGroup.SetField(groupField)
	b := query.NewBooleanQuery([]query.Query{q}, nil, []query.Query{query.NewDocIDQuery([]string{h.ID})})
	b.AddFilter(inGroup)
	req := bleve.NewSearchRequestOptions(b, news.MaxCopies, 0, false)
	req.SortByCustom(search.SortOrder{
		&search.SortField{Field: sortDateField, Type: search.SortFieldAsDate},
		&search.SortField{Field: "id", Type: search.SortFieldAsString},
	})
	res, err := ix.run(ctx, req, false)
	if err != nil {
		return fmt.Errorf("listing copies of %s: %w", h.ID, err)
	}
	copies := make([]news.Copy, len(res.Hits))
	for i, c := range res.Hits {
		copies[i] = indexer.CopyOf(c)
	}
	indexer.SetCopies(h, res.Total, copies)
	return nil
}

// isByScore reports whether a sort order ranks by score first.
func isByScore(order search.SortOrder) bool {
	if len(order) == 0 {
		return false
	}
	_, ok := order[0].(*search.SortScore)
	return ok
}
