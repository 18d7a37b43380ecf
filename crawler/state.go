package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"newsdesk/news"
)

// StateStore keeps what the crawler learnt about pages and articles across
// passes, restarts and crawler instances (a NATS JetStream key-value bucket
// in production, see events.CrawlState). Keys are made of [a-z0-9._-].
//
// Get returns nil and no error for a key never written. Put overwrites.
type StateStore interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Put(ctx context.Context, key string, value []byte) error
}

// Page kinds remembered in pageState.Kind.
const (
	kindArticle = "article"
	kindListing = "listing"
	kindFeed    = "feed"
	kindSitemap = "sitemap"
	// kindOffTopic is an article outside the topics: no event, but
	// validators, so its rare revisits are conditional.
	kindOffTopic = "offtopic"
	// kindGone is a 404 or 410, remembered for Options.DeadLinkTTL.
	kindGone = "gone"
	// kindRedirect is a URL that led to another (Target), remembered for
	// redirectTTL.
	kindRedirect = "redirect"
)

// pageState is what we know of one URL (key "page.<hash of the normalised
// URL>"): the validators for a conditional GET and what the page was.
type pageState struct {
	URL          string    `json:"url"`
	Kind         string    `json:"kind"`
	FetchedAt    time.Time `json:"fetched_at"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	// DocID is the article the page carried, when it was one.
	DocID string `json:"doc_id,omitempty"`
	// Target is where a redirect led (kindRedirect).
	Target string `json:"target,omitempty"`
}

// articleState is the last revision of one story (key "article.<doc id>"):
// fingerprints of each part a reader sees, so the next revision can say
// what changed without keeping the text itself.
type articleState struct {
	Revision  int       `json:"revision"`
	Hash      string    `json:"hash"`
	Title     string    `json:"title"`
	Authors   string    `json:"authors"`
	Published string    `json:"published"`
	Text      string    `json:"text"`
	Paywall   string    `json:"paywall"`
	URL       string    `json:"url"`
	SeenAt    time.Time `json:"seen_at"`
	// FirstSeen is when revision 1 was fetched; zero in state written
	// before it was kept.
	FirstSeen time.Time `json:"first_seen,omitzero"`
	// PublishedAt is the date itself, kept for a story dated only relative
	// to the fetch (see pass.publish); zero in state written before.
	PublishedAt time.Time `json:"published_at,omitzero"`
}

func pageKey(normURL string) string {
	sum := sha256.Sum256([]byte(normURL))
	return "page." + hex.EncodeToString(sum[:16])
}

func articleKey(docID string) string { return "article." + docID }

func fingerprint(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// newArticleState fingerprints a parsed article.
func newArticleState(a news.Article, rev int, now time.Time) articleState {
	return articleState{
		Revision:  rev,
		Hash:      news.ContentHash(a),
		Title:     fingerprint(a.Title),
		Authors:   fingerprint(strings.Join(a.Authors, "\x1f")),
		Published: fingerprint(a.Published.UTC().Format(time.RFC3339)),
		Text:      fingerprint(a.Text),
		Paywall:   fmt.Sprintf("%s/%t/%t", a.Paywall.Kind, a.Paywall.Detected, a.Paywall.Truncated),
		URL:       a.URL,
		SeenAt:    now,
		FirstSeen: now,
		// The date itself, where the fingerprint above cannot give it back.
		PublishedAt: a.Published,
	}
}

// changes lists what differs between two revisions, in the order of the
// news.Change* constants.
func (prev articleState) changes(next articleState) []string {
	var out []string
	add := func(differs bool, what string) {
		if differs {
			out = append(out, what)
		}
	}
	add(prev.Title != next.Title, news.ChangeTitle)
	add(prev.Authors != next.Authors, news.ChangeAuthors)
	add(prev.Published != next.Published, news.ChangePublished)
	add(prev.Text != next.Text, news.ChangeText)
	add(prev.Paywall != next.Paywall, news.ChangePaywall)
	return out
}

// states wraps a StateStore with the JSON encoding; a nil store remembers
// nothing, so every pass starts afresh (and every article is "created").
type states struct{ store StateStore }

func (s states) get(ctx context.Context, key string, v any) (bool, error) {
	if s.store == nil {
		return false, nil
	}
	b, err := s.store.Get(ctx, key)
	if err != nil {
		return false, fmt.Errorf("reading crawl state %s: %w", key, err)
	}
	if b == nil {
		return false, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		// A record we cannot read is treated as absent: the worst outcome
		// is one unconditional fetch and one "created" event too many.
		return false, nil
	}
	return true, nil
}

func (s states) put(ctx context.Context, key string, v any) error {
	if s.store == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding crawl state %s: %w", key, err)
	}
	if err := s.store.Put(ctx, key, b); err != nil {
		return fmt.Errorf("writing crawl state %s: %w", key, err)
	}
	return nil
}
