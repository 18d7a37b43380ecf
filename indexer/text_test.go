package indexer

import (
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
