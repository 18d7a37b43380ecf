package topics

import (
	"unicode"
	"unicode/utf8"
)

// matcher counts, in one pass over a text, the matches of every rule's
// regexp
//
//	(?i)(?:^|[^\pL\pN])(?:k1|k2|...)(?:$|[^\pL\pN])
//
// without the regexp engine: the same case folding (Unicode simple
// folding), the same word boundaries (\pL and \pN as (?i) widens them), the
// same leftmost-first choice among a rule's keywords, and the same
// non-overlapping successive matches, each consuming the boundary rune on
// either side. One pass for all rules, not one per rule: with ~200 keywords
// the cost is the walk over the text, which is paid once.
type matcher struct {
	// nodes is a trie over the keywords' folded runes (fold); nodes[0] is
	// the root, so 0 also means "no child".
	nodes []node
	// root holds the root's children for ASCII runes, the common first
	// step, by index.
	root [utf8.RuneSelf]int32
	// first holds the bytes a keyword's first rune, in any case, can start
	// with: a cheap filter before walking the trie at a position.
	first [256]bool
}

type node struct {
	kids []kid
	// ends lists the keywords ending at this node, by rule and by their
	// place in the rule (the first listed wins, as in the alternation).
	ends []ref
}

type kid struct {
	r rune
	n int32
}

type ref struct{ rule, index int }

// ruleScan is one rule's progress through a text.
type ruleScan struct {
	n   int // matches so far
	pos int // where the rule's next match may start (the end of its last)
	// at, index and end hold the rule's best keyword at the position being
	// tried: at is that position + 1 (0: none yet).
	at, index, end int
}

// newMatcher builds the matcher for rules' keywords, lowered[r] being rule
// r's keywords in order.
func newMatcher(lowered [][]string) *matcher {
	m := &matcher{nodes: []node{{}}}
	for rule, words := range lowered {
		for index, w := range words {
			if w == "" {
				continue
			}
			n := int32(0)
			for _, r := range w {
				n = m.add(n, fold(r))
			}
			m.nodes[n].ends = append(m.nodes[n].ends, ref{rule, index})
			r, _ := utf8.DecodeRuneInString(w)
			for f := r; ; {
				var buf [utf8.UTFMax]byte
				utf8.EncodeRune(buf[:], f)
				m.first[buf[0]] = true
				if f = unicode.SimpleFold(f); f == r {
					break
				}
			}
		}
	}
	return m
}

// add returns n's child for the folded rune r, creating it if needed.
func (m *matcher) add(n int32, r rune) int32 {
	if c := m.child(n, r); c != 0 {
		return c
	}
	c := int32(len(m.nodes))
	m.nodes = append(m.nodes, node{})
	if n == 0 && r < utf8.RuneSelf {
		m.root[r] = c
	} else {
		m.nodes[n].kids = append(m.nodes[n].kids, kid{r, c})
	}
	return c
}

func (m *matcher) child(n int32, r rune) int32 {
	if n == 0 && r < utf8.RuneSelf {
		return m.root[r]
	}
	for _, k := range m.nodes[n].kids {
		if k.r == r {
			return k.n
		}
	}
	return 0
}

// asciiFold[b] is the ASCII byte b lowered.
var asciiFold = func() (t [utf8.RuneSelf]rune) {
	for b := range utf8.RuneSelf {
		t[b] = unicode.ToLower(rune(b))
	}
	return t
}()

// fold maps r to one rune of its case-folding orbit (the runes
// unicode.SimpleFold cycles through, which (?i) treats as equal), the same
// for the whole orbit: the lowercase letter when the orbit has an ASCII
// one (k for K and the Kelvin sign), else the orbit's smallest rune.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		return asciiFold[r]
	}
	low := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return asciiFold[f]
		}
		low = min(low, f)
	}
	return low
}

// wordTables are what \pL and \pN match under (?i): the regexp parser adds
// the runes that fold into a category (unicode.FoldCategory) to it.
var wordTables = func() []*unicode.RangeTable {
	t := []*unicode.RangeTable{unicode.L, unicode.N}
	for _, c := range []string{"L", "N"} {
		if f, ok := unicode.FoldCategory[c]; ok {
			t = append(t, f)
		}
	}
	return t
}()

// twoByteWord[r] tells whether the rune r, below 0x800 (ASCII and the
// two-byte runes: accented Latin, Greek, Cyrillic...), is a letter or a
// digit, so most texts never search the Unicode tables.
var twoByteWord = func() (t [0x800]bool) {
	for r := range rune(len(t)) {
		t[r] = inWordTables(r)
	}
	return t
}()

func isWordRune(r rune) bool {
	if 0 <= r && r < rune(len(twoByteWord)) {
		return twoByteWord[r]
	}
	return inWordTables(r)
}

func inWordTables(r rune) bool {
	for _, t := range wordTables {
		if unicode.Is(t, r) {
			return true
		}
	}
	return false
}

// decode returns the rune at s[i] and its width, as the regexp engine reads
// it (an invalid byte is utf8.RuneError of width 1).
func decode(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

func isWordAt(s string, i int) (word bool, width int) {
	if c := s[i]; c < utf8.RuneSelf {
		return twoByteWord[c], 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return isWordRune(r), n
}

// count sets st[r].n, for every rule r, to the number of successive
// matches its regexp finds in s, stopping at limit
// (len(FindAllStringIndex(s, limit))).
func (m *matcher) count(s string, limit int, st []ruleScan) {
	clear(st)
	live := len(st) // rules below limit
	// At 0, `^` is tried before a leading boundary rune.
	live -= m.matchAt(s, 0, 0, limit, st)
	// Every other match starts with a boundary rune at b, the keyword
	// following it; a rule tries only the b at or after its last match.
	for b := 0; b < len(s) && live > 0; {
		word, w := false, 1
		if c := s[b]; c < utf8.RuneSelf { // inline, unlike isWordAt
			word = twoByteWord[c]
		} else {
			word, w = isWordAt(s, b)
		}
		q := b + w
		if !word && q < len(s) && m.first[s[q]] {
			live -= m.matchAt(s, q, b, limit, st)
		}
		b = q
	}
}

// matchAt walks the trie along s[q:] and, for every rule still counting
// whose next match may start at b (the boundary rune before q, or q at 0),
// takes its first keyword found there followed by the end of s or a
// boundary rune. It returns how many rules reached limit.
func (m *matcher) matchAt(s string, q, b, limit int, st []ruleScan) (done int) {
	if q >= len(s) || !m.first[s[q]] {
		return 0
	}
	found := false
	for n, i := int32(0), q; i < len(s); {
		r, w := rune(s[i]), 1
		if r < utf8.RuneSelf { // inline, unlike fold and decode
			r = asciiFold[r]
		} else {
			r, w = decode(s, i)
			r = fold(r)
		}
		if n = m.child(n, r); n == 0 {
			break
		}
		i += w
		ends := m.nodes[n].ends
		if len(ends) == 0 {
			continue
		}
		end := i
		if i < len(s) {
			word, w := isWordAt(s, i)
			if word {
				continue
			}
			end += w
		}
		for _, e := range ends {
			x := &st[e.rule]
			if x.n >= limit || x.pos > b || (x.at == q+1 && x.index < e.index) {
				continue
			}
			x.at, x.index, x.end = q+1, e.index, end
			found = true
		}
	}
	if !found {
		return 0
	}
	for r := range st {
		if x := &st[r]; x.at == q+1 {
			x.at = 0
			x.n++
			x.pos = x.end
			if x.n == limit {
				done++
			}
		}
	}
	return done
}
