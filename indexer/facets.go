package indexer

import (
	"cmp"
	"slices"

	"newsdesk/news"
)

// TopFacet orders counted values as both backends must list them: most
// frequent first, ties by value, at most news.FacetSize. Elasticsearch's
// terms aggregation orders the same way; bleve's does not promise ties.
func TopFacet(counts map[string]int) []news.FacetCount {
	out := make([]news.FacetCount, 0, len(counts))
	for v, n := range counts {
		if n > 0 {
			out = append(out, news.FacetCount{Value: v, Count: n})
		}
	}
	slices.SortFunc(out, func(a, b news.FacetCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out[:min(len(out), news.FacetSize)]
}

// MonthFormat is the Go layout of a month facet value, "2024-03".
const MonthFormat = "2006-01"

// EmptyFacets is the facets of no match: empty lists, never nil, so that a
// JSON client can range over them.
func EmptyFacets() *news.Facets {
	return &news.Facets{Sources: []news.FacetCount{}, Topics: []news.FacetCount{},
		PaywallKinds: []news.FacetCount{}, Languages: []news.FacetCount{}, Months: []news.FacetCount{}}
}
