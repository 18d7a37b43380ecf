package topics

import (
	"unicode"
	"unicode/utf8"
)

// keywords matches a rule's keywords as its regexp
//
//	(?i)(?:^|[^\pL\pN])(?:k1|k2|...)(?:$|[^\pL\pN])
//
// does, without the regexp engine: the same case folding (Unicode simple
// folding), the same word boundaries (\pL and \pN as (?i) widens them), the
// same leftmost-first choice among keywords, and the same non-overlapping
// successive matches, each consuming the boundary rune on either side. Only
// the number of matches is computed.
type keywords struct {
	words [][]rune
	// first holds the bytes a keyword's first rune, in any case, can start
	// with: a cheap filter before trying the keywords at a position.
	first [256]bool
}

// newKeywords returns nil when no keyword is usable (all empty), so the
// caller keeps the regexp for that odd rule.
func newKeywords(lowered []string) *keywords {
	k := &keywords{}
	for _, w := range lowered {
		if w == "" {
			continue
		}
		rs := []rune(w)
		k.words = append(k.words, rs)
		r := rs[0]
		for f := r; ; {
			var buf [utf8.UTFMax]byte
			utf8.EncodeRune(buf[:], f)
			k.first[buf[0]] = true
			if f = unicode.SimpleFold(f); f == r {
				break
			}
		}
	}
	if len(k.words) == 0 {
		return nil
	}
	return k
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

// asciiWord[b] tells whether the ASCII byte b is a letter or a digit.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for b := range utf8.RuneSelf {
		t[b] = isWordRune(rune(b))
	}
	return t
}()

func isWordRune(r rune) bool {
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
		return asciiWord[c], 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return isWordRune(r), n
}

// foldEq tells whether text rune t matches keyword rune k under (?i).
func foldEq(t, k rune) bool {
	if t == k {
		return true
	}
	if t < utf8.RuneSelf && k < utf8.RuneSelf {
		// The only ASCII runes in an ASCII rune's fold orbit are its two
		// cases.
		return 'a' <= t|0x20 && t|0x20 <= 'z' && t|0x20 == k|0x20
	}
	for f := unicode.SimpleFold(k); f != k; f = unicode.SimpleFold(f) {
		if f == t {
			return true
		}
	}
	return false
}

// count returns how many successive matches the regexp would find in s,
// stopping at limit (FindAllStringIndex(s, limit)).
func (k *keywords) count(s string, limit int) int {
	n := 0
	pos := 0 // where the next match may start (the end of the previous one)
	// At 0, `^` is tried before a leading boundary rune.
	if end, ok := k.matchAt(s, 0); ok {
		n++
		if n >= limit {
			return n
		}
		pos = end
	}
	// Every other match starts with a boundary rune at b >= pos, the
	// keyword following it.
	for b := pos; b < len(s); {
		word, w := isWordAt(s, b)
		q := b + w
		if !word && q < len(s) && k.first[s[q]] {
			if end, ok := k.matchAt(s, q); ok {
				n++
				if n >= limit {
					return n
				}
				b = end
				continue
			}
		}
		b = q
	}
	return n
}

// matchAt tries the keywords in order at s[q:], each followed by the end of
// s or a boundary rune, and returns the end of the first that matches
// (after the boundary rune).
func (k *keywords) matchAt(s string, q int) (int, bool) {
	if q >= len(s) || !k.first[s[q]] {
		return 0, false
	}
next:
	for _, w := range k.words {
		i := q
		for _, kr := range w {
			if i >= len(s) {
				continue next
			}
			tr, n := decode(s, i)
			if !foldEq(tr, kr) {
				continue next
			}
			i += n
		}
		if i == len(s) {
			return i, true
		}
		if word, n := isWordAt(s, i); !word {
			return i + n, true
		}
	}
	return 0, false
}
