package alert

import (
	"math/bits"
	"slices"
)

// The prefilter skips, without evaluating its query, every watch that
// cannot match because none of its required words occurs in the article.
// Each watch gets a requirement: a set of keys (words, or word prefixes) of
// which a matching article must contain at least one. The prefilter is an
// inverted index from key to watches; an article marks the watches of the
// keys it contains, and only those are evaluated. With a thousand watches
// most name words a given story lacks, so most are never looked at.

// reqKey is one word, or a word prefix, a watch needs.
type reqKey struct {
	word   string
	prefix bool
}

// requirement returns keys of which every doc that n matches contains at
// least one, and false when n has no such set (it can match by absence, as
// NOT x does; parseQuery refuses such a query as a whole, but its parts
// may be).
//
// A leaf needs its word (a phrase: its longest word, likely the rarest);
// an OR needs one key of each alternative; an AND needs the requirement of
// any one of its parts, and takes the cheapest: fewest keys, exact words
// before prefixes, longer words before shorter ones.
func requirement(n node) ([]reqKey, bool) {
	switch n := n.(type) {
	case *leaf:
		if n.prefix {
			return []reqKey{{word: n.words[0], prefix: true}}, true
		}
		longest := n.words[0]
		for _, w := range n.words[1:] {
			if len(w) > len(longest) {
				longest = w
			}
		}
		return []reqKey{{word: longest}}, true
	case and:
		var best []reqKey
		found := false
		for _, c := range n {
			if keys, ok := requirement(c); ok && (!found || cheaper(keys, best)) {
				best, found = keys, true
			}
		}
		return best, found
	case or:
		var all []reqKey
		for _, c := range n {
			keys, ok := requirement(c)
			if !ok {
				return nil, false
			}
			all = append(all, keys...)
		}
		return all, true
	}
	return nil, false
}

// cheaper reports whether requirement a is likely more selective than b.
func cheaper(a, b []reqKey) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	pa, pb, la, lb := 0, 0, 0, 0
	for i := range a {
		if a[i].prefix {
			pa++
		}
		if b[i].prefix {
			pb++
		}
		la += len(a[i].word)
		lb += len(b[i].word)
	}
	if pa != pb {
		return pa < pb
	}
	return la > lb
}

// prefilter is the inverted index from required keys to watch numbers.
type prefilter struct {
	words    map[string][]int32
	prefixes map[string][]int32
	always   []int32 // watches without a requirement: always evaluated
	n        int     // watches
	// allPrefixes are the prefix terms (word*) of every watch, and
	// prefixLens their distinct lengths in bytes, for markPrefixes.
	allPrefixes map[string]bool
	prefixLens  []int
}

func newPrefilter(watches []compiled) *prefilter {
	p := &prefilter{words: map[string][]int32{}, prefixes: map[string][]int32{}, n: len(watches),
		allPrefixes: map[string]bool{}}
	for i := range watches {
		walkLeaves(watches[i].q, func(l *leaf) {
			if l.prefix && !p.allPrefixes[l.words[0]] {
				p.allPrefixes[l.words[0]] = true
				if !slices.Contains(p.prefixLens, len(l.words[0])) {
					p.prefixLens = append(p.prefixLens, len(l.words[0]))
				}
			}
		})
		keys, ok := requirement(watches[i].q)
		if !ok {
			p.always = append(p.always, int32(i))
			continue
		}
		for _, k := range keys {
			m := p.words
			if k.prefix {
				m = p.prefixes
			}
			if ws := m[k.word]; len(ws) == 0 || ws[len(ws)-1] != int32(i) {
				m[k.word] = append(ws, int32(i))
			}
		}
	}
	return p
}

// markPrefixes finds which of the watches' prefix terms the article's words
// start with: a map lookup per distinct word and prefix length, which is
// cheaper than sorting the article's words for binary searches.
func (p *prefilter) markPrefixes(d *doc) {
	d.prefixes = map[string]bool{}
	if len(p.prefixLens) == 0 {
		return
	}
	for w := range d.words {
		for _, n := range p.prefixLens {
			if len(w) >= n && p.allPrefixes[w[:n]] {
				d.prefixes[w[:n]] = true
			}
		}
	}
}

// walkLeaves calls fn with every leaf of n.
func walkLeaves(n node, fn func(*leaf)) {
	switch n := n.(type) {
	case *leaf:
		fn(n)
	case and:
		for _, c := range n {
			walkLeaves(c, fn)
		}
	case or:
		for _, c := range n {
			walkLeaves(c, fn)
		}
	case not:
		walkLeaves(n.n, fn)
	}
}

// candidates returns the watches worth evaluating against d, as a bitset
// over watch numbers (so they come out in configuration order).
func (p *prefilter) candidates(d *doc) bitset {
	p.markPrefixes(d)
	set := newBitset(p.n)
	for _, i := range p.always {
		set.add(int(i))
	}
	// Walk whichever side is smaller: the article's distinct words or the
	// watches' required words.
	if len(d.head) < len(p.words) {
		for w := range d.words {
			for _, i := range p.words[w] {
				set.add(int(i))
			}
		}
	} else {
		for w, ws := range p.words {
			if d.has(w) {
				for _, i := range ws {
					set.add(int(i))
				}
			}
		}
	}
	for pre, ws := range p.prefixes {
		if d.hasPrefix(pre) {
			for _, i := range ws {
				set.add(int(i))
			}
		}
	}
	return set
}

// bitset is a set of small non-negative integers.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (s bitset) add(i int) { s[i/64] |= 1 << (uint(i) % 64) }

// each calls fn with the members in increasing order.
func (s bitset) each(fn func(int)) {
	for w, bitsLeft := range s {
		for bitsLeft != 0 {
			b := bits.TrailingZeros64(bitsLeft)
			fn(w*64 + b)
			bitsLeft &= bitsLeft - 1
		}
	}
}
