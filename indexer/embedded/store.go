package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"newsdesk/news"
)

// errNoID is the failure of a doc that has no ID to upsert by.
var errNoID = errors.New("article has no ID")

// Store upserts docs by ID in one batch. Once it returns the docs are
// searchable. The result has one entry per doc: a doc that cannot be
// indexed gets its own error; a failed batch is the error of every doc in it.
func (ix *Index) Store(ctx context.Context, docs []news.Article) []error {
	errs := make([]error, len(docs))
	if err := ctx.Err(); err != nil {
		return fill(errs, fmt.Errorf("storing articles: %w", err))
	}
	batch := ix.bleve.NewBatch()
	for i := range docs {
		if docs[i].ID == "" {
			errs[i] = errNoID
			continue
		}
		doc, err := toDoc(&docs[i])
		if err == nil {
			err = batch.Index(docs[i].ID, doc)
		}
		if err != nil {
			errs[i] = fmt.Errorf("indexing article %s: %w", docs[i].ID, err)
		}
	}
	if batch.Size() == 0 {
		return errs
	}
	if err := ix.bleve.Batch(batch); err != nil {
		err = fmt.Errorf("writing batch: %w", err)
		ix.log.Warn("batch failed", "path", ix.path, "err", err)
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	return errs
}

// toDoc is what bleve indexes for an article: the mapped fields, plus the
// whole article as JSON in a stored, unindexed field. Zero dates are left
// out, so they count as missing (sorted last), as in Elasticsearch.
func toDoc(a *news.Article) (map[string]any, error) {
	raw, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encoding article: %w", err)
	}
	doc := map[string]any{
		"id":            a.ID,
		"url":           a.URL,
		"canonical_url": a.CanonicalURL,
		"source":        a.Source,
		"site_name":     a.SiteName,
		"title":         a.Title,
		"authors":       a.Authors,
		"language":      a.Language,
		"description":   a.Description,
		"section":       a.Section,
		"tags":          a.Tags,
		"text":          a.Text,
		"word_count":    float64(a.WordCount),
		"topics":        a.Topics,
		"paywall": map[string]any{
			"detected":  a.Paywall.Detected,
			"kind":      string(a.Paywall.Kind),
			"truncated": a.Paywall.Truncated,
			"signals":   a.Paywall.Signals,
		},
		rawField: string(raw),
	}
	if !a.Published.IsZero() {
		doc["published"] = a.Published
	}
	if !a.Modified.IsZero() {
		doc["modified"] = a.Modified
	}
	if !a.FetchedAt.IsZero() {
		doc["fetched_at"] = a.FetchedAt
	}
	return doc, nil
}

// fill sets every entry of errs to err.
func fill(errs []error, err error) []error {
	for i := range errs {
		errs[i] = err
	}
	return errs
}
