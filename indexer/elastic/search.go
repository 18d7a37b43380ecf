package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"newsdesk/indexer"
	"newsdesk/news"
)

// titleBoost weighs a match in the title above one in the text.
const titleBoost = 3

// hitFields are the _source fields a hit needs (text for the fallback snippet).
var hitFields = []string{"id", "title", "url", "source", "authors", "published", "language", "paywall", "text"}

// Search runs a newsroom query. The text is split into words and quoted
// phrases (indexer.ParseText) and each becomes a match clause of its own, so
// no character of it is ever read as query syntax. Every word and phrase must
// occur in the title or the text; hits are sorted by score when there is
// text, else newest first.
func (ix *Index) Search(ctx context.Context, q news.Query) (news.Results, error) {
	body, err := json.Marshal(searchBody(q))
	if err != nil {
		return news.Results{}, fmt.Errorf("encoding query: %w", err)
	}
	res, err := ix.es.Search(
		ix.es.Search.WithContext(ctx),
		ix.es.Search.WithIndex(ix.alias),
		ix.es.Search.WithBody(bytes.NewReader(body)),
	)
	if err := check(res, err); err != nil {
		return news.Results{}, fmt.Errorf("searching %s: %w", ix.alias, err)
	}
	defer drain(res.Body)

	var sr searchResponse
	if err := json.NewDecoder(res.Body).Decode(&sr); err != nil {
		return news.Results{}, fmt.Errorf("decoding search response: %w", err)
	}
	out := news.Results{Total: sr.Hits.Total.Value, Hits: make([]news.Hit, 0, len(sr.Hits.Hits))}
	for _, h := range sr.Hits.Hits {
		a := h.Source
		hit := news.Hit{
			ID:        h.ID,
			Title:     a.Title,
			URL:       a.URL,
			Source:    a.Source,
			Authors:   a.Authors,
			Published: a.Published,
			Language:  a.Language,
			Paywall:   a.Paywall,
			Snippet:   indexer.FallbackSnippet(a.Text, indexer.SnippetLength),
		}
		if h.Score != nil {
			hit.Score = *h.Score
		}
		if frags := h.Highlight["text"]; len(frags) > 0 {
			hit.Snippet = frags[0]
		}
		out.Hits = append(out.Hits, hit)
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
			Source    news.Article        `json:"_source"`
			Highlight map[string][]string `json:"highlight"`
		} `json:"hits"`
	} `json:"hits"`
}

// searchBody builds the request body of q.
func searchBody(q news.Query) obj {
	terms := indexer.ParseText(q.Text)
	size := q.Size
	if size <= 0 {
		size = indexer.DefaultSize
	}
	body := obj{
		"from":             max(q.Offset, 0),
		"size":             size,
		"track_total_hits": true,
		"_source":          hitFields,
	}
	newest := obj{"published": obj{"order": "desc", "missing": "_last"}}
	tieBreak := obj{"id": "asc"} // stable pages among equal keys
	if terms.Empty() {
		body["sort"] = []obj{newest, tieBreak}
	} else {
		body["sort"] = []any{"_score", newest, tieBreak}
		body["highlight"] = obj{
			"encoder":   "html", // escape the text; only our tags are markup
			"pre_tags":  []string{news.HighlightPre},
			"post_tags": []string{news.HighlightPost},
			"fields": obj{"text": obj{
				"fragment_size":       indexer.SnippetLength,
				"number_of_fragments": 1,
			}},
		}
	}

	must := textClauses(terms)
	filter := filterClauses(q)
	if len(must) == 0 && len(filter) == 0 {
		body["query"] = obj{"match_all": obj{}}
		return body
	}
	boolQ := obj{}
	if len(must) > 0 {
		boolQ["must"] = must
	}
	if len(filter) > 0 {
		boolQ["filter"] = filter
	}
	body["query"] = obj{"bool": boolQ}
	return body
}

// textClauses requires each word and each phrase in the title or the text.
// A word is a match with operator "and" (a word the analyzer splits, like
// "e-mail", needs all its parts); zero_terms_query "all" keeps a word the
// analyzer drops entirely (a stop word under "english") from matching nothing.
func textClauses(t indexer.Terms) []obj {
	fields := []string{fmt.Sprintf("title^%d", titleBoost), "text"}
	var must []obj
	for _, w := range t.Words {
		must = append(must, obj{"multi_match": obj{
			"query":            w,
			"fields":           fields,
			"type":             "best_fields",
			"operator":         "and",
			"zero_terms_query": "all",
		}})
	}
	for _, p := range t.Phrases {
		must = append(must, obj{"multi_match": obj{
			"query":            p,
			"fields":           fields,
			"type":             "phrase",
			"zero_terms_query": "all",
		}})
	}
	return must
}

// filterClauses are the query's filters; they restrict without scoring.
func filterClauses(q news.Query) []obj {
	var filter []obj
	if len(q.Sources) > 0 {
		filter = append(filter, obj{"terms": obj{"source": q.Sources}})
	}
	if len(q.Languages) > 0 {
		filter = append(filter, obj{"terms": obj{"language": q.Languages}})
	}
	if len(q.PaywallKinds) > 0 {
		filter = append(filter, obj{"terms": obj{"paywall.kind": q.PaywallKinds}})
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
	return filter
}
