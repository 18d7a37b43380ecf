package news

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidQuery is wrapped by every error about what a user asked for (a
// query too long or too complex, a bad cursor), so the API can answer 400
// instead of blaming the backend.
var ErrInvalidQuery = errors.New("invalid query")

// Limits on the query text, so one request cannot tie up the index: longer
// texts and more clauses are refused, never silently cut.
const (
	MaxQueryBytes = 500
	// MaxQueryTerms bounds the words, phrases and field filters of one
	// query, counting every alternative of an OR and every exclusion.
	MaxQueryTerms = 24
	// MinPrefixLen is the fewest characters before the * of a prefix: a
	// shorter prefix would expand to most of the vocabulary.
	MinPrefixLen = 3
	// MaxPrefixExpansions bounds the words a prefix expands to in the
	// search backends.
	MaxPrefixExpansions = 128
	// maxDepth bounds the nesting of parentheses and NOTs.
	maxDepth = 32
)

// Expr is a parsed query (ParseQuery): a Term, a Field filter, an And, an
// Or or a Not. The one grammar serves search on both backends and watches.
type Expr interface{ expr() }

// Term is one word, word prefix ("messag*", Text without the star) or
// quoted phrase of a query. Pos is its byte offset in the query.
type Term struct {
	Text   string
	Phrase bool
	Prefix bool
	Pos    int
}

// Field is a filter written in the query (source:ledger): the article's
// Name field (FieldSource, ...) must equal Value exactly.
type Field struct {
	Name  string
	Value string
	Pos   int
}

// The fields a query can filter on, as written before the colon.
const (
	FieldSource = "source"
	FieldAuthor = "author"
	FieldTopic  = "topic"
	FieldLang   = "lang"
)

// And matches when all its parts match, Or when one does, Not when its
// part does not.
type (
	And []Expr
	Or  []Expr
	Not struct{ X Expr }
)

func (Term) expr()  {}
func (Field) expr() {}
func (And) expr()   {}
func (Or) expr()    {}
func (Not) expr()   {}

// QueryError is a query that does not parse, with the byte offset of the
// trouble, so a page or client can point at it. It wraps ErrInvalidQuery.
type QueryError struct {
	Pos int
	Msg string
}

func (e *QueryError) Error() string { return fmt.Sprintf("%s at %d", e.Msg, e.Pos) }

// Unwrap makes every QueryError an ErrInvalidQuery.
func (e *QueryError) Unwrap() error { return ErrInvalidQuery }

// ParseQuery reads a query:
//
//	query   = or
//	or      = and { "OR" and }
//	and     = unary { ["AND"] unary }      adjacent parts are ANDed
//	unary   = ("NOT" | "-") unary | primary
//	primary = word | word"*" | '"' words '"' | field":"value | "(" or ")"
//
// AND, OR and NOT are operators only in capitals; words match
// case-insensitively as whole words; typographic quotes count as quotes.
// Fields are source:, author:, topic: and lang: (the value may be quoted);
// another word with a colon is a plain word. A word without a letter or
// digit is dropped (it matches nothing in any backend). An empty query
// gives a nil Expr: search treats it as "everything", a watch refuses it.
func ParseQuery(s string) (Expr, error) {
	p := &parser{toks: lex(s)}
	for _, t := range p.toks {
		if t.kind == tokError {
			return nil, &QueryError{Pos: t.pos, Msg: t.text}
		}
	}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.kind == tokClose {
			return nil, &QueryError{Pos: t.pos, Msg: "unmatched closing parenthesis"}
		}
		return nil, &QueryError{Pos: t.pos, Msg: fmt.Sprintf("unexpected %q", t.text)}
	}
	return e, nil
}

// Leaves calls fn with every term and field of e; negated says whether it
// is under a NOT (so it must not occur).
func Leaves(e Expr, fn func(leaf Expr, negated bool)) {
	var walk func(Expr, bool)
	walk = func(e Expr, neg bool) {
		switch e := e.(type) {
		case Term, Field:
			fn(e, neg)
		case And:
			for _, c := range e {
				walk(c, neg)
			}
		case Or:
			for _, c := range e {
				walk(c, neg)
			}
		case Not:
			walk(e.X, !neg)
		}
	}
	walk(e, false)
}

// PositiveTerms are the words, prefixes and phrases of e not under a NOT:
// what highlighting marks and what relevance is computed from.
func PositiveTerms(e Expr) []Term {
	var out []Term
	Leaves(e, func(l Expr, neg bool) {
		if t, ok := l.(Term); ok && !neg {
			out = append(out, t)
		}
	})
	return out
}

type tokKind int

const (
	tokWord tokKind = iota
	tokPhrase
	tokField
	tokOpen
	tokClose
	tokAnd
	tokOr
	tokNot
	tokError
)

type tok struct {
	kind  tokKind
	text  string // the word, phrase or field value; the message of tokError
	field string // tokField: the field name
	quote bool   // tokField: the value was quoted
	pos   int
}

func isQuote(r rune) bool { return r == '"' || r == '\u201c' || r == '\u201d' || r == '\u201e' }

// endOfWord reports the characters that end a bare word.
func endOfWord(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == ')' || isQuote(r) }

// lex splits s into tokens; the first tokError found stops it.
func lex(s string) []tok {
	var out []tok
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case r == '(':
			out = append(out, tok{kind: tokOpen, text: "(", pos: i})
			i += n
		case r == ')':
			out = append(out, tok{kind: tokClose, text: ")", pos: i})
			i += n
		case r == '-' && (i == 0 || prevOpensTerm(s, i)):
			next, _ := utf8.DecodeRuneInString(s[i+n:])
			if i+n < len(s) && !unicode.IsSpace(next) && next != ')' {
				out = append(out, tok{kind: tokNot, text: "-", pos: i})
			}
			i += n // a lone - is noise
		case isQuote(r):
			text, end, ok := quoted(s, i)
			if !ok {
				return append(out, tok{kind: tokError, text: "unclosed quote", pos: i})
			}
			out = append(out, tok{kind: tokPhrase, text: text, pos: i})
			i = end
		default:
			t, end := word(s, i)
			out = append(out, t)
			i = end
			if t.kind == tokError {
				return out
			}
		}
	}
	return out
}

// prevOpensTerm reports whether the character before i lets a term start:
// a space or an opening parenthesis (so e-mail stays one word).
func prevOpensTerm(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(r) || r == '('
}

// quoted reads the phrase whose opening quote is at i: its words joined by
// single spaces, and the offset after the closing quote.
func quoted(s string, i int) (string, int, bool) {
	_, n := utf8.DecodeRuneInString(s[i:])
	for j := i + n; j < len(s); {
		r, m := utf8.DecodeRuneInString(s[j:])
		if isQuote(r) {
			return strings.Join(strings.Fields(s[i+n:j]), " "), j + m, true
		}
		j += m
	}
	return "", len(s), false
}

// word reads the bare word, operator or field filter at i.
func word(s string, i int) (tok, int) {
	end := i
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if endOfWord(r) {
			break
		}
		end += n
	}
	w := s[i:end]
	switch w {
	case "AND":
		return tok{kind: tokAnd, text: w, pos: i}, end
	case "OR":
		return tok{kind: tokOr, text: w, pos: i}, end
	case "NOT":
		return tok{kind: tokNot, text: w, pos: i}, end
	}
	if name, value, ok := strings.Cut(w, ":"); ok && isField(name) {
		if value == "" && end < len(s) {
			if r, _ := utf8.DecodeRuneInString(s[end:]); isQuote(r) {
				text, qend, ok := quoted(s, end)
				if !ok {
					return tok{kind: tokError, text: "unclosed quote", pos: end}, len(s)
				}
				return tok{kind: tokField, field: name, text: text, quote: true, pos: i}, qend
			}
		}
		return tok{kind: tokField, field: name, text: value, pos: i}, end
	}
	return tok{kind: tokWord, text: w, pos: i}, end
}

func isField(name string) bool {
	switch name {
	case FieldSource, FieldAuthor, FieldTopic, FieldLang:
		return true
	}
	return false
}

type parser struct {
	toks []tok
	i    int
}

func (p *parser) peek() (tok, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return tok{}, false
}

func (p *parser) or(depth int) (Expr, error) {
	var alts Or
	for {
		e, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		if e != nil {
			alts = append(alts, e)
		}
		t, ok := p.peek()
		if !ok || t.kind != tokOr {
			break
		}
		if e == nil && p.emptyBefore() {
			return nil, &QueryError{Pos: t.pos, Msg: "OR needs a word before it"}
		}
		p.i++
		if n, ok := p.peek(); !ok || n.kind == tokClose || n.kind == tokOr {
			return nil, &QueryError{Pos: t.pos, Msg: "OR needs a word after it"}
		}
	}
	switch len(alts) {
	case 0:
		return nil, nil
	case 1:
		return alts[0], nil
	}
	return alts, nil
}

// emptyBefore reports whether nothing at all was written before the current
// token in its group (as opposed to words that were dropped as noise).
func (p *parser) emptyBefore() bool {
	if p.i == 0 {
		return true
	}
	k := p.toks[p.i-1].kind
	return k == tokOpen || k == tokOr || k == tokAnd
}

func (p *parser) and(depth int) (Expr, error) {
	var all And
	for {
		t, ok := p.peek()
		if !ok || t.kind == tokOr || t.kind == tokClose {
			break
		}
		if t.kind == tokAnd {
			if len(all) == 0 && p.emptyBefore() {
				return nil, &QueryError{Pos: t.pos, Msg: "AND needs a word before it"}
			}
			p.i++
			if n, ok := p.peek(); !ok || n.kind == tokClose || n.kind == tokOr || n.kind == tokAnd {
				return nil, &QueryError{Pos: t.pos, Msg: "AND needs a word after it"}
			}
			continue
		}
		e, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		if e != nil {
			all = append(all, e)
		}
	}
	switch len(all) {
	case 0:
		return nil, nil
	case 1:
		return all[0], nil
	}
	return all, nil
}

func (p *parser) unary(depth int) (Expr, error) {
	t, _ := p.peek()
	if t.kind != tokNot {
		return p.primary(depth)
	}
	if depth >= maxDepth {
		return nil, &QueryError{Pos: t.pos, Msg: "nested too deeply"}
	}
	p.i++
	if n, ok := p.peek(); !ok || n.kind == tokClose || n.kind == tokOr || n.kind == tokAnd {
		return nil, &QueryError{Pos: t.pos, Msg: t.text + " needs something to exclude"}
	}
	e, err := p.unary(depth + 1)
	if err != nil || e == nil {
		return nil, err
	}
	return Not{X: e}, nil
}

func (p *parser) primary(depth int) (Expr, error) {
	t := p.toks[p.i]
	p.i++
	switch t.kind {
	case tokOpen:
		if depth >= maxDepth {
			return nil, &QueryError{Pos: t.pos, Msg: "nested too deeply"}
		}
		if n, ok := p.peek(); ok && n.kind == tokClose {
			return nil, &QueryError{Pos: t.pos, Msg: "empty parentheses"}
		}
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if n, ok := p.peek(); !ok || n.kind != tokClose {
			return nil, &QueryError{Pos: t.pos, Msg: "unclosed parenthesis"}
		}
		p.i++
		return e, nil
	case tokPhrase:
		if !hasWordChar(t.text) {
			return nil, nil
		}
		return Term{Text: t.text, Phrase: true, Pos: t.pos}, nil
	case tokField:
		if strings.TrimSpace(t.text) == "" {
			return nil, &QueryError{Pos: t.pos, Msg: t.field + ": needs a value"}
		}
		return Field{Name: t.field, Value: t.text, Pos: t.pos}, nil
	case tokWord:
		return wordTerm(t)
	}
	return nil, &QueryError{Pos: t.pos, Msg: fmt.Sprintf("unexpected %q", t.text)}
}

// wordTerm is the term of a bare word: a prefix when it ends in *.
func wordTerm(t tok) (Expr, error) {
	text, prefix := strings.CutSuffix(t.text, "*")
	if !hasWordChar(text) {
		return nil, nil
	}
	if prefix {
		if strings.IndexFunc(text, func(r rune) bool { return !isWordChar(r) }) >= 0 {
			return nil, &QueryError{Pos: t.pos, Msg: fmt.Sprintf("prefix %q must be one word of letters and digits", t.text)}
		}
		if utf8.RuneCountInString(text) < MinPrefixLen {
			return nil, &QueryError{Pos: t.pos, Msg: fmt.Sprintf("prefix %q needs at least %d letters before the *", t.text, MinPrefixLen)}
		}
	}
	return Term{Text: text, Prefix: prefix, Pos: t.pos}, nil
}

func isWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func hasWordChar(s string) bool { return strings.IndexFunc(s, isWordChar) >= 0 }

// countLeaves is the number of terms and fields of e.
func countLeaves(e Expr) int {
	n := 0
	Leaves(e, func(Expr, bool) { n++ })
	return n
}

// Check refuses a query beyond the limits or that does not parse: text
// longer than MaxQueryBytes, more than MaxQueryTerms words, phrases and
// fields, an offset together with a cursor. Its errors wrap
// ErrInvalidQuery and name the parameter.
func (q Query) Check() error {
	if len(q.Text) > MaxQueryBytes {
		return fmt.Errorf("q: longer than %d bytes: %w", MaxQueryBytes, ErrInvalidQuery)
	}
	e, err := ParseQuery(q.Text)
	if err != nil {
		return fmt.Errorf("q: %w", err)
	}
	if n := countLeaves(e); n > MaxQueryTerms {
		return fmt.Errorf("q: %d words, phrases and fields, at most %d allowed: %w", n, MaxQueryTerms, ErrInvalidQuery)
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
	if q.Sort == SortDate {
		return false
	}
	e, err := ParseQuery(q.Text)
	return err == nil && len(PositiveTerms(e)) > 0
}
