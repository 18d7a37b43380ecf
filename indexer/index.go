// Package indexer stores articles for full-text search. Backends live in
// subpackages (elastic, embedded) and pass one shared conformance suite
// (indexertest), so the API gives the same answers on either. What a write
// derives and decides (revisions, first_seen, syndication group, lead) is
// done once, by Write over a backend's Lookup and Write (Backend); what a
// search reads back becomes hits once too (Match, Results, Facets, Related).
// The backends only store, and translate queries and answers.
package indexer

import (
	"context"
	"time"

	"newsdesk/news"
)

// Index is what a search backend provides.
type Index interface {
	// Store upserts docs by their ID. The result has one entry per doc, nil
	// where the backend accepted it, so a caller can retry only the failures.
	// A stored doc is searchable within a short refresh interval (a second
	// on Elasticsearch, at once on the embedded index): refreshing on every
	// Store costs a backlog far more than it is worth.
	Store(ctx context.Context, docs []news.Article) []error
	// Refresh makes every doc stored so far searchable now.
	Refresh(ctx context.Context) error
	// Search runs a newsroom query. A query beyond the limits of
	// news.Query.Check or with a cursor the backend did not make fails with
	// an error wrapping news.ErrInvalidQuery.
	Search(ctx context.Context, q news.Query) (news.Results, error)
	// Related returns up to size other stories about what article id is
	// about, best first, or an error wrapping news.ErrNotFound.
	Related(ctx context.Context, id string, size int) (news.Results, error)
	// Get returns one stored article by ID, or an error wrapping
	// news.ErrNotFound. Its FirstSeen is what the index knows (see
	// FirstSeen).
	Get(ctx context.Context, id string) (news.Article, error)
	// Ping reports whether the backend is reachable and ready.
	Ping(ctx context.Context) error
	// Close releases the backend.
	Close() error
}

// ErrNotFound is news.ErrNotFound, which Get and Related wrap for an
// unknown ID: the same value, so errors.Is matches either name.
var ErrNotFound = news.ErrNotFound

// Revision is the version of a that the index keeps: its revision, with 0
// (an event from before revisions existed) counting as the first. Backends
// never let a lower revision replace a higher one, so a late, older event
// cannot undo an edit; an equal revision replaces (a redelivery, or a
// reindex).
func Revision(a *news.Article) int64 {
	return int64(max(a.Revision, 1))
}

// LastUpdated is when the story last changed as far as the index knows: its
// modified time, else when it was published, else when it was fetched.
func LastUpdated(a *news.Article) time.Time {
	for _, t := range []time.Time{a.Modified, a.Published, a.FetchedAt} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// Prior is what the index already holds of an article when a later
// revision of it comes in.
type Prior struct {
	FirstSeen, FetchedAt time.Time
}

// FirstSeen is when newsdesk first fetched the story: the earliest time
// known of it, from the event (its first_seen, which the crawler carries
// on every revision, and its own fetch time) and from what the index holds
// (a read before the write, for revisions after the first only, for events
// without first_seen).
func FirstSeen(a *news.Article, prior *Prior) time.Time {
	if prior == nil {
		return Earliest(a.FetchedAt, a.FirstSeen)
	}
	return Earliest(a.FetchedAt, a.FirstSeen, prior.FirstSeen, prior.FetchedAt)
}

// Earliest is the earliest of times that are not zero; zero when all are.
func Earliest(times ...time.Time) time.Time {
	var first time.Time
	for _, t := range times {
		if !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	return first
}
