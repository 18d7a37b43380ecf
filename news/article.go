// Package news holds newsdesk's domain: the article, its paywall verdict, the
// events that carry it and the search types shared by the stages. It is plain
// data and imports only the standard library, so every stage can depend on it
// without depending on each other.
package news

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"time"
)

// PaywallKind says how a publisher gates an article.
type PaywallKind string

// The four paywall kinds. They are part of the public event contract.
const (
	// PaywallNone: nothing gates the article.
	PaywallNone PaywallKind = "none"
	// PaywallSoft: a subscription prompt sits in the page, but the whole text
	// is served and the page does not mark the article as gated.
	PaywallSoft PaywallKind = "soft"
	// PaywallMetered: the whole text is served, but the page marks it as gated.
	PaywallMetered PaywallKind = "metered"
	// PaywallHard: only a teaser is served; the text is truncated.
	PaywallHard PaywallKind = "hard"
)

// Valid reports whether k is one of the four kinds.
func (k PaywallKind) Valid() bool {
	switch k {
	case PaywallNone, PaywallSoft, PaywallMetered, PaywallHard:
		return true
	}
	return false
}

// Paywall is the parser's verdict on a subscription wall.
type Paywall struct {
	Detected  bool        `json:"detected"`
	Kind      PaywallKind `json:"kind"`
	Truncated bool        `json:"truncated"`
	// Signals name what was seen, e.g. "jsonld:isAccessibleForFree=false" or
	// "prompt:subscribe". Never nil in JSON, so consumers can range over it.
	Signals []string `json:"signals"`
}

// Article is one story as extracted from one page. It is the body of every
// article event and the document stored in the index.
type Article struct {
	// ID is the stable document id, DocID(canonical URL).
	ID string `json:"id,omitempty"`
	// URL is the address the page was fetched from.
	URL string `json:"url"`
	// CanonicalURL is the page's rel=canonical (or og:url) when it names one.
	CanonicalURL string `json:"canonical_url,omitempty"`
	// Source is the configured source name that found the page.
	Source      string    `json:"source,omitempty"`
	SiteName    string    `json:"site_name,omitempty"`
	Title       string    `json:"title"`
	Authors     []string  `json:"authors"`
	Published   time.Time `json:"published,omitzero"`
	Modified    time.Time `json:"modified,omitzero"`
	Language    string    `json:"language,omitempty"`
	Description string    `json:"description,omitempty"`
	Section     string    `json:"section,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	Image       string    `json:"image,omitempty"`
	// Text is the clean body: paragraphs separated by a blank line, without
	// headline, byline, captions or boilerplate.
	Text string `json:"text"`
	// WordCount counts Text's words, Chinese and Japanese ones at two
	// characters a word, since those scripts put no spaces between them.
	WordCount int      `json:"word_count"`
	Topics    []string `json:"topics,omitempty"`
	// Relevance is how strongly the article is on the desk's beat, 0 to 1,
	// from the topic rules (see package topics).
	Relevance float64 `json:"relevance,omitempty"`
	// Entities are the organisations, people and money amounts the story
	// names, the most mentioned first.
	Entities []Entity `json:"entities,omitempty"`
	Paywall  Paywall  `json:"paywall"`
	// FetchedAt is when the crawler fetched the page.
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	// FirstSeen is when the crawler fetched the story's first revision,
	// carried on every later one, so the index knows it even when it never
	// stores the first (a batch holding both keeps only the newest, and a
	// retried first revision can arrive after the second). Zero when
	// unknown.
	FirstSeen time.Time `json:"first_seen,omitzero"`
	// Revision numbers the versions of the story newsdesk has seen: 1 for
	// the first, one more each time what a reader sees changed (a silent
	// edit). 0 means unknown (the crawler keeps no state).
	Revision int `json:"revision,omitempty"`
	// Changes says what differs from the previous revision (ChangeTitle,
	// ChangeText, ...); empty for the first revision.
	Changes []string `json:"changes,omitempty"`
	// Archive points at the WARC record the article was extracted from,
	// when the page was archived or imported; nil otherwise. It is not
	// part of the content: a refetch into another record changes nothing.
	Archive *ArchiveRef `json:"archive,omitempty"`
	// PublishedRelative is set by the parser when Published was read only
	// from text relative to the fetch ("23 hours ago"). A later visit reads
	// it to a coarser unit ("1 day ago"), so the crawler keeps the date it
	// stored. Not part of the event.
	PublishedRelative bool `json:"-"`
}

// ArchiveRef locates a WARC response record: the file (its base name in
// the archive directory, or the path given to import), the byte offset of
// the record in it and its WARC-Record-ID.
type ArchiveRef struct {
	File     string `json:"file"`
	Offset   int64  `json:"offset"`
	RecordID string `json:"record_id"`
}

// Key returns the URL that identifies the article: the canonical URL when the
// page names one, else the fetched URL.
func (a *Article) Key() string {
	if a.CanonicalURL != "" {
		return a.CanonicalURL
	}
	return a.URL
}

// DocID derives the stable document id of an article from its canonical URL,
// so that a refetch or a redelivered event never makes a second document.
// Scheme, host case, a trailing slash and the fragment do not change the id.
func DocID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(normalizeForID(canonicalURL)))
	return hex.EncodeToString(sum[:16])
}

func normalizeForID(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	host := strings.ToLower(u.Host)
	host = strings.TrimSuffix(strings.TrimSuffix(host, ":80"), ":443")
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	if path == "" {
		path = "/"
	}
	key := host + path
	if u.RawQuery != "" {
		key += "?" + u.RawQuery
	}
	return key
}

// ErrNotArticle is returned by a parser for a page that is not a single
// story (a section, tag or author page, a search page): the crawler follows
// its links but emits no event for it.
var ErrNotArticle = errors.New("not an article page")
