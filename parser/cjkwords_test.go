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

// TestArticleWordCountOfChineseText: an article's word_count counts a
// Chinese story's words, not its few spaces.
func TestArticleWordCountOfChineseText(t *testing.T) {
	para := "一台没有设置任何密码的数据库服务器，在公网上暴露了至少五个月。服务器里存着全国约两千个住宅小区的人脸门禁数据。"
	body := `<!DOCTYPE html><html lang="zh"><head><title>调查</title></head><body><article><h1>人脸门禁数据存在一台没有密码的服务器上</h1><div class="body">` +
		strings.Repeat("<p>"+para+"</p>", 6) + `</div></article></body></html>`
	a := parsePage(t, []byte(body))
	want := 6 * cjkRunes(para) / 2
	if a.WordCount < want*9/10 || a.WordCount > want*11/10 {
		t.Errorf("WordCount = %d, want about %d (two characters a word)", a.WordCount, want)
	}
}
