package alert

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"newsdesk/news"
)

// node is a compiled query: it says whether a doc matches, and which of its
// positive words and phrases were found.
type node interface {
	match(d *doc) bool
	// found appends the positive leaves present in d (not those under NOT).
	found(d *doc, out []*leaf) []*leaf
}

// leaf is a word, a word prefix ("messag*") or a phrase.
type leaf struct {
	text   string   // as written in the query, for matched_terms
	words  []string // tokenized; more than one makes a phrase
	prefix bool
	id     int // index into doc.memo; the Matcher gives equal leaves one id
}

func (l *leaf) match(d *doc) bool {
	if l.id >= len(d.memo) {
		return l.lookup(d)
	}
	switch d.memo[l.id] {
	case 1:
		return true
	case 2:
		return false
	}
	ok := l.lookup(d)
	d.memo[l.id] = 2
	if ok {
		d.memo[l.id] = 1
	}
	return ok
}

// lookup searches d for l.
func (l *leaf) lookup(d *doc) bool {
	switch {
	case l.prefix:
		return d.hasPrefix(l.words[0])
	case len(l.words) == 1:
		return d.has(l.words[0])
	default:
		return d.phraseAt(l.words, 0) >= 0
	}
}

// atFrom returns the first position at or after from where l occurs, or -1.
func (l *leaf) atFrom(d *doc, from int) int {
	switch {
	case l.prefix:
		if !d.hasPrefix(l.words[0]) {
			return -1
		}
		for i := from; i < len(d.toks); i++ {
			if strings.HasPrefix(d.toks[i].word, l.words[0]) {
				return i
			}
		}
		return -1
	case len(l.words) == 1:
		return d.from(l.words[0], from)
	default:
		return d.phraseAt(l.words, from)
	}
}

func (l *leaf) found(d *doc, out []*leaf) []*leaf {
	if l.match(d) {
		out = append(out, l)
	}
	return out
}

type and []node
type or []node
type not struct{ n node }

func (a and) match(d *doc) bool {
	for _, n := range a {
		if !n.match(d) {
			return false
		}
	}
	return true
}

func (a and) found(d *doc, out []*leaf) []*leaf {
	for _, n := range a {
		out = n.found(d, out)
	}
	return out
}

func (o or) match(d *doc) bool {
	for _, n := range o {
		if n.match(d) {
			return true
		}
	}
	return false
}

func (o or) found(d *doc, out []*leaf) []*leaf {
	for _, n := range o {
		out = n.found(d, out)
	}
	return out
}

func (n not) match(d *doc) bool                 { return !n.n.match(d) }
func (n not) found(_ *doc, out []*leaf) []*leaf { return out }

// parseQuery compiles a watch query in the one query language of
// news.ParseQuery: words match case-insensitively, as whole words ("meta"
// does not match "metadata"; "meta*" does), a word that splits into
// several ("end-to-end") is a phrase, and a field (source:ledger) compares
// the article's value exactly. A query that can only match by what it
// lacks (NOT x alone) is an error: it would alert on nearly every article.
func parseQuery(q string) (node, error) {
	e, err := news.ParseQuery(q)
	if err != nil {
		return nil, err
	}
	if e == nil && strings.TrimSpace(q) != "" {
		return nil, errors.New("the query has no letters or digits to match")
	}
	if e == nil {
		return nil, errors.New("the query is empty")
	}
	n, err := build(e)
	if err != nil {
		return nil, err
	}
	if !positive(n) {
		return nil, errors.New("the query matches only by what an article lacks; add a word it must contain")
	}
	return n, nil
}

// build turns the shared syntax tree into nodes that evaluate a doc.
func build(e news.Expr) (node, error) {
	switch e := e.(type) {
	case news.Term:
		return newLeaf(e)
	case news.Field:
		return &field{name: e.Name, value: e.Value}, nil
	case news.Not:
		n, err := build(e.X)
		return not{n}, err
	case news.And:
		out := make(and, 0, len(e))
		for _, c := range e {
			n, err := build(c)
			if err != nil {
				return nil, err
			}
			out = append(out, n)
		}
		return out, nil
	case news.Or:
		out := make(or, 0, len(e))
		for _, c := range e {
			n, err := build(c)
			if err != nil {
				return nil, err
			}
			out = append(out, n)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown query node %T", e)
}

// field is a field filter of the query: it compares an article's value.
type field struct{ name, value string }

func (f *field) match(d *doc) bool {
	a := d.article
	if a == nil {
		return false
	}
	switch f.name {
	case news.FieldSource:
		return a.Source == f.value
	case news.FieldLang:
		return a.Language == f.value
	case news.FieldAuthor:
		return slices.Contains(a.Authors, f.value)
	case news.FieldTopic:
		return slices.Contains(a.Topics, f.value)
	}
	return false
}

func (f *field) found(_ *doc, out []*leaf) []*leaf { return out }

// positive reports whether every match of n needs some word or field value
// present.
func positive(n node) bool {
	switch n := n.(type) {
	case *leaf, *field:
		return true
	case not:
		return false
	case and:
		for _, c := range n {
			if positive(c) {
				return true
			}
		}
		return false
	case or:
		for _, c := range n {
			if !positive(c) {
				return false
			}
		}
		return true
	}
	return false
}

func newLeaf(t news.Term) (*leaf, error) {
	var toks []token
	toks = tokenize(t.Text, 0, toks)
	if len(toks) == 0 {
		return nil, fmt.Errorf("%q has no letters or digits to match at %d: %w", t.Text, t.Pos, news.ErrInvalidQuery)
	}
	l := &leaf{text: t.Text, prefix: t.Prefix}
	switch {
	case t.Phrase:
		l.text = `"` + t.Text + `"`
	case t.Prefix:
		l.text += "*"
	}
	for _, tk := range toks {
		l.words = append(l.words, tk.word)
	}
	return l, nil
}
