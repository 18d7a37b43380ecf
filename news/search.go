package news

import "time"

// Query is a newsroom search: free text plus filters. The zero value matches
// every article, newest first.
type Query struct {
	// Text is the user's query in the language of ParseQuery; backends
	// translate its syntax tree, never pass it to a raw query language.
	Text string
	// Filters: each list matches any of its values; lists combine with AND.
	Sources      []string
	Languages    []string
	PaywallKinds []PaywallKind
	// Authors and Topics match exactly (keyword fields).
	Authors []string
	Topics  []string
	// From and To bound the published time; zero means unbounded.
	From, To time.Time
	// Sort orders the hits: SortDefault is relevance when there is text,
	// else newest first.
	Sort Sort
	// Size is the page size (0 means the backend default of 10); Offset skips
	// hits (shallow paging).
	Size, Offset int
	// After is the Next cursor of the previous page: deep paging that stays
	// stable while documents are added. It cannot be combined with Offset.
	After string
	// Facets asks for facet counts over every match (not just the page).
	Facets bool
	// Edited keeps only articles edited since newsdesk first saw them
	// (revision 2 or later).
	Edited bool
	// Group shows one hit per syndication group (the same wire story on
	// several sites), the best-ranked copy, with the other matching copies
	// counted in Hit.AlsoAt. Grouped pages are addressed by offset: Next is
	// then an offset cursor, and Total still counts articles, not groups.
	Group bool
}

// Sort is the order of hits.
type Sort string

// The orders a query can ask for.
const (
	SortDefault   Sort = ""
	SortRelevance Sort = "relevance"
	SortDate      Sort = "date" // newest first
)

// Hit is one search result.
type Hit struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Source    string    `json:"source"`
	Authors   []string  `json:"authors"`
	Published time.Time `json:"published,omitzero"`
	Language  string    `json:"language,omitempty"`
	Topics    []string  `json:"topics,omitempty"`
	WordCount int       `json:"word_count,omitempty"`
	// Snippet is HTML: the text is escaped and only the <mark> tags around
	// matched words are markup.
	Snippet string  `json:"snippet"`
	Paywall Paywall `json:"paywall"`
	Score   float64 `json:"score"`
	// Revision is the version of the story that is indexed (1 for the
	// first), Changes what its last edit changed (ChangeText, ...): empty
	// for a story never edited.
	Revision int      `json:"revision,omitempty"`
	Changes  []string `json:"changes,omitempty"`
	// FirstSeen is when newsdesk first fetched the story (revision 1);
	// LastUpdated when it last changed as far as newsdesk knows (its
	// modified time, else published, else fetched).
	FirstSeen   time.Time `json:"first_seen,omitzero"`
	LastUpdated time.Time `json:"last_updated,omitzero"`
	// Group identifies the story's syndication group: the same text
	// (near-duplicate fingerprint) published by several outlets.
	Group string `json:"group,omitempty"`
	// AlsoAt counts the other copies of the story that match the query,
	// in a grouped search; Copies lists up to MaxCopies of them.
	AlsoAt int    `json:"also_at,omitempty"`
	Copies []Copy `json:"copies,omitempty"`
}

// Edited reports whether the hit is a later revision of its story.
func (h Hit) Edited() bool { return h.Revision > 1 }

// Copy is another outlet's copy of a syndicated story.
type Copy struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Published time.Time `json:"published,omitzero"`
}

// MaxCopies bounds Hit.Copies; AlsoAt still counts them all.
const MaxCopies = 10

// Results is one page of hits.
type Results struct {
	Total int   `json:"total"`
	Hits  []Hit `json:"hits"`
	// Next is the cursor of the following page (Query.After); empty on the
	// last page.
	Next string `json:"next,omitempty"`
	// Facets are present when the query asked for them.
	Facets *Facets `json:"facets,omitempty"`
}

// Facets count the matches of a query by value, most frequent first (ties
// by value), and by month of publication, oldest first.
type Facets struct {
	Sources      []FacetCount `json:"sources"`
	Topics       []FacetCount `json:"topics"`
	PaywallKinds []FacetCount `json:"paywall_kinds"`
	Languages    []FacetCount `json:"languages"`
	// Months are "YYYY-MM" in UTC, only months with matches.
	Months []FacetCount `json:"months"`
}

// FacetCount is one value of a facet and how many matches have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// FacetSize is how many values a facet lists at most.
const FacetSize = 20

// HighlightPre and HighlightPost wrap matched words in snippets.
const (
	HighlightPre  = "<mark>"
	HighlightPost = "</mark>"
)
