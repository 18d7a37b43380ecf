package indexer

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseText(t *testing.T) {
	tests := []struct {
		in   string
		want Terms
	}{
		{"", Terms{}},
		{"  interest   rates ", Terms{Words: []string{"interest", "rates"}}},
		{`"interest rates" bank`, Terms{Words: []string{"bank"}, Phrases: []string{"interest rates"}}},
		{"\u201ccoastal  towns\u201d", Terms{Phrases: []string{"coastal towns"}}},
		{`bank "unclosed phrase`, Terms{Words: []string{"bank"}, Phrases: []string{"unclosed phrase"}}},
		{`title:x AND -y* ( ) "" " - "`, Terms{Words: []string{"title:x", "AND", "-y*"}}},
	}
	for _, tt := range tests {
		if got := ParseText(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseText(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

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
