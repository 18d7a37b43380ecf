// Package embedded is the index backend for one machine: a bleve index in a
// local directory, no server to run. It answers queries like the
// Elasticsearch backend (both pass indexer/indexertest), so `newsdesk run`
// behaves like a cluster deployment, only smaller.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"

	"newsdesk/indexer"
	"newsdesk/news"
)

// Index stores and searches articles in a bleve index. It is safe for
// concurrent use.
type Index struct {
	bleve   bleve.Index
	path    string
	log     *slog.Logger
	writeMu sync.Mutex // serializes Store's read-check-write of revisions
}

var _ indexer.Index = (*Index)(nil)

// LockTimeout is how long Open waits for the index's file lock, which one
// process holds while it has the index open.
const LockTimeout = 5 * time.Second

// ErrLocked is the error of Open when another process holds the index.
var ErrLocked = errors.New("index locked by another process")

// Open opens the bleve index at path, creating it (and its mapping) when the
// path does not exist. An existing index keeps the mapping it was made with.
// When another process has the index open, Open fails after LockTimeout
// with an error wrapping ErrLocked, where bleve would wait for ever.
func Open(path string, logger *slog.Logger) (*Index, error) {
	return open(path, logger, LockTimeout)
}

func open(path string, logger *slog.Logger, lockTimeout time.Duration) (*Index, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	config := map[string]any{"bolt_timeout": lockTimeout.String()}
	b, err := bleve.OpenUsing(path, config)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		var m *indexMapping
		m, err = newIndexMapping()
		if err != nil {
			return nil, fmt.Errorf("building index mapping: %w", err)
		}
		b, err = bleve.NewUsing(path, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, config)
		if err == nil {
			logger.Info("created embedded index", "path", path)
		}
	}
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("embedded index %s is open in another newsdesk process (run, serve or index; waited %s): "+
			"stop that process, or use it instead (next to `newsdesk run`, search through its API at http.addr rather than starting serve): %w",
			path, lockTimeout, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("opening embedded index %s: %w", path, err)
	}
	return &Index{bleve: b, path: path, log: logger}, nil
}

// Get returns the stored article with the given ID, or an error wrapping
// news.ErrNotFound.
func (ix *Index) Get(ctx context.Context, id string) (news.Article, error) {
	if err := ctx.Err(); err != nil {
		return news.Article{}, fmt.Errorf("getting article %s: %w", id, err)
	}
	return ix.get(id)
}

// get reads the stored article id, with the first_seen the index keeps.
func (ix *Index) get(id string) (news.Article, error) {
	d, err := ix.getDoc(id)
	if err != nil {
		return news.Article{}, err
	}
	a := d.Article
	a.FirstSeen = d.FirstSeen
	return a, nil
}

// getDoc reads the stored document id, or an error wrapping
// news.ErrNotFound.
func (ix *Index) getDoc(id string) (*document, error) {
	doc, err := ix.bleve.Document(id)
	if err != nil {
		return nil, fmt.Errorf("getting article %s: %w", id, err)
	}
	if doc == nil {
		return nil, fmt.Errorf("getting article %s: %w", id, news.ErrNotFound)
	}
	var raw []byte
	doc.VisitFields(func(f index.Field) {
		if f.Name() == rawField {
			raw = f.Value()
		}
	})
	if raw == nil {
		return nil, fmt.Errorf("getting article %s: stored document has no %s field", id, rawField)
	}
	return decodeDocument(id, raw)
}

// Ready reports whether the index answers searches: Ping, which reads it.
func (ix *Index) Ready(ctx context.Context) error { return ix.Ping(ctx) }

// Refresh does nothing: a stored doc is searchable when Store returns.
func (ix *Index) Refresh(context.Context) error { return nil }

// Ping reports whether the index is open and readable.
func (ix *Index) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := ix.bleve.DocCount(); err != nil {
		return fmt.Errorf("reading embedded index %s: %w", ix.path, err)
	}
	return nil
}

// Close flushes and closes the index; later calls fail.
func (ix *Index) Close() error {
	if err := ix.bleve.Close(); err != nil {
		return fmt.Errorf("closing embedded index %s: %w", ix.path, err)
	}
	return nil
}
