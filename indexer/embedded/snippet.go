package embedded

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
)

// wordFragmenter cuts bleve's fragments at word boundaries: bleve's simple
// fragmenter counts characters and so began two thirds of the snippets
// inside a word ("…rsday"). A fragment starts at the beginning of the
// sentence of its first match when that sentence starts within the
// fragment, else at the first whole word; it ends after the last whole
// word. Matched words are never cut off.
type wordFragmenter struct{ simple *simple.Fragmenter }

func newWordFragmenter(size int) *wordFragmenter {
	return &wordFragmenter{simple: simple.NewFragmenter(size)}
}

// Fragment implements highlight.Fragmenter.
func (f *wordFragmenter) Fragment(orig []byte, ot highlight.TermLocations) []*highlight.Fragment {
	frags := f.simple.Fragment(orig, ot)
	for _, fr := range frags {
		first, last := fr.End, fr.Start // the matches inside the fragment
		for _, tl := range ot {
			if tl.Start >= fr.Start && tl.End <= fr.End {
				first, last = min(first, tl.Start), max(last, tl.End)
			}
		}
		fr.Start = wordStart(orig, fr.Start, first)
		fr.End = wordEnd(orig, fr.End, last)
	}
	return frags
}

// wordStart moves start, no further than limit (the first match), to the
// start of a sentence when one begins in between, else to the start of the
// next whole word.
func wordStart(b []byte, start, limit int) int {
	if start <= 0 {
		return 0
	}
	if s := sentenceStart(b, start, limit); s >= 0 {
		return s
	}
	i := start
	if r, _ := utf8.DecodeLastRune(b[:i]); isWord(r) {
		// Inside a word: skip the rest of it.
		for i < limit {
			r, n := utf8.DecodeRune(b[i:])
			if !isWord(r) {
				break
			}
			i += n
		}
	}
	for i < limit { // and what separates it from the next word
		r, n := utf8.DecodeRune(b[i:])
		if isWord(r) {
			break
		}
		i += n
	}
	return i
}

// sentenceStart is the offset of the last sentence beginning in
// (start, limit], or -1: a word after ". ", "! ", "? " or a newline.
func sentenceStart(b []byte, start, limit int) int {
	found := -1
	for i := start; i < limit && i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == '\n' || ((r == '.' || r == '!' || r == '?') && i+n < len(b) && unicode.IsSpace(rune(b[i+n]))) {
			j := i + n
			for j < limit {
				r, m := utf8.DecodeRune(b[j:])
				if !unicode.IsSpace(r) {
					break
				}
				j += m
			}
			if j <= limit && j > start {
				found = j
			}
		}
		i += n
	}
	return found
}

// wordEnd moves end back, no further than limit (the end of the last
// match), to the end of the last whole word.
func wordEnd(b []byte, end, limit int) int {
	if end >= len(b) {
		return len(b)
	}
	i := end
	if r, _ := utf8.DecodeRune(b[i:]); isWord(r) {
		// Inside a word: drop its start.
		for i > limit {
			r, n := utf8.DecodeLastRune(b[:i])
			if !isWord(r) {
				break
			}
			i -= n
		}
	}
	for i > limit { // and the spaces before it
		r, n := utf8.DecodeLastRune(b[:i])
		if !unicode.IsSpace(r) {
			break
		}
		i -= n
	}
	return i
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' }
