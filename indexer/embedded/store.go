package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"newsdesk/indexer"
	"newsdesk/news"
)

// errNoID is the failure of a doc that has no ID to upsert by: permanent.
var errNoID error = refused("article has no ID")

// missingDate sorts an article without a published time after every dated
// one (newest first), as Elasticsearch's "missing": "_last" does. It is
// within the range of bleve's nanosecond dates.
var missingDate = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)

// Store upserts docs by ID in one batch, by the indexer's write path
// (indexer.Write), keeping the higher revision of each (indexer.Revision):
// a doc older than the stored one is answered as stored and changes
// nothing, as with Elasticsearch's external versioning. Once it returns the
// docs are searchable. The result has one entry per doc: a doc that cannot
// be indexed gets its own error; a failed lookup or batch is the error of
// every doc in it.
func (ix *Index) Store(ctx context.Context, docs []news.Article) []error {
	errs := make([]error, len(docs))
	if err := ctx.Err(); err != nil {
		return fill(errs, fmt.Errorf("storing articles: %w", err))
	}
	for i := range docs {
		if docs[i].ID == "" {
			errs[i] = errNoID
		}
	}
	// The revision check and the write must not interleave with another
	// Store's, or two revisions could each see the other as absent.
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	indexer.Write(ctx, writer{ix}, docs, errs)
	return errs
}

// writer is the Index as the indexer's write path sees it
// (indexer.Backend). Store holds writeMu across its Lookup and Write.
type writer struct{ ix *Index }

// Lookup reads each doc's stored revision and the stored articles sharing
// a band of its fingerprint.
func (w writer) Lookup(_ context.Context, docs []*indexer.Document) ([]indexer.Found, error) {
	out := make([]indexer.Found, len(docs))
	for k, d := range docs {
		s, err := w.ix.getDoc(d.ID)
		switch {
		case errors.Is(err, news.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			out[k].Self = &indexer.Stored{Prior: indexer.Prior{FirstSeen: s.FirstSeen, FetchedAt: s.FetchedAt},
				Revision: indexer.Revision(&s.Article)}
		}
		if out[k].Copies, err = w.ix.candidates(d.Bands); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Write indexes docs in one bleve batch.
func (w writer) Write(_ context.Context, docs []*indexer.Document) []error {
	ix := w.ix
	errs := make([]error, len(docs))
	batch := ix.bleve.NewBatch()
	for k, d := range docs {
		doc, err := toDoc(d)
		if err == nil {
			err = batch.Index(d.ID, doc)
		}
		if err != nil { // the document itself: encoding or mapping it failed
			errs[k] = refused("indexing article %s: %w", d.ID, err)
		}
	}
	if batch.Size() == 0 {
		return errs
	}
	if err := ix.bleve.Batch(batch); err != nil {
		err = fmt.Errorf("writing batch: %w", err)
		ix.log.Warn("batch failed", "path", ix.path, "err", err)
		for k := range errs {
			if errs[k] == nil {
				errs[k] = err
			}
		}
	}
	return errs
}

// toDoc is what bleve indexes for an article: the mapped fields, plus the
// whole article as JSON in a stored, unindexed field. Zero dates are left
// out, so they count as missing, as in Elasticsearch.
func toDoc(d *indexer.Document) (map[string]any, error) {
	a, rec := d.Article, d.Record(false)
	raw, err := json.Marshal(rec)
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
		"revision":      float64(indexer.Revision(a)),
		"changes":       a.Changes,
		groupField:      d.Group,
		bandsField:      d.Bands,
		sigField:        rec.Signature,
		"paywall": map[string]any{
			"detected":  a.Paywall.Detected,
			"kind":      string(a.Paywall.Kind),
			"truncated": a.Paywall.Truncated,
			"signals":   a.Paywall.Signals,
		},
		sortDateField: missingDate,
		rawField:      string(raw),
	}
	if !a.Published.IsZero() {
		doc["published"] = a.Published
		doc[sortDateField] = a.Published
		doc[monthField] = a.Published.UTC().Format(indexer.MonthFormat)
	}
	if !a.Modified.IsZero() {
		doc["modified"] = a.Modified
	}
	if !a.FetchedAt.IsZero() {
		doc["fetched_at"] = a.FetchedAt
	}
	if !d.LastUpdated.IsZero() {
		doc["last_updated"] = d.LastUpdated
	}
	if !d.FirstSeen.IsZero() {
		doc["first_seen"] = d.FirstSeen
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
