package news

import "time"

// Query is a newsroom search: free text plus filters. The zero value matches
// every article, newest first.
type Query struct {
	// Text is the user's words in the syntax of ParseText; backends must
	// treat it as words and phrases, never as a raw query language.
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
}

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
