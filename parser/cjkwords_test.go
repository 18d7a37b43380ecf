package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// storyWordCountFields is storyWordCount the plain way, which it replaces.
func storyWordCountFields(s string) int {
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

// TestStoryWordCountMatchesFields holds storyWordCount against the plain
// version on odd text and on the stories of the fixture pages.
func TestStoryWordCountMatchesFields(t *testing.T) {
	texts := []string{"", " ", "one", " two  words ", "日本語の文章です。", "中文 文本 English 混合",
		"tab\tnew\nline\v\f\r", "nbsp\u00a0and\u2003em\u3000ideo", "bad \xff\xfe utf8 \xe6\x97", "カタカナ ひらがな 漢字",
		"\u2e7f\u2e80\u2e81 edge", "ruby 漢字かんじ x"}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	p := New(Options{})
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := p.Parse("https://example.com/"+filepath.Base(f), body)
		texts = append(texts, a.Text, a.Title)
	}
	if firstCJK > 0x2E80 || !unicode.In(firstCJK, unicode.Han) || unicode.In(firstCJK-1, unicode.Han, unicode.Hiragana, unicode.Katakana) {
		t.Errorf("firstCJK %#x is not where the scripts start", firstCJK)
	}
	for r := rune(0); r < firstCJK; r++ {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			t.Fatalf("%#x is CJK, below firstCJK", r)
		}
	}
	for _, s := range texts {
		if got, want := storyWordCount(s), storyWordCountFields(s); got != want {
			t.Errorf("storyWordCount(%.60q) = %d, want %d", s, got, want)
		}
	}
}
