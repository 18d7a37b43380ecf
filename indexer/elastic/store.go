package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/elastic/go-elasticsearch/v8/esutil"

	"newsdesk/news"
)

// maxIDBytes is Elasticsearch's limit on _id. A longer one fails the whole
// bulk request, not just its item, so Store refuses it up front.
const maxIDBytes = 512

// errNoID is the failure of a doc that has no ID to upsert by.
var errNoID = errors.New("article has no ID")

// Store upserts docs by ID through one bulk request (more when large) and
// refreshes the alias so they are searchable when it returns. The result has
// one entry per doc: nil when Elasticsearch stored it, else the error of that
// document (an *Error for a rejected document), so a caller retries only
// those. A failure of the whole request is the error of every doc in it.
func (ix *Index) Store(ctx context.Context, docs []news.Article) []error {
	errs := make([]error, len(docs))
	if len(docs) == 0 {
		return errs
	}
	res := &bulkResults{errs: errs, done: make([]bool, len(docs))}

	bi, err := esutil.NewBulkIndexer(esutil.BulkIndexerConfig{
		Client:     ix.es,
		Index:      ix.alias,
		NumWorkers: 1, // one Store is one batch; callers parallelize
		// Write through the alias only: a missing alias must fail, not
		// auto-create an index with a dynamic mapping under its name.
		RequireAlias: true,
		OnError:      func(_ context.Context, err error) { res.setFlushErr(err) },
	})
	if err != nil {
		return fill(errs, fmt.Errorf("creating bulk indexer: %w", err))
	}

	for i := range docs {
		if docs[i].ID == "" {
			res.fail(i, errNoID)
			continue
		}
		if len(docs[i].ID) > maxIDBytes {
			res.fail(i, fmt.Errorf("article ID %.32q…: longer than %d bytes", docs[i].ID, maxIDBytes))
			continue
		}
		body, err := json.Marshal(&docs[i])
		if err != nil {
			res.fail(i, fmt.Errorf("encoding article %s: %w", docs[i].ID, err))
			continue
		}
		err = bi.Add(ctx, esutil.BulkIndexerItem{
			Action:     "index",
			DocumentID: docs[i].ID,
			Body:       bytes.NewReader(body),
			OnSuccess: func(context.Context, esutil.BulkIndexerItem, esutil.BulkIndexerResponseItem) {
				res.succeed(i)
			},
			OnFailure: func(_ context.Context, item esutil.BulkIndexerItem, r esutil.BulkIndexerResponseItem, err error) {
				if err == nil {
					err = newError(r.Status, esCause{Type: r.Error.Type, Reason: r.Error.Reason,
						CausedBy: &esCause{Type: r.Error.Cause.Type, Reason: r.Error.Cause.Reason}})
				}
				res.fail(i, fmt.Errorf("indexing article %s: %w", item.DocumentID, err))
			},
		})
		if err != nil {
			res.fail(i, fmt.Errorf("queueing article %s: %w", docs[i].ID, err))
		}
	}
	if err := bi.Close(ctx); err != nil {
		res.setFlushErr(err)
	}
	res.failUnanswered()

	if res.anyStored() {
		if err := ix.refresh(ctx); err != nil {
			// Stored but maybe not yet searchable: report it on each stored
			// doc, whose retry is a harmless upsert.
			ix.log.Warn("refresh after bulk failed", "alias", ix.alias, "err", err)
			res.failStored(err)
		}
	}
	for i, err := range errs {
		if err != nil {
			ix.log.Debug("article not stored", "id", docs[i].ID, "err", err)
		}
	}
	return errs
}

// refresh makes everything written so far searchable.
func (ix *Index) refresh(ctx context.Context) error {
	res, err := ix.es.Indices.Refresh(ix.es.Indices.Refresh.WithIndex(ix.alias),
		ix.es.Indices.Refresh.WithContext(ctx))
	if err := check(res, err); err != nil {
		return fmt.Errorf("refreshing %s: %w", ix.alias, err)
	}
	drain(res.Body)
	return nil
}

// bulkResults collects per-document outcomes from the bulk indexer's
// callbacks, which run on its worker goroutine.
type bulkResults struct {
	mu       sync.Mutex
	errs     []error
	done     []bool // an outcome (success or failure) is known
	flushErr error  // a failure of a whole request
}

func (r *bulkResults) succeed(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done[i] = true
}

func (r *bulkResults) fail(i int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done[i] = true
	r.errs[i] = err
}

func (r *bulkResults) setFlushErr(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.flushErr == nil {
		r.flushErr = err
	}
}

// failUnanswered gives every doc without an outcome (its request failed as a
// whole, or the context ended) the request's error.
func (r *bulkResults) failUnanswered() {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := r.flushErr
	if err == nil {
		err = errors.New("no answer from Elasticsearch")
	}
	for i, done := range r.done {
		if !done {
			r.done[i] = true
			r.errs[i] = fmt.Errorf("bulk indexing: %w", err)
		}
	}
}

func (r *bulkResults) anyStored() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, err := range r.errs {
		if err == nil {
			return true
		}
	}
	return false
}

func (r *bulkResults) failStored(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range r.errs {
		if r.errs[i] == nil {
			r.errs[i] = err
		}
	}
}

// fill sets every entry of errs to err.
func fill(errs []error, err error) []error {
	for i := range errs {
		errs[i] = err
	}
	return errs
}
