package alert

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"newsdesk/news"
)

// Watch is one watchlist entry.
type Watch struct {
	// Name identifies the watch in alerts and `newsdesk subscribe --watch`.
	Name string
	// Query is what an article must say; see the package doc and parseQuery.
	Query string
	// Filters: an article must match one value of each non-empty list.
	Sources   []string
	Topics    []string
	Languages []string
	Paywalls  []news.PaywallKind
	// Subject is the suffix alerts are published on: newsdesk.alert.<Subject>.
	Subject string
}

// Match is one watch that matched an article.
type Match struct {
	Watch *Watch
	// Terms are the query's words and phrases found, in the query's order.
	Terms []string
	// Snippet is plain text around the first match.
	Snippet string
}

// compiled is a watch ready to evaluate.
type compiled struct {
	w         Watch
	q         node
	sources   map[string]bool
	topics    map[string]bool
	languages map[string]bool
	paywalls  map[news.PaywallKind]bool
}

// Matcher evaluates articles against a fixed set of watches. It is safe for
// concurrent use.
type Matcher struct {
	watches []compiled
	leaves  int // distinct leaves, the size of a doc's memo
	pre     *prefilter
}

// NewMatcher compiles watches. The error names every watch whose query does
// not parse, or whose name or subject is missing or invalid.
func NewMatcher(watches []Watch) (*Matcher, error) {
	m := &Matcher{}
	var errs []error
	ids := map[string]int{}
	for i, w := range watches {
		c, err := compile(w)
		if err != nil {
			errs = append(errs, fmt.Errorf("watch %d (%q): %w", i, w.Name, err))
			continue
		}
		number(c.q, ids)
		m.watches = append(m.watches, c)
	}
	m.leaves = len(ids)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	m.pre = newPrefilter(m.watches)
	return m, nil
}

// ParseQuery checks a watch query, for config validation.
func ParseQuery(q string) error {
	_, err := parseQuery(q)
	return err
}

func compile(w Watch) (compiled, error) {
	if w.Name == "" {
		return compiled{}, errors.New("a watch needs a name")
	}
	if !news.ValidSubjectSuffix(w.Subject) {
		return compiled{}, fmt.Errorf("subject %q is not dot-separated tokens of lower-case letters, digits, - and _", w.Subject)
	}
	q, err := parseQuery(w.Query)
	if err != nil {
		return compiled{}, fmt.Errorf("query %q: %w", w.Query, err)
	}
	return compiled{w: w, q: q, sources: set(w.Sources), topics: set(w.Topics),
		languages: set(w.Languages), paywalls: set(w.Paywalls)}, nil
}

// number gives each distinct leaf of n an id, shared with equal leaves of
// other watches.
func number(n node, ids map[string]int) {
	switch n := n.(type) {
	case *leaf:
		key := strings.Join(n.words, " ")
		if n.prefix {
			key += "*"
		}
		id, ok := ids[key]
		if !ok {
			id = len(ids)
			ids[key] = id
		}
		n.id = id
	case and:
		for _, c := range n {
			number(c, ids)
		}
	case or:
		for _, c := range n {
			number(c, ids)
		}
	case not:
		number(n.n, ids)
	}
}

func set[T comparable](vs []T) map[T]bool {
	if len(vs) == 0 {
		return nil
	}
	m := make(map[T]bool, len(vs))
	for _, v := range vs {
		m[v] = true
	}
	return m
}

// Len is the number of watches.
func (m *Matcher) Len() int { return len(m.watches) }

// Match returns the watches a matches, in configuration order. The title,
// description and text are searched; the filters compare values exactly.
// The article is tokenized once; only the watches the prefilter keeps (one
// of their required words occurs) are evaluated.
func (m *Matcher) Match(a *news.Article) []Match {
	if len(m.watches) == 0 {
		return nil
	}
	d := newDoc(a.Title, a.Description, a.Text)
	d.memo = make([]int8, m.leaves)
	d.article = a
	var out []Match
	m.pre.candidates(d).each(func(i int) {
		if r, ok := m.watches[i].eval(a, d); ok {
			out = append(out, r)
		}
	})
	return out
}

// matchAll is Match without the prefilter: every watch is evaluated. It is
// the reference the prefilter is tested and measured against.
func (m *Matcher) matchAll(a *news.Article) []Match {
	var d *doc // tokenized on the first watch whose filters pass
	var out []Match
	for i := range m.watches {
		c := &m.watches[i]
		if !c.filters(a) {
			continue
		}
		if d == nil {
			d = newDoc(a.Title, a.Description, a.Text)
			d.memo = make([]int8, m.leaves)
			d.article = a
		}
		if r, ok := c.eval(a, d); ok {
			out = append(out, r)
		}
	}
	return out
}

// eval checks the filters, then the query, and returns the match.
func (c *compiled) eval(a *news.Article, d *doc) (Match, bool) {
	if !c.filters(a) || !c.q.match(d) {
		return Match{}, false
	}
	return c.result(d), true
}

func (c *compiled) filters(a *news.Article) bool {
	if c.sources != nil && !c.sources[a.Source] {
		return false
	}
	if c.languages != nil && !c.languages[a.Language] {
		return false
	}
	if c.paywalls != nil && !c.paywalls[a.Paywall.Kind] {
		return false
	}
	if c.topics != nil && !slices.ContainsFunc(a.Topics, func(t string) bool { return c.topics[t] }) {
		return false
	}
	return true
}

// result lists the matched terms and cuts the snippet around the first one
// found in the text (else in the description, else the title).
func (c *compiled) result(d *doc) Match {
	leaves := c.q.found(d, nil)
	r := Match{Watch: &c.w, Terms: []string{}}
	for _, l := range leaves {
		if !slices.Contains(r.Terms, l.text) {
			r.Terms = append(r.Terms, l.text)
		}
	}
	for f := len(d.fields) - 1; f >= 0; f-- {
		best := -1
		for _, l := range leaves {
			if p := l.atFrom(d, d.starts[f]); p >= 0 && d.toks[p].field == f && (best < 0 || p < best) {
				best = p
			}
		}
		if best >= 0 {
			r.Snippet = snippet(d.fields[f], d.toks[best].start)
			break
		}
	}
	return r
}
