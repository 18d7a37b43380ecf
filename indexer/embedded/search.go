package embedded

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	htmlformat "github.com/blevesearch/bleve/v2/search/highlight/format/html"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
	"github.com/blevesearch/bleve/v2/search/query"

	"newsdesk/indexer"
	"newsdesk/news"
)

// highlighterName is our highlighter in bleve's registry: fragments of
// indexer.SnippetLength cut at word or sentence boundaries (wordFragmenter)
// with news.HighlightPre/Post around matches. bleve's
// html formatter escapes the text around and inside the marks, so only the
// marks are markup.
const highlighterName = "newsdesk_mark"

// monthFacetSize bounds the month facet: two centuries of months.
const monthFacetSize = 2400

func init() {
	err := registry.RegisterHighlighter(highlighterName,
		func(map[string]any, *registry.Cache) (highlight.Highlighter, error) {
			return simplehl.NewHighlighter(
				newWordFragmenter(indexer.SnippetLength),
				htmlformat.NewFragmentFormatter(news.HighlightPre, news.HighlightPost),
				"…"), nil
		})
	if err != nil {
		panic(fmt.Sprintf("registering highlighter: %v", err))
	}
}

// Search runs a newsroom query with the semantics of the Elasticsearch
// backend and of watches: the text is parsed by news.ParseQuery and
// translated into bleve query objects, filters restrict without scoring; hits are
// sorted by score (q.ByScore), else newest first, the ID breaking ties.
func (ix *Index) Search(ctx context.Context, q news.Query) (news.Results, error) {
	e, err := indexer.ParseQuery(q)
	if err != nil {
		return news.Results{}, err
	}
	bq, err := ix.buildQuery(e, filterQueries(q))
	if err != nil {
		return news.Results{}, err
	}
	req := bleve.NewSearchRequestOptions(bq, indexer.PageSize(q), max(q.Offset, 0), false)
	order := sortOrder(q.ByScore())
	req.SortByCustom(order)
	if q.After != "" && !q.Group {
		after, err := indexer.CursorStrings(q.After, len(order))
		if err != nil {
			return news.Results{}, err
		}
		if err := checkAfter(after, q.ByScore()); err != nil {
			return news.Results{}, err
		}
		req.SearchAfter, req.From = after, 0
	}
	if len(news.PositiveTerms(e)) > 0 {
		req.Highlight = bleve.NewHighlightWithStyle(highlighterName)
		req.Highlight.AddField("text")
	}
	if q.Facets {
		for _, f := range indexer.TermFacets {
			// More than are listed, so that ties are broken as on Elasticsearch.
			req.AddFacet(f.Name, bleve.NewFacetRequest(f.Field, 10*news.FacetSize))
		}
		req.AddFacet(indexer.MonthsFacet, bleve.NewFacetRequest(monthField, monthFacetSize))
	}
	if q.Group {
		return ix.searchGrouped(ctx, q, req)
	}
	res, err := ix.run(ctx, req, q.ByScore())
	if err != nil {
		return news.Results{}, err
	}
	if q.Facets {
		res.Facets = facets(res.raw)
	}
	return res.Results, nil
}

type result struct {
	news.Results
	raw *bleve.SearchResult
}

// run executes req and turns its matches into hits, with scores when they
// order the hits and a cursor when the page is full.
func (ix *Index) run(ctx context.Context, req *bleve.SearchRequest, byScore bool) (result, error) {
	req.Fields = []string{rawField}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return result{}, fmt.Errorf("searching embedded index: %w", err)
	}
	matches := make([]indexer.Match, len(res.Hits))
	for i, m := range res.Hits {
		raw, _ := m.Fields[rawField].(string)
		d, err := decodeDocument(m.ID, []byte(raw))
		if err != nil {
			return result{}, fmt.Errorf("decoding hit: %w", err)
		}
		matches[i] = indexer.Match{ID: m.ID, Record: d, Score: m.Score, Fragments: m.Fragments["text"]}
	}
	out := indexer.Results(int(res.Total), matches, req.Size, byScore, func() string {
		return indexer.StringsCursor(cursorOf(res.Hits[len(res.Hits)-1], byScore))
	})
	return result{Results: out, raw: res}, nil
}

// sortOrder is the order of hits, the ID last so that every hit has a
// distinct key and search_after pages neither skip nor repeat.
func sortOrder(byScore bool) search.SortOrder {
	newest := &search.SortField{Field: sortDateField, Desc: true, Type: search.SortFieldAsDate}
	tieBreak := &search.SortField{Field: "id", Type: search.SortFieldAsString}
	if byScore {
		return search.SortOrder{&search.SortScore{Desc: true}, newest, tieBreak}
	}
	return search.SortOrder{newest, tieBreak}
}

// cursorOf is the sort key of a hit in the form SearchAfter takes: the score
// in full precision (bleve reports "_score" in its place), the date as
// RFC 3339, the ID.
func cursorOf(m *search.DocumentMatch, byScore bool) []string {
	key := slices.Clone(m.DecodedSort)
	if byScore && len(key) > 0 {
		key[0] = strconv.FormatFloat(m.Score, 'g', -1, 64)
	}
	return key
}

// checkAfter refuses a forged cursor whose values bleve would misread.
func checkAfter(after []string, byScore bool) error {
	i := 0
	if byScore {
		if _, err := strconv.ParseFloat(after[0], 64); err != nil {
			return fmt.Errorf("after: not a cursor: %w", news.ErrInvalidQuery)
		}
		i = 1
	}
	if _, err := time.Parse(time.RFC3339Nano, after[i]); err != nil {
		return fmt.Errorf("after: not a cursor: %w", news.ErrInvalidQuery)
	}
	return nil
}

// facets reads bleve's facet results.
func facets(res *bleve.SearchResult) *news.Facets {
	return indexer.Facets(func(name string) map[string]int {
		m := map[string]int{}
		if fr := res.Facets[name]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				m[t.Term] = t.Count
			}
		}
		return m
	})
}

// buildQuery is the bleve query of the query's expression (nil matches
// everything) and filters.
func (ix *Index) buildQuery(e news.Expr, filters []query.Query) (query.Query, error) {
	if e == nil && len(filters) == 0 {
		return query.NewMatchAllQuery(), nil
	}
	var must query.Query = query.NewMatchAllQuery()
	if e != nil {
		var err error
		if must, err = ix.exprQuery(e); err != nil {
			return nil, err
		}
	}
	b := query.NewBooleanQuery([]query.Query{must}, nil, nil)
	if len(filters) > 0 {
		// A filter takes part in matching, not in scoring.
		b.AddFilter(query.NewConjunctionQuery(filters))
	}
	return b, nil
}

// exprQuery translates the syntax tree into bleve query objects, the
// semantics of the Elasticsearch backend and of watches.
func (ix *Index) exprQuery(e news.Expr) (query.Query, error) {
	switch e := e.(type) {
	case news.Term:
		if e.Prefix {
			return ix.prefixQuery(e.Text)
		}
		return termQuery(e), nil
	case news.Field:
		t := query.NewTermQuery(e.Value)
		t.SetField(indexer.FieldOf(e.Name))
		return t, nil
	case news.Not:
		x, err := ix.exprQuery(e.X)
		if err != nil {
			return nil, err
		}
		return query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, []query.Query{x}), nil
	case news.Or:
		alts, err := ix.exprQueries(e)
		if err != nil {
			return nil, err
		}
		return query.NewDisjunctionQuery(alts), nil
	case news.And:
		var pos, neg []query.Query
		for _, c := range e {
			target, x := &pos, c
			if n, ok := c.(news.Not); ok {
				target, x = &neg, n.X
			}
			q, err := ix.exprQuery(x)
			if err != nil {
				return nil, err
			}
			*target = append(*target, q)
		}
		if len(pos) == 0 {
			pos = []query.Query{query.NewMatchAllQuery()}
		}
		if len(neg) == 0 {
			return query.NewConjunctionQuery(pos), nil
		}
		return query.NewBooleanQuery(pos, nil, neg), nil
	}
	return nil, fmt.Errorf("unknown query node %T", e)
}

func (ix *Index) exprQueries(es []news.Expr) ([]query.Query, error) {
	out := make([]query.Query, 0, len(es))
	for _, e := range es {
		q, err := ix.exprQuery(e)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// prefixQuery matches words starting with prefix in the title (boosted),
// the description or the text: each field's dictionary is expanded to at
// most news.MaxPrefixExpansions words, so a common prefix cannot make a
// search of thousands of terms.
func (ix *Index) prefixQuery(prefix string) (query.Query, error) {
	prefix = strings.ToLower(prefix)
	var alts []query.Query
	for _, field := range []string{"title", "description", "text"} {
		words, err := ix.expand(field, prefix)
		if err != nil {
			return nil, err
		}
		for _, w := range words {
			t := query.NewTermQuery(w)
			t.SetField(field)
			if field == "title" {
				t.SetBoost(indexer.TitleBoost)
			}
			alts = append(alts, t)
		}
	}
	if len(alts) == 0 {
		return query.NewMatchNoneQuery(), nil
	}
	return query.NewDisjunctionQuery(alts), nil
}

// expand lists up to news.MaxPrefixExpansions words of field that start
// with prefix.
func (ix *Index) expand(field, prefix string) ([]string, error) {
	dict, err := ix.bleve.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, fmt.Errorf("expanding %s* in %s: %w", prefix, field, err)
	}
	defer dict.Close()
	var out []string
	for len(out) < news.MaxPrefixExpansions {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("expanding %s* in %s: %w", prefix, field, err)
		}
		if e == nil {
			break
		}
		out = append(out, e.Term)
	}
	return out, nil
}

// termQuery matches a word or a phrase in the title (boosted), the
// description or the text, as whole words: a word the analyzer splits
// ("end-to-end") is a phrase of its parts, as in a watch.
func termQuery(t news.Term) query.Query {
	mk := func(field string) query.BoostableQuery {
		m := query.NewMatchPhraseQuery(t.Text)
		m.SetField(field)
		return m
	}
	title := mk("title")
	title.SetBoost(indexer.TitleBoost)
	return query.NewDisjunctionQuery([]query.Query{title, mk("description"), mk("text")})
}

// filterQueries are q's filters: each list matches any of its values.
func filterQueries(q news.Query) []query.Query {
	var filters []query.Query
	for _, f := range indexer.KeywordFilters(q) {
		var qs []query.Query
		for _, v := range f.Values {
			t := query.NewTermQuery(v)
			t.SetField(f.Field)
			qs = append(qs, t)
		}
		filters = append(filters, query.NewDisjunctionQuery(qs))
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		inclusive := true
		r := query.NewDateRangeInclusiveQuery(clampDate(q.From), clampDate(q.To), &inclusive, &inclusive)
		r.SetField("published")
		filters = append(filters, r)
	}
	if q.Edited {
		two, inclusive := 2.0, true
		r := query.NewNumericRangeInclusiveQuery(&two, nil, &inclusive, nil)
		r.SetField("revision")
		filters = append(filters, r)
	}
	return filters
}

// clampDate brings a bound of a date range into the span bleve can compare
// (nanoseconds since 1970 in an int64), where it would fail the search; no
// stored date lies beyond it. The zero time stays: it means no bound.
func clampDate(t time.Time) time.Time {
	switch {
	case t.IsZero():
		return t
	case t.Before(query.MinRFC3339CompatibleTime):
		return query.MinRFC3339CompatibleTime
	case t.After(query.MaxRFC3339CompatibleTime):
		return query.MaxRFC3339CompatibleTime
	}
	return t
}
