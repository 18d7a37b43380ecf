package parser

import (
	"math"
	"regexp"
	"slices"
	"strings"
)

// literals answers "does s contain one of these strings?" in one pass over
// s, where strings.Contains would pass over it once per string. The prompt
// finder asks it of the text of most blocks of a page, and the script
// reader of every inline script, for lists of up to a hundred phrases, so
// this is among the parser's hottest code. The scan is Wu and Manber's:
// every string is at least shortest (two or more) bytes long, so the scan
// reads the last two bytes of a window that long, and moves the window on
// by as many bytes as the pair allows (shift): up to shortest-1 when no
// string holds the pair, where it used to test every position. The table
// of shifts is indexed by a hash of the pair and stays in the processor's
// cache. It pays: with containsAny (a loop of strings.Contains) in its
// place, the whole parse took 28% more CPU (BenchmarkExtraction/newsdesk,
// 887 against 693 cpu-ms/op, medians of 6 interleaved runs of
// `go test -run '^$' -bench 'Extraction/newsdesk$' -benchtime 3x ./parser`).
// TestLiteralsSkipMatchesContains, TestLiteralsWhichMatchesContains and
// TestHotHelpersMatchReferences hold it against containsAny (well under a
// second).
type literals struct {
	// shift is how far the window may move on when its last two bytes
	// hash to the index: the least distance, over every string and every
	// place the pair is in its first shortest bytes, from that place to
	// the end of those bytes. 0 means a string may end its first
	// shortest bytes here: the strings are compared.
	shift [pairBits]uint8
	// shortest is the length of the shortest string.
	shortest int
	// words[start[k]:start[k+1]] are the strings whose first shortest
	// bytes end in a pair that hashes to k: the only ones a window whose
	// last two bytes hash to k can start. tags holds, for each, the bit
	// of the list it came from (the first 64 lists have one).
	start [pairBits + 1]uint16
	words []string
	tags  []uint64
	// fold makes ASCII letters match either case (the strings are given
	// in lower case).
	fold bool
	// longest is the length of the longest string.
	longest int
}

func newLiterals(lists ...[]string) *literals {
	return buildLiterals(false, lists)
}

// newFoldLiterals returns literals that match ASCII letters in either
// case: "tinypass" is in "TinyPass".
func newFoldLiterals(lists ...[]string) *literals {
	return buildLiterals(true, lists)
}

func buildLiterals(fold bool, lists [][]string) *literals {
	l := &literals{fold: fold, shortest: math.MaxInt}
	for _, list := range lists {
		for _, w := range list {
			if len(w) < 2 {
				panic("parser: literal shorter than two bytes: " + w)
			}
			if fold && strings.ToLower(w) != w {
				panic("parser: literal to match in either case not in lower case: " + w)
			}
			l.longest = max(l.longest, len(w))
			l.shortest = min(l.shortest, len(w))
		}
	}
	if l.shortest == math.MaxInt { // no strings: no window ever matches
		l.shortest = 2
	}
	m := l.shortest
	for k := range l.shift {
		l.shift[k] = uint8(min(m-1, math.MaxUint8))
	}
	type entry struct {
		key uint
		w   string
		tag uint64
	}
	var entries []entry
	for i, list := range lists {
		var tag uint64
		if i < 64 {
			tag = 1 << i
		}
		for _, w := range list {
			for q := 1; q < m; q++ {
				d := uint8(min(m-1-q, math.MaxUint8))
				for _, c0 := range cases(w[q-1], fold) {
					for _, c1 := range cases(w[q], fold) {
						k := pairHash(c0, c1)
						l.shift[k] = min(l.shift[k], d)
						if q == m-1 && !slices.Contains(entries, entry{k, w, tag}) {
							entries = append(entries, entry{k, w, tag})
						}
					}
				}
			}
		}
	}
	if len(entries) > math.MaxUint16 {
		panic("parser: too many literals")
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return int(a.key) - int(b.key) })
	for _, e := range entries {
		l.words = append(l.words, e.w)
		l.tags = append(l.tags, e.tag)
		l.start[e.key+1]++
	}
	for k := 1; k <= pairBits; k++ {
		l.start[k] += l.start[k-1]
	}
	return l
}

// pairBits is the size of the table of shifts.
const pairBits = 1024

// pairHash hashes two bytes into the table of shifts: for the lower-case
// letters and punctuation of names and phrases, few pairs share an entry.
func pairHash(c0, c1 byte) uint {
	return (uint(c0)<<5 ^ uint(c1)) % pairBits
}

// cases returns c, and its upper case when fold is set and c is a lower
// case ASCII letter.
func cases(c byte, fold bool) []byte {
	if fold && 'a' <= c && c <= 'z' {
		return []byte{c, c - 'a' + 'A'}
	}
	return []byte{c}
}

// in reports whether s contains one of the strings.
func (l *literals) in(s string) bool {
	m := l.shortest
	for end := m - 1; end < len(s); {
		k := pairHash(s[end-1], s[end])
		if d := l.shift[k]; d > 0 {
			end += int(d)
			continue
		}
		i := end - m + 1
		for _, w := range l.words[l.start[k]:l.start[k+1]] {
			if l.at(s, i, w) {
				return true
			}
		}
		end++
	}
	return false
}

// which returns the tags of the strings s contains: bit i is set when s
// contains a string of the i-th list given. It is one pass where asking
// in of a literals per list would be one pass per list.
func (l *literals) which(s string) uint64 {
	var found uint64
	m := l.shortest
	for end := m - 1; end < len(s); {
		k := pairHash(s[end-1], s[end])
		if d := l.shift[k]; d > 0 {
			end += int(d)
			continue
		}
		i := end - m + 1
		for j := l.start[k]; j < l.start[k+1]; j++ {
			if found&l.tags[j] != l.tags[j] && l.at(s, i, l.words[j]) {
				found |= l.tags[j]
			}
		}
		end++
	}
	return found
}

// at reports whether s holds w at i. The first bytes are compared first
// (in either case, loosely: c|0x20 lower-cases a letter), as most
// candidates differ there.
func (l *literals) at(s string, i int, w string) bool {
	if c := s[i]; c != w[0] && c|0x20 != w[0] || len(w) > len(s)-i {
		return false
	}
	return s[i:i+len(w)] == w || l.fold && equalFoldASCII(s[i:i+len(w)], w)
}

// inJoined reports whether a+" "+b contains one of the strings, without
// building it.
func (l *literals) inJoined(a, b string) bool {
	if l.in(a) || l.in(b) {
		return true
	}
	// A string that spans the space lies within this much of each side.
	return l.in(a[max(0, len(a)-l.longest+1):] + " " + b[:min(len(b), l.longest-1)])
}

// equalFoldASCII reports whether s, its ASCII letters lower-cased, is w.
func equalFoldASCII(s, w string) bool {
	for i := 0; i < len(w); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// stemRule is one part of an expression split into parts, each tried only
// when one of its stems (strings that every match of the part contains)
// is in the text; a part without stems is always tried. Split so, a long
// alternation runs only its few parts that can match, where the whole
// expression would run over every text given to it. It pays: with
// meterWording, appealWords and promptHint each one whole expression, the
// whole parse took 7% more CPU (BenchmarkExtraction/newsdesk, 750 against
// 704 cpu-ms/op, medians of 6 interleaved runs, command as for literals).
// TestStemRulesOnPhrases and TestHotHelpersMatchReferences hold the split
// expressions against the whole ones, TestClassifyMatchesReference the one
// pass over the stems of all parts against a pass per part.
type stemRule struct {
	stems []string
	re    *regexp.Regexp
}

// stemRules is an alternation split into stemRules: it matches a text
// when one of its parts does. One pass of stems over the text tells which
// parts have a stem in it.
type stemRules struct {
	rules []stemRule
	// stems holds the stems of rule i as its i-th list; unstemmed has
	// the bits of the rules without stems.
	stems     *literals
	unstemmed uint64
}

func rule(stems []string, expr string) stemRule {
	return stemRule{stems: stems, re: regexp.MustCompile(expr)}
}

func newStemRules(rules ...stemRule) stemRules {
	if len(rules) > 64 {
		panic("parser: more than 64 stem rules")
	}
	rs := stemRules{rules: rules}
	var lists [][]string
	for i, r := range rules {
		lists = append(lists, r.stems)
		if len(r.stems) == 0 {
			rs.unstemmed |= 1 << i
		}
	}
	rs.stems = newLiterals(lists...)
	return rs
}

// stemList is every rule's stems, each once: the words at least one of
// which is in every text the rules match (none of them is unstemmed).
func (rs stemRules) stemList() []string {
	var all []string
	for _, r := range rs.rules {
		for _, st := range r.stems {
			if !slices.Contains(all, st) {
				all = append(all, st)
			}
		}
	}
	return all
}

// match reports whether one of the parts matches s.
func (rs stemRules) match(s string) bool {
	try := rs.unstemmed | rs.stems.which(s)
	for i, r := range rs.rules {
		if try&(1<<i) != 0 && r.re.MatchString(s) {
			return true
		}
	}
	return false
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
