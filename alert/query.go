package alert

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
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

// parseQuery compiles a query:
//
//	query   = or
//	or      = and { "OR" and }
//	and     = unary { ["AND"] unary }      adjacent words are ANDed
//	unary   = ("NOT" | "-") unary | primary
//	primary = word | word"*" | '"' words '"' | "(" or ")"
//
// AND, OR and NOT are operators only in capitals; words match
// case-insensitively, as whole words ("meta" does not match "metadata";
// "meta*" does). A word that splits into several ("end-to-end") is a phrase.
// A query that can only match by what it lacks (NOT x alone) is an error:
// it would alert on nearly every article.
func parseQuery(q string) (node, error) {
	toks, err := lexQuery(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.i].text)
	}
	if !positive(n) {
		return nil, errors.New("the query matches only by what an article lacks; add a word it must contain")
	}
	return n, nil
}

// positive reports whether every match of n needs some word present.
func positive(n node) bool {
	switch n := n.(type) {
	case *leaf:
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

type qtok struct {
	kind string // "word", "phrase", "(", ")", "AND", "OR", "NOT"
	text string
}

func lexQuery(q string) ([]qtok, error) {
	var out []qtok
	rs := []rune(q)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == ')':
			out = append(out, qtok{kind: string(r), text: string(r)})
			i++
		case r == '-' && (i == 0 || unicode.IsSpace(rs[i-1]) || rs[i-1] == '('):
			out = append(out, qtok{kind: "NOT", text: "-"})
			i++
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			if j == len(rs) {
				return nil, errors.New("a phrase lacks its closing quote")
			}
			out = append(out, qtok{kind: "phrase", text: string(rs[i+1 : j])})
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '(' && rs[j] != ')' && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			kind := "word"
			if w == "AND" || w == "OR" || w == "NOT" {
				kind = w
			}
			out = append(out, qtok{kind: kind, text: w})
			i = j
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the query is empty")
	}
	return out, nil
}

type parser struct {
	toks []qtok
	i    int
}

func (p *parser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i].kind
	}
	return ""
}

func (p *parser) or() (node, error) {
	var alts or
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		alts = append(alts, n)
		if p.peek() != "OR" {
			break
		}
		p.i++
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return alts, nil
}

func (p *parser) and() (node, error) {
	var all and
	for {
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		all = append(all, n)
		switch p.peek() {
		case "AND":
			p.i++
			continue
		case "word", "phrase", "(", "NOT":
			continue
		}
		break
	}
	if len(all) == 1 {
		return all[0], nil
	}
	return all, nil
}

func (p *parser) unary() (node, error) {
	if p.peek() == "NOT" {
		p.i++
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return not{n}, nil
	}
	return p.primary()
}

func (p *parser) primary() (node, error) {
	if p.i >= len(p.toks) {
		return nil, errors.New("the query ends where a word was expected")
	}
	t := p.toks[p.i]
	p.i++
	switch t.kind {
	case "(":
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, errors.New("a parenthesis is not closed")
		}
		p.i++
		return n, nil
	case "word", "phrase":
		return newLeaf(t)
	}
	return nil, fmt.Errorf("unexpected %q where a word was expected", t.text)
}

func newLeaf(t qtok) (*leaf, error) {
	text := t.text
	prefix := t.kind == "word" && strings.HasSuffix(text, "*")
	var toks []token
	toks = tokenize(strings.TrimSuffix(text, "*"), 0, toks)
	if len(toks) == 0 {
		return nil, fmt.Errorf("%q has no letters or digits to match", text)
	}
	if prefix && len(toks) > 1 {
		return nil, fmt.Errorf("%q: a prefix (word*) must be one word", text)
	}
	l := &leaf{text: text, prefix: prefix}
	if t.kind == "phrase" {
		l.text = `"` + text + `"`
	}
	for _, tk := range toks {
		l.words = append(l.words, tk.word)
	}
	return l, nil
}
