package indexer

import (
	"html"
	"strings"
	"testing"
)

func TestFallbackSnippet(t *testing.T) {
	if got := FallbackSnippet("a <b> &\n\n c", 200); got != "a &lt;b&gt; &amp; c" {
		t.Errorf("short text: got %q", got)
	}
	long := strings.Repeat("word ", 100)
	got := FallbackSnippet(long, 22)
	if got != "word word word word…" {
		t.Errorf("long text: got %q", got)
	}
	// A cut never splits a multi-byte rune.
	if got := FallbackSnippet(strings.Repeat("é", 30), 10); got != strings.Repeat("é", 10)+"…" {
		t.Errorf("runes: got %q", got)
	}
}

// TestFallbackSnippetReadsOnlyTheStart checks that reading only the start
// of the text gives the snippet of the whole text collapsed, at every
// length around the cut.
func TestFallbackSnippetReadsOnlyTheStart(t *testing.T) {
	whole := func(text string, n int) string { // collapses the whole text, then cuts
		text = strings.Join(strings.Fields(text), " ")
		r := []rune(text)
		if len(r) <= n {
			return html.EscapeString(text)
		}
		head := string(r[:n])
		if sp := strings.LastIndexByte(head, ' '); sp > len(head)/2 {
			head = head[:sp]
		}
		return html.EscapeString(strings.TrimRight(head, " ")) + "…"
	}
	texts := []string{
		"", " ", "one", "  two  words  ",
		strings.Repeat("ab  \n\t", 50),
		"Zürich — die Stadt\u00a0am See. " + strings.Repeat("Grüße ", 40),
		strings.Repeat("x", 250) + " tail",
	}
	for _, text := range texts {
		for n := range 260 {
			if got, want := FallbackSnippet(text, n), whole(text, n); got != want {
				t.Fatalf("FallbackSnippet(%.20q…, %d) = %q, want %q", text, n, got, want)
			}
		}
	}
}
