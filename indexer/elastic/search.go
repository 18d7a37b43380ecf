package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"newsdesk/indexer"
	"newsdesk/news"
)

// hitFields are the _source fields a hit needs: never the whole text, whose
// decoding was most of the API's cost per hit; the fallback snippet is
// stored as lead at index time. A document stored before lead existed has
// an empty snippet until it is stored again (or reindexed through Store).
var hitFields = []string{"id", "title", "url", "source", "authors", "published", "language",
	"topics", "word_count", "paywall", "lead", "revision", "changes", "first_seen", "last_updated",
	"fetched_at", "dup_group"}

// copyFields are the _source fields of the other copies of a grouped hit.
var copyFields = []string{"id", "source", "url", "title", "published"}

// Search runs a newsroom query. The text is parsed by news.ParseQuery and
// each word, phrase, prefix and field becomes a clause of its own (AND,
// OR, NOT a bool query), so no character of it is ever read as Elasticsearch
// query syntax, and it matches what a watch with that query would match;
// filters restrict without scoring. Hits are sorted by score (q.ByScore), else
// newest first, always with the ID as the last key so that pages are stable.
func (ix *Index) Search(ctx context.Context, q news.Query) (news.Results, error) {
	// Refused before canGroup asks the cluster (searchBody checks too).
	if err := q.Check(); err != nil {
		return news.Results{}, err
	}
	if q.Group && !ix.canGroup(ctx) {
		q.Group = false
		if q.After != "" {
			// A grouped cursor from before; start again.
			if _, err := indexer.GroupedStart(q); err == nil {
				q.After = ""
			}
		}
	}
	body, err := searchBody(q)
	if err != nil {
		return news.Results{}, err
	}
	size, _ := body["size"].(int)
	res, err := ix.run(ctx, body, size, q.ByScore(), q.Facets)
	if err == nil && q.Group {
		res.Next = ""
		if size > 0 && len(res.Hits) == size {
			start, _ := indexer.GroupedStart(q) // searchBody checked it
			res.Next = indexer.GroupedCursor(start + len(res.Hits))
		}
	}
	return res, err
}

// Ready reports whether the read alias answers a search (a count): what
// /readyz needs. Ping asks for cluster health, which fails while no master
// is elected although searches are still answered.
func (ix *Index) Ready(ctx context.Context) error {
	res, err := ix.es.Count(ix.es.Count.WithContext(ctx), ix.es.Count.WithIndex(ix.alias))
	if err := check(res, err); err != nil {
		return fmt.Errorf("counting %s: %w", ix.alias, err)
	}
	drain(res.Body)
	return nil
}

// RequestBody is the Elasticsearch search body that Search sends for q, so
// a benchmark can send the very same query straight to the cluster.
func (ix *Index) RequestBody(q news.Query) ([]byte, error) {
	body, err := searchBody(q)
	if err != nil {
		return nil, err
	}
	return json.Marshal(body)
}

// run sends a search body and reads the answer as a page of size hits,
// with scores when they order the hits, and facets when asked.
func (ix *Index) run(ctx context.Context, body obj, size int, byScore, facets bool) (news.Results, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return news.Results{}, fmt.Errorf("encoding query: %w", err)
	}
	res, err := ix.es.Search(
		ix.es.Search.WithContext(ctx),
		ix.es.Search.WithIndex(ix.alias),
		ix.es.Search.WithBody(bytes.NewReader(raw)),
	)
	if err := check(res, err); err != nil {
		return news.Results{}, fmt.Errorf("searching %s: %w", ix.alias, err)
	}
	defer drain(res.Body)

	var sr searchResponse
	if err := json.NewDecoder(res.Body).Decode(&sr); err != nil {
		return news.Results{}, fmt.Errorf("decoding search response: %w", err)
	}
	matches := make([]indexer.Match, len(sr.Hits.Hits))
	for i := range sr.Hits.Hits {
		h := &sr.Hits.Hits[i]
		m := indexer.Match{ID: h.ID, Record: &h.Source}
		if h.Score != nil {
			m.Score = *h.Score
		}
		for _, f := range []string{"text", "text.exact"} {
			if frags := h.Highlight[f]; len(frags) > 0 {
				m.Fragments = frags
				break
			}
		}
		matches[i] = m
	}
	out := indexer.Results(sr.Hits.Total.Value, matches, size, byScore, func() string {
		return indexer.EncodeCursor(sr.Hits.Hits[len(sr.Hits.Hits)-1].Sort)
	})
	for i := range sr.Hits.Hits {
		if c, ok := sr.Hits.Hits[i].InnerHits["copies"]; ok {
			copies := make([]news.Copy, len(c.Hits.Hits))
			for k, ch := range c.Hits.Hits {
				copies[k] = ch.Source
				copies[k].ID = ch.ID
			}
			indexer.SetCopies(&out.Hits[i], c.Hits.Total.Value-1, copies) // the hit is one of them
		}
	}
	if facets {
		out.Facets = sr.Aggregations.facets()
	}
	return out, nil
}

type searchResponse struct {
	Hits struct {
		Total struct {
			Value int `json:"value"`
		} `json:"total"`
		Hits []struct {
			ID        string              `json:"_id"`
			Score     *float64            `json:"_score"`
			Source    stored              `json:"_source"`
			Highlight map[string][]string `json:"highlight"`
			InnerHits map[string]struct {
				Hits struct {
					Total struct {
						Value int `json:"value"`
					} `json:"total"`
					Hits []struct {
						ID     string    `json:"_id"`
						Source news.Copy `json:"_source"` // copyFields
					} `json:"hits"`
				} `json:"hits"`
			} `json:"inner_hits"`
			// Sort stays raw: epoch milliseconds of a missing date are
			// near the int64 limits, which a float64 would round.
			Sort []json.RawMessage `json:"sort"`
		} `json:"hits"`
	} `json:"hits"`
	Aggregations aggregations `json:"aggregations"`
}

type bucket struct {
	Key         json.RawMessage `json:"key"`
	KeyAsString string          `json:"key_as_string"`
	DocCount    int             `json:"doc_count"`
}

type aggregations map[string]struct {
	Buckets []bucket `json:"buckets"`
}

func (a aggregations) facets() *news.Facets {
	return indexer.Facets(func(name string) map[string]int {
		counts := map[string]int{}
		for _, b := range a[name].Buckets {
			key := b.KeyAsString // a month
			if name != indexer.MonthsFacet && json.Unmarshal(b.Key, &key) != nil {
				continue
			}
			counts[key] = b.DocCount
		}
		return counts
	})
}

// resultWindow is Elasticsearch's default index.max_result_window: a page
// addressed by from may not end beyond it.
const resultWindow = indexer.MaxGroupedOffset

// cursorKinds are the kinds of the sort values of sortKeys: the score, the
// date as epoch milliseconds (a missing one is near the int64 limits), the ID.
func cursorKinds(byScore bool) []indexer.CursorKind {
	if byScore {
		return []indexer.CursorKind{indexer.CursorFloat, indexer.CursorInt64, indexer.CursorString}
	}
	return []indexer.CursorKind{indexer.CursorInt64, indexer.CursorString}
}

// sortKeys is the order of hits, the ID last so that every hit has a
// distinct key and search_after pages neither skip nor repeat.
func sortKeys(byScore bool) []any {
	newest := obj{"published": obj{"order": "desc", "missing": "_last", "unmapped_type": "date"}}
	tieBreak := obj{"id": obj{"order": "asc", "unmapped_type": "keyword"}}
	if byScore {
		return []any{obj{"_score": obj{"order": "desc"}}, newest, tieBreak}
	}
	return []any{newest, tieBreak}
}

// searchBody builds the request body of q.
func searchBody(q news.Query) (obj, error) {
	e, err := indexer.ParseQuery(q)
	if err != nil {
		return nil, err
	}
	body := obj{
		"size":             indexer.PageSize(q),
		"track_total_hits": true,
		"_source":          hitFields,
		"sort":             sortKeys(q.ByScore()),
		"query":            boolQuery(e, filterClauses(q)),
	}
	switch {
	case q.Group:
		start, err := indexer.GroupedStart(q)
		if err != nil {
			return nil, err
		}
		if err := fitWindow(body, q, start); err != nil {
			return nil, err
		}
		body["collapse"] = obj{"field": "dup_group", "inner_hits": obj{
			"name":    "copies",
			"size":    news.MaxCopies + 1, // the hit itself is one of them
			"_source": copyFields,
			"sort":    []any{obj{"published": obj{"order": "asc", "unmapped_type": "date"}}, obj{"id": obj{"order": "asc"}}},
		}}
	case q.After != "":
		after, err := indexer.DecodeCursorAs(q.After, cursorKinds(q.ByScore())...)
		if err != nil {
			return nil, err
		}
		body["search_after"] = after
	default:
		if err := fitWindow(body, q, max(q.Offset, 0)); err != nil {
			return nil, err
		}
	}
	if len(news.PositiveTerms(e)) > 0 {
		field := obj{"fragment_size": indexer.SnippetLength, "number_of_fragments": 1}
		body["highlight"] = obj{
			"encoder":   "html", // escape the text; only our tags are markup
			"pre_tags":  []string{news.HighlightPre},
			"post_tags": []string{news.HighlightPost},
			"fields":    obj{"text": field, "text.exact": field},
		}
	}
	if q.Facets {
		body["aggs"] = facetAggs()
	}
	return body, nil
}

// fitWindow sets from, keeping the page within resultWindow, which
// Elasticsearch refuses to exceed: an offset the user chose is refused; a
// page a cursor starts (we made it) is cut short at the end of the window.
func fitWindow(body obj, q news.Query, from int) error {
	size := indexer.PageSize(q)
	if q.After == "" && from+size > resultWindow {
		return fmt.Errorf("offset: offset+size is %d, at most %d allowed: %w", from+size, resultWindow, news.ErrInvalidQuery)
	}
	body["from"], body["size"] = from, max(min(size, resultWindow-from), 0)
	return nil
}

// facetAggs counts matches by source, topic, paywall kind, language (most first, ties
// by value, as indexer.TopFacet) and month.
func facetAggs() obj {
	aggs := obj{indexer.MonthsFacet: obj{"date_histogram": obj{"field": "published", "calendar_interval": "month",
		"format": "yyyy-MM", "min_doc_count": 1}}}
	for _, f := range indexer.TermFacets {
		aggs[f.Name] = obj{"terms": obj{"field": f.Field, "size": news.FacetSize,
			"order": []obj{{"_count": "desc"}, {"_key": "asc"}}}}
	}
	return aggs
}

// boolQuery combines the query's expression (news.ParseQuery; nil matches
// everything) and filters.
func boolQuery(e news.Expr, filter []obj) obj {
	if e == nil && len(filter) == 0 {
		return obj{"match_all": obj{}}
	}
	b := obj{}
	if e != nil {
		b["must"] = []obj{exprClause(e, false)}
	}
	if len(filter) > 0 {
		b["filter"] = filter
	}
	return obj{"bool": b}
}

// exprClause translates the syntax tree into the query DSL, clause by
// clause, so no text of the user is ever read as a query language.
// negated says the clause is under a NOT.
func exprClause(e news.Expr, negated bool) obj {
	switch e := e.(type) {
	case news.Term:
		return termClause(e, !negated)
	case news.Field:
		return obj{"term": obj{indexer.FieldOf(e.Name): obj{"value": e.Value}}}
	case news.Not:
		return obj{"bool": obj{"must_not": []obj{exprClause(e.X, !negated)}}}
	case news.Or:
		should := make([]obj, 0, len(e))
		for _, c := range e {
			should = append(should, exprClause(c, negated))
		}
		return obj{"bool": obj{"should": should, "minimum_should_match": 1}}
	case news.And:
		var must, mustNot []obj
		for _, c := range e {
			if n, ok := c.(news.Not); ok {
				mustNot = append(mustNot, exprClause(n.X, !negated))
				continue
			}
			must = append(must, exprClause(c, negated))
		}
		b := obj{}
		if len(must) > 0 {
			b["must"] = must
		}
		if len(mustNot) > 0 {
			b["must_not"] = mustNot
		}
		return obj{"bool": b}
	}
	return obj{"match_none": obj{}}
}

// termClause matches a word, prefix or phrase in the title (boosted), the
// description or the text, as whole words, as a watch does: a word is
// matched as a phrase of its parts, so a word the analyzer splits
// ("end-to-end") needs them in a row; a phrase matches the exact subfields,
// word for word, whatever the production analyzer stems or drops. A prefix
// expands to at most news.MaxPrefixExpansions words. A required word that
// the analyzer drops entirely (a stop word under "english") matches
// everything rather than nothing; an excluded one excludes nothing.
func termClause(t news.Term, required bool) obj {
	zero := "none"
	if required {
		zero = "all"
	}
	if t.Prefix {
		prefix := func(field string, boost int) obj {
			return obj{"prefix": obj{field: obj{"value": strings.ToLower(t.Text), "boost": boost,
				"rewrite": fmt.Sprintf("top_terms_%d", news.MaxPrefixExpansions)}}}
		}
		return obj{"bool": obj{"should": []obj{prefix("title.exact", indexer.TitleBoost), prefix("description", 1),
			prefix("text.exact", 1)}, "minimum_should_match": 1}}
	}
	fields := []string{fmt.Sprintf("title^%d", indexer.TitleBoost), "description", "text"}
	if t.Phrase {
		fields = []string{fmt.Sprintf("title.exact^%d", indexer.TitleBoost), "description", "text.exact"}
	}
	return obj{"multi_match": obj{
		"query":            t.Text,
		"fields":           fields,
		"type":             "phrase",
		"zero_terms_query": zero,
	}}
}

// filterClauses are the query's filters; they restrict without scoring.
func filterClauses(q news.Query) []obj {
	var filter []obj
	for _, f := range indexer.KeywordFilters(q) {
		filter = append(filter, obj{"terms": obj{f.Field: f.Values}})
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		r := obj{}
		if !q.From.IsZero() {
			r["gte"] = q.From.UTC().Format(time.RFC3339Nano)
		}
		if !q.To.IsZero() {
			r["lte"] = q.To.UTC().Format(time.RFC3339Nano)
		}
		filter = append(filter, obj{"range": obj{"published": r}})
	}
	if q.Edited {
		filter = append(filter, obj{"range": obj{"revision": obj{"gt": 1}}})
	}
	return filter
}
