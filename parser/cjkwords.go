package parser

import (
	"strings"
	"unicode"
)

// storyWordCount is wordCount for the length tests of a story: Chinese
// and Japanese are written without spaces, so a paragraph is one "word"
// to strings.Fields. A run of Han, Hiragana or Katakana counts as one
// word for every two characters, about the length of a word there.
func storyWordCount(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		cjk := 0
		for _, r := range f {
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
				cjk++
			}
		}
		n += max(1, cjk/2)
	}
	return n
}
