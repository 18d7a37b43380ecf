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

// Store upserts docs by ID in one batch, keeping the higher revision of each
// (indexer.Revision): a doc older than the stored one is answered as stored
// and changes nothing, as with Elasticsearch's external versioning. Once it
// returns the docs are searchable. The result has one entry per doc: a doc
// that cannot be indexed gets its own error; a failed batch is the error of
// every doc in it.
func (ix *Index) Store(ctx context.Context, docs []news.Article) []error {
	errs := make([]error, len(docs))
	if err := ctx.Err(); err != nil {
		return fill(errs, fmt.Errorf("storing articles: %w", err))
	}
	// The revision check and the write must not interleave with another
	// Store's, or two revisions could each see the other as absent.
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	batch := ix.bleve.NewBatch()
	inBatch := map[string]indexer.Prior{} // first_seen of revisions written by this batch
	revs := map[string]int64{}
	var groups indexer.BatchGroups
	for i := range docs {
		a := &docs[i]
		if a.ID == "" {
			errs[i] = errNoID
			continue
		}
		rev := indexer.Revision(a)
		prior, ok := inBatch[a.ID]
		stored := revs[a.ID]
		if !ok {
			d, err := ix.getDoc(a.ID)
			switch {
			case errors.Is(err, indexer.ErrNotFound):
			case err != nil:
				errs[i] = err
				continue
			default:
				prior = indexer.Prior{FirstSeen: d.FirstSeen, FetchedAt: d.FetchedAt}
				stored = indexer.Revision(&d.Article)
			}
		}
		if rev < stored {
			ix.log.Debug("stale revision ignored", "id", a.ID, "revision", rev, "stored", stored)
			continue
		}
		sig := indexer.Fingerprint(a.Text)
		bands := sig.Bands()
		cands, err := ix.candidates(bands)
		if err != nil {
			errs[i] = err
			continue
		}
		d := document{Article: *a, FirstSeen: indexer.FirstSeen(a, &prior), LastUpdated: indexer.LastUpdated(a),
			Group:     indexer.ChooseGroup(a.ID, sig, append(cands, groups.Candidates(bands)...)),
			Signature: sig.String(), Lead: indexer.FallbackSnippet(a.Text, indexer.SnippetLength)}
		doc, err := toDoc(&d, bands)
		if err == nil {
			err = batch.Index(a.ID, doc)
		}
		if err != nil { // the document itself: encoding or mapping it failed
			errs[i] = refused("indexing article %s: %w", a.ID, err)
			continue
		}
		inBatch[a.ID], revs[a.ID] = indexer.Prior{FirstSeen: d.FirstSeen}, rev
		groups.Add(indexer.Member{ID: a.ID, Group: d.Group, Signature: sig}, bands)
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
// out, so they count as missing, as in Elasticsearch.
func toDoc(d *document, bands []string) (map[string]any, error) {
	a := &d.Article
	raw, err := json.Marshal(d)
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
		bandsField:      bands,
		sigField:        d.Signature,
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
