// Package indexer stores articles for full-text search. Backends live in
// subpackages (elastic, embedded) and pass one shared conformance suite
// (indexertest), so the API gives the same answers on either.
package indexer

import (
	"context"
	"errors"

	"newsdesk/news"
)

// Index is what a search backend provides.
type Index interface {
	// Store upserts docs by their ID. The result has one entry per doc, nil
	// where the backend accepted it, so a caller can retry only the failures.
	// A doc is searchable once Store returns (backends refresh as needed).
	Store(ctx context.Context, docs []news.Article) []error
	// Search runs a newsroom query.
	Search(ctx context.Context, q news.Query) (news.Results, error)
	// Get returns one stored article by ID, or ErrNotFound.
	Get(ctx context.Context, id string) (news.Article, error)
	// Ping reports whether the backend is reachable and ready.
	Ping(ctx context.Context) error
	// Close releases the backend.
	Close() error
}

// ErrNotFound is returned by Get for an unknown ID.
var ErrNotFound = errors.New("article not found")
