package embedded

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	htmlformat "github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
	"github.com/blevesearch/bleve/v2/search/query"

	"newsdesk/indexer"
	"newsdesk/news"
)

// titleBoost weighs a match in the title above one in the text, as the
// Elasticsearch backend does.
const titleBoost = 3

// highlighterName is our highlighter in bleve's registry: fragments of
// indexer.SnippetLength with news.HighlightPre/Post around matches. bleve's
// html formatter escapes the text around and inside the marks, so only the
// marks are markup.
const highlighterName = "newsdesk_mark"

func init() {
	err := registry.RegisterHighlighter(highlighterName,
		func(map[string]any, *registry.Cache) (highlight.Highlighter, error) {
			return simplehl.NewHighlighter(
				simple.NewFragmenter(indexer.SnippetLength),
				htmlformat.NewFragmentFormatter(news.HighlightPre, news.HighlightPost),
				"…"), nil
		})
	if err != nil {
		panic(fmt.Sprintf("registering highlighter: %v", err))
	}
}

// Search runs a newsroom query with the semantics of the Elasticsearch
// backend: every word and quoted phrase of the text (indexer.ParseText) must
// occur in the title or the text, filters restrict without scoring, hits are
// sorted by score when there is text, else newest first.
func (ix *Index) Search(ctx context.Context, q news.Query) (news.Results, error) {
	terms := indexer.ParseText(q.Text)
	size := q.Size
	if size <= 0 {
		size = indexer.DefaultSize
	}
	req := bleve.NewSearchRequestOptions(buildQuery(terms, q), size, max(q.Offset, 0), false)
	req.Fields = []string{rawField}
	newest := &search.SortField{Field: "published", Desc: true, Type: search.SortFieldAsDate, Missing: search.SortFieldMissingLast}
	tieBreak := &search.SortField{Field: "id", Type: search.SortFieldAsString}
	if terms.Empty() {
		req.SortByCustom(search.SortOrder{newest, tieBreak})
	} else {
		req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, newest, tieBreak})
		req.Highlight = bleve.NewHighlightWithStyle(highlighterName)
		req.Highlight.AddField("text")
	}

	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return news.Results{}, fmt.Errorf("searching embedded index: %w", err)
	}
	out := news.Results{Total: int(res.Total), Hits: make([]news.Hit, 0, len(res.Hits))}
	for _, m := range res.Hits {
		raw, _ := m.Fields[rawField].(string)
		var a news.Article
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			return news.Results{}, fmt.Errorf("decoding hit %s: %w", m.ID, err)
		}
		hit := news.Hit{
			ID:        m.ID,
			Title:     a.Title,
			URL:       a.URL,
			Source:    a.Source,
			Authors:   a.Authors,
			Published: a.Published,
			Language:  a.Language,
			Paywall:   a.Paywall,
			Snippet:   indexer.FallbackSnippet(a.Text, indexer.SnippetLength),
		}
		if !terms.Empty() {
			hit.Score = m.Score
		}
		if frags := m.Fragments["text"]; len(frags) > 0 {
			hit.Snippet = frags[0]
		}
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
}

// buildQuery is the bleve query of terms and q's filters.
func buildQuery(terms indexer.Terms, q news.Query) query.Query {
	var must []query.Query
	for _, w := range terms.Words {
		must = append(must, inTitleOrText(func(field string) query.BoostableQuery {
			m := query.NewMatchQuery(w)
			m.SetField(field)
			// A word the analyzer splits ("e-mail") needs all its parts.
			m.SetOperator(query.MatchQueryOperatorAnd)
			return m
		}))
	}
	for _, p := range terms.Phrases {
		must = append(must, inTitleOrText(func(field string) query.BoostableQuery {
			m := query.NewMatchPhraseQuery(p)
			m.SetField(field)
			return m
		}))
	}
	filters := filterQueries(q)

	switch {
	case len(must) == 0 && len(filters) == 0:
		return query.NewMatchAllQuery()
	case len(filters) == 0:
		return query.NewConjunctionQuery(must)
	}
	b := query.NewBooleanQuery(must, nil, nil)
	// A filter takes part in matching, not in scoring.
	b.AddFilter(query.NewConjunctionQuery(filters))
	return b
}

// inTitleOrText matches the clause made by mk in the title (boosted) or the text.
func inTitleOrText(mk func(field string) query.BoostableQuery) query.Query {
	title := mk("title")
	title.SetBoost(titleBoost)
	return query.NewDisjunctionQuery([]query.Query{title, mk("text")})
}

// filterQueries are q's filters: each list matches any of its values.
func filterQueries(q news.Query) []query.Query {
	var filters []query.Query
	anyOf := func(field string, values []string) {
		if len(values) == 0 {
			return
		}
		var qs []query.Query
		for _, v := range values {
			t := query.NewTermQuery(v)
			t.SetField(field)
			qs = append(qs, t)
		}
		filters = append(filters, query.NewDisjunctionQuery(qs))
	}
	anyOf("source", q.Sources)
	anyOf("language", q.Languages)
	kinds := make([]string, len(q.PaywallKinds))
	for i, k := range q.PaywallKinds {
		kinds[i] = string(k)
	}
	anyOf("paywall.kind", kinds)
	if !q.From.IsZero() || !q.To.IsZero() {
		inclusive := true
		r := query.NewDateRangeInclusiveQuery(q.From, q.To, &inclusive, &inclusive)
		r.SetField("published")
		filters = append(filters, r)
	}
	return filters
}
