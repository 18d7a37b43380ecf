package news

import "time"

// Query is a newsroom search: free text plus filters. The zero value matches
// every article, newest first.
type Query struct {
	// Text is the user's words; backends must treat it as plain words and
	// phrases, never as a raw query language.
	Text         string
	Sources      []string
	Languages    []string
	PaywallKinds []PaywallKind
	// From and To bound the published time; zero means unbounded.
	From, To time.Time
	// Size is the page size (0 means the backend default of 10); Offset skips hits.
	Size, Offset int
}

// Hit is one search result.
type Hit struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Source    string    `json:"source"`
	Authors   []string  `json:"authors"`
	Published time.Time `json:"published,omitzero"`
	Language  string    `json:"language,omitempty"`
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
}

// HighlightPre and HighlightPost wrap matched words in snippets.
const (
	HighlightPre  = "<mark>"
	HighlightPost = "</mark>"
)
