package news

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// ErrInvalidQuery is wrapped by every error about what a user asked for (a
// query too long or too complex, a bad cursor), so the API can answer 400
// instead of blaming the backend.
var ErrInvalidQuery = errors.New("invalid query")

// Limits on the query text, so one request cannot tie up the index: longer
// texts and more clauses are refused, never silently cut.
const (
	MaxQueryBytes = 500
	// MaxQueryTerms bounds the words and phrases of one query, counting every
	// alternative of an OR and every exclusion.
	MaxQueryTerms = 24
)

// Term is one word or quoted phrase of a user's query.
type Term struct {
	Text   string
	Phrase bool
}

// Terms is a user's search text in the newsroom syntax: plain words,
// "quoted phrases", OR between two of them, and -word or -"phrase" to
// exclude. Every group of Required must match (one of its alternatives is
// enough); no Excluded term may match.
type Terms struct {
	Required [][]Term
	Excluded []Term
}

// Empty reports whether nothing is required (an empty query, or only
// exclusions): the query then matches everything not excluded.
func (t Terms) Empty() bool { return len(t.Required) == 0 }

// Count is the number of words and phrases, alternatives and exclusions included.
func (t Terms) Count() int {
	n := len(t.Excluded)
	for _, g := range t.Required {
		n += len(g)
	}
	return n
}

// Positive returns every required word and phrase, for highlighting.
func (t Terms) Positive() []Term {
	var out []Term
	for _, g := range t.Required {
		out = append(out, g...)
	}
	return out
}

// ParseText reads a user's search text. It is deliberately small and total:
// every input parses, and no character means anything but the double quote
// (typographic quotes count too), a leading minus and the upper-case word OR,
// so nothing a user types can reach a query language (Lucene's +, *, ~,
// field:, AND are plain text that the analyzer keeps or drops). An unclosed
// quote makes a phrase of the rest. Terms without a letter or digit are
// dropped: they analyze to nothing, and a clause with nothing in it would
// match everything in one backend and nothing in another. A dangling OR (at
// either end, or next to an exclusion) is dropped too.
func ParseText(s string) Terms {
	s = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u201e", `"`).Replace(s)
	var t Terms
	orPending := false
	for _, tok := range tokenize(s) {
		if tok.or {
			orPending = len(t.Required) > 0
			continue
		}
		if !hasWordChar(tok.term.Text) {
			continue
		}
		switch {
		case tok.negated:
			t.Excluded = append(t.Excluded, tok.term)
			orPending = false
		case orPending:
			last := len(t.Required) - 1
			t.Required[last] = append(t.Required[last], tok.term)
			orPending = false
		default:
			t.Required = append(t.Required, []Term{tok.term})
		}
	}
	return t
}

type token struct {
	term    Term
	negated bool
	or      bool
}

// tokenize splits s into words, phrases and OR operators.
func tokenize(s string) []token {
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		negated := false
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			negated = true
			i++
		}
		if rs[i] == '"' {
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			phrase := strings.Join(strings.Fields(string(rs[i+1:end])), " ")
			out = append(out, token{term: Term{Text: phrase, Phrase: true}, negated: negated})
			i = end + 1
			continue
		}
		end := i
		for end < len(rs) && !unicode.IsSpace(rs[end]) && rs[end] != '"' {
			end++
		}
		word := string(rs[i:end])
		i = end
		if word == "OR" && !negated {
			out = append(out, token{or: true})
			continue
		}
		out = append(out, token{term: Term{Text: word}, negated: negated})
	}
	return out
}

func hasWordChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}) >= 0
}

// Check refuses a query beyond the limits: text longer than MaxQueryBytes,
// more than MaxQueryTerms words and phrases, an offset together with a
// cursor. Its errors wrap ErrInvalidQuery and name the parameter.
func (q Query) Check() error {
	if len(q.Text) > MaxQueryBytes {
		return fmt.Errorf("q: longer than %d bytes: %w", MaxQueryBytes, ErrInvalidQuery)
	}
	if n := ParseText(q.Text).Count(); n > MaxQueryTerms {
		return fmt.Errorf("q: %d words and phrases, at most %d allowed: %w", n, MaxQueryTerms, ErrInvalidQuery)
	}
	if q.After != "" && q.Offset > 0 {
		return fmt.Errorf("after: cannot be combined with offset: %w", ErrInvalidQuery)
	}
	switch q.Sort {
	case SortDefault, SortRelevance, SortDate:
	default:
		return fmt.Errorf("sort: %q is not relevance or date: %w", q.Sort, ErrInvalidQuery)
	}
	return nil
}

// ByScore reports whether hits of q are ordered by relevance: unless date
// order is asked for, whenever the query has words to be relevant to (with
// none, every hit is equally relevant and newest first is the useful order).
func (q Query) ByScore() bool {
	return q.Sort != SortDate && !ParseText(q.Text).Empty()
}
