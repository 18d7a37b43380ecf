package elastic

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"newsdesk/indexer"
	"newsdesk/news"
)

// maxIDBytes is Elasticsearch's limit on _id. A longer one fails the whole
// bulk request, not just its item, so Store refuses it up front.
const maxIDBytes = 512

// errNoID is the failure of a doc that has no ID to upsert by: permanent.
var errNoID error = invalidDocf("article has no ID")

// Store writes docs through the write alias in bulk requests (of at most
// FlushBytes, see bulk), by the indexer's write path (indexer.Write): one
// lookup before writing carries each later revision's first_seen forward
// and finds the syndication group of each doc (writer.Lookup). They are
// searchable within RefreshInterval (see pendingWrites; Refresh makes them
// searchable at once). Each doc is versioned externally by its revision
// (indexer.Revision): Elasticsearch keeps the higher revision, so a late,
// older event is answered as stored but changes nothing. The result has
// one entry per doc: nil when stored (or already newer), else the error of
// that document (an *Error for a rejected one; news.ErrPermanent for one
// that no retry can store), so a caller retries only those, as it sees fit:
// Store itself does not retry an item refused for load (429).
func (ix *Index) Store(ctx context.Context, docs []news.Article) []error {
	errs := make([]error, len(docs))
	for i := range docs {
		switch {
		case docs[i].ID == "":
			errs[i] = errNoID
		case len(docs[i].ID) > maxIDBytes:
			errs[i] = invalidDocf("article ID %.32q…: %d bytes, longer than Elasticsearch's limit of %d", docs[i].ID, len(docs[i].ID), maxIDBytes)
		}
	}
	indexer.Write(ctx, writer{ix}, docs, errs)
	for i, err := range errs {
		if err != nil {
			ix.log.Debug("article not stored", "id", docs[i].ID, "err", err)
		}
	}
	return errs
}

// Write sends docs in bulk requests and remembers what it wrote until a
// refresh makes it searchable (pendingWrites). It does not retry an item
// refused for load or transiently: that is the doc's error, which the
// caller (Consume, Replay) retries with its own pacing, so there is one
// retry layer (the client's transport still retries a whole request).
func (w writer) Write(ctx context.Context, docs []*indexer.Document) []error {
	ix := w.ix
	errs := make([]error, len(docs))
	all := make([]int, len(docs))
	for i := range all {
		all[i] = i
	}
	wrote := make([]bool, len(docs))
	ix.bulk(ctx, docs, all, errs, wrote)
	var written []*indexer.Document
	for i, d := range docs {
		if wrote[i] && errs[i] == nil {
			written = append(written, d)
		}
	}
	ix.pending.add(written)
	return errs
}

// refreshNow makes everything written so far searchable.
func (ix *Index) refreshNow(ctx context.Context) error {
	res, err := ix.es.Indices.Refresh(ix.es.Indices.Refresh.WithIndex(ix.alias),
		ix.es.Indices.Refresh.WithContext(ctx))
	if err := check(res, err); err != nil {
		return fmt.Errorf("refreshing %s: %w", ix.alias, err)
	}
	drain(res.Body)
	return nil
}

// bulkResults collects per-document outcomes from the bulk requests, sent
// on goroutines of their own.
type bulkResults struct {
	mu       sync.Mutex
	errs     []error
	wrote    []bool
	done     []bool // by doc: an outcome is known
	flushErr error  // a failure of a whole request
}

func (r *bulkResults) succeed(i int, written bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done[i], r.errs[i], r.wrote[i] = true, nil, written
}

func (r *bulkResults) fail(i int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done[i], r.errs[i] = true, err
}

func (r *bulkResults) setFlushErr(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.flushErr == nil {
		r.flushErr = err
	}
}

// finish gives every doc without an outcome (its request failed as a whole
// after the transport's own retries, or the context ended) the request's
// error.
func (r *bulkResults) finish(idx []int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := r.flushErr
	if err == nil {
		err = errors.New("no answer from Elasticsearch")
	}
	for _, i := range idx {
		if !r.done[i] {
			r.errs[i] = fmt.Errorf("bulk indexing: %w", err)
		}
	}
}
