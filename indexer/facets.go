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

// Facet is one facet counted by value: Name names its counts in a
// backend's request and answer, Field is the index field it counts.
type Facet struct {
	Name, Field string
	list        func(*news.Facets) *[]news.FacetCount
}

// TermFacets are the facets counted by value; MonthsFacet counts by month
// of publication, on a field of the backend's own.
var TermFacets = []Facet{
	{"sources", "source", func(f *news.Facets) *[]news.FacetCount { return &f.Sources }},
	{"topics", "topics", func(f *news.Facets) *[]news.FacetCount { return &f.Topics }},
	{"paywall_kinds", "paywall.kind", func(f *news.Facets) *[]news.FacetCount { return &f.PaywallKinds }},
	{"languages", "language", func(f *news.Facets) *[]news.FacetCount { return &f.Languages }},
}

// MonthsFacet names the counts of the month facet (MonthFormat values).
const MonthsFacet = "months"

// Facets are the facets of a search from the counts a backend read,
// counts(name) for each of TermFacets and for MonthsFacet: values ordered
// by TopFacet, months oldest first.
func Facets(counts func(name string) map[string]int) *news.Facets {
	f := EmptyFacets()
	for _, tf := range TermFacets {
		*tf.list(f) = TopFacet(counts(tf.Name))
	}
	for m, n := range counts(MonthsFacet) {
		if n > 0 {
			f.Months = append(f.Months, news.FacetCount{Value: m, Count: n})
		}
	}
	slices.SortFunc(f.Months, func(a, b news.FacetCount) int { return cmp.Compare(a.Value, b.Value) })
	return f
}
