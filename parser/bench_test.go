package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkParse measures one parse of each fixture page.
func BenchmarkParse(b *testing.B) {
	p := New(Options{})
	for _, f := range fixtures {
		body, err := os.ReadFile(filepath.Join("testdata", f.file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f.file, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				_, _ = p.Parse(f.url, body)
			}
		})
	}
}

// BenchmarkParseLarge parses a page of about half a megabyte, deep and full
// of links, to show that the cost grows with the page, not its square.
func BenchmarkParseLarge(b *testing.B) {
	body := largePage()
	p := New(Options{})
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := p.Parse("https://example.com/large", body); err != nil {
			b.Fatal(err)
		}
	}
}

func largePage() []byte {
	var sb strings.Builder
	sb.WriteString(`<html><head><title>Large</title></head><body><nav>`)
	for i := range 500 {
		fmt.Fprintf(&sb, `<a href="/s/%d">Section %d</a> `, i, i)
	}
	sb.WriteString(`</nav><main><article><h1>Large page</h1>`)
	for i := range 400 {
		sb.WriteString(strings.Repeat("<div>", 8))
		fmt.Fprintf(&sb, "<p>%s <a href=\"/x/%d\">link</a> %s</p>", storyParas[i%len(storyParas)], i, storyParas[(i+1)%len(storyParas)])
		sb.WriteString(strings.Repeat("</div>", 8))
	}
	sb.WriteString(`</article><ul class="related">`)
	for i := range 300 {
		fmt.Fprintf(&sb, `<li><a href="/r/%d">Related story %d with a headline</a></li>`, i, i)
	}
	sb.WriteString(`</ul></main></body></html>`)
	return []byte(sb.String())
}
