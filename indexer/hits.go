package indexer

import (
	"fmt"

	"newsdesk/news"
)

// What a search reads back is the same on every backend, so it is turned
// into hits here: a backend translates its engine's answer into Matches
// (and facet counts), and Results makes the page.

// TitleBoost weighs a match in the title above one in the description or
// the text, on both backends.
const TitleBoost = 3

// ParseQuery checks q (news.Query.Check) and parses its text
// (news.ParseQuery); errors wrap news.ErrInvalidQuery.
func ParseQuery(q news.Query) (news.Expr, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	e, err := news.ParseQuery(q.Text)
	if err != nil {
		return nil, fmt.Errorf("q: %w", err)
	}
	return e, nil
}

// PageSize is the number of hits a page of q holds at most.
func PageSize(q news.Query) int {
	if q.Size <= 0 {
		return DefaultSize
	}
	return q.Size
}

// FieldOf is the index field a query field (source:, lang:, ...) tests.
func FieldOf(name string) string {
	switch name {
	case news.FieldAuthor:
		return "authors"
	case news.FieldTopic:
		return "topics"
	case news.FieldLang:
		return "language"
	}
	return name
}

// Match is one stored document a search matched, as its backend read it.
type Match struct {
	ID     string
	Record *Record
	// Score is the engine's relevance score.
	Score float64
	// Fragments are the highlighted fragments of the text, best first; none
	// when no word of the query matched the text.
	Fragments []string
}

// Hit is the hit of m: the stored fields, the score only when it orders the
// hits (byScore), and as snippet the best fragment, else the lead stored at
// write time. A document stored before lead, first_seen or dup_group
// existed gets what can be derived: the lead from the text (when the
// backend read it), first_seen from the fetch of the stored revision, and
// a group of its own.
func (m Match) Hit(byScore bool) news.Hit {
	r := m.Record
	hit := news.Hit{
		ID:          m.ID,
		Title:       r.Title,
		URL:         r.URL,
		Source:      r.Source,
		Authors:     r.Authors,
		Published:   r.Published,
		Language:    r.Language,
		Topics:      r.Topics,
		WordCount:   r.WordCount,
		Paywall:     r.Paywall,
		Snippet:     r.Lead,
		Revision:    int(Revision(&r.Article)),
		Changes:     r.Changes,
		FirstSeen:   r.FirstSeen,
		LastUpdated: r.LastUpdated,
		Group:       r.Group,
	}
	if len(m.Fragments) > 0 {
		hit.Snippet = m.Fragments[0]
	} else if hit.Snippet == "" {
		hit.Snippet = FallbackSnippet(r.Text, SnippetLength)
	}
	if hit.FirstSeen.IsZero() {
		hit.FirstSeen = r.FetchedAt
	}
	if hit.Group == "" {
		hit.Group = m.ID
	}
	if byScore {
		hit.Score = m.Score
	}
	return hit
}

// Results is the page of matches: total counts every match of the query,
// size is the page size asked for. A full page may have more after it, so
// it gets a Next cursor, which cursor makes from the sort key of the last
// match; it is not called otherwise.
func Results(total int, matches []Match, size int, byScore bool, cursor func() string) news.Results {
	out := news.Results{Total: total, Hits: make([]news.Hit, 0, len(matches))}
	for _, m := range matches {
		out.Hits = append(out.Hits, m.Hit(byScore))
	}
	if n := len(matches); n > 0 && n == size {
		out.Next = cursor()
	}
	return out
}

// CopyOf is what a grouped hit lists of another copy of its story.
func CopyOf(h news.Hit) news.Copy {
	return news.Copy{ID: h.ID, Source: h.Source, URL: h.URL, Title: h.Title, Published: h.Published}
}

// SetCopies sets the other copies of h's story that match the query: others
// counts them all; copies lists them in order, h itself skipped should it
// be among them, up to news.MaxCopies.
func SetCopies(h *news.Hit, others int, copies []news.Copy) {
	h.AlsoAt = max(others, 0)
	for _, c := range copies {
		if c.ID != h.ID && len(h.Copies) < news.MaxCopies {
			h.Copies = append(h.Copies, c)
		}
	}
}
