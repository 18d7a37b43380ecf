package news

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func w(s string, pos int) Term      { return Term{Text: s, Pos: pos} }
func p(s string, pos int) Term      { return Term{Text: s, Phrase: true, Pos: pos} }
func prefix(s string, pos int) Term { return Term{Text: s, Prefix: true, Pos: pos} }

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want Expr
	}{
		{"", nil},
		{"  interest   rates ", And{w("interest", 2), w("rates", 13)}},
		{`"interest  rates" bank`, And{p("interest rates", 0), w("bank", 18)}},
		{"\u201ccoastal towns\u201d", p("coastal towns", 0)},
		{`a b OR c`, Or{And{w("a", 0), w("b", 2)}, w("c", 7)}},
		{`a AND (b OR "d e")`, And{w("a", 0), Or{w("b", 7), p("d e", 12)}}},
		{`privacy -facebook NOT "data broker"`, And{w("privacy", 0), Not{w("facebook", 9)}, Not{p("data broker", 22)}}},
		{`a or b`, And{w("a", 0), w("or", 2), w("b", 5)}},
		{`e-mail - x`, And{w("e-mail", 0), w("x", 9)}},
		{`messag* -metadata`, And{prefix("messag", 0), Not{w("metadata", 9)}}},
		{`source:ledger lang:en topic:"data brokers" author:x title:y`, And{
			Field{Name: FieldSource, Value: "ledger", Pos: 0}, Field{Name: FieldLang, Value: "en", Pos: 14},
			Field{Name: FieldTopic, Value: "data brokers", Pos: 22}, Field{Name: FieldAuthor, Value: "x", Pos: 43},
			w("title:y", 52)}},
		{`& ( ! ) a`, w("a", 8)},
		{`-`, nil},
		{`Netflix NOT Meta`, And{w("Netflix", 0), Not{w("Meta", 12)}}},
	}
	for _, tt := range tests {
		got, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseQuery(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`Meta AND (fine`, "unclosed parenthesis at 9"},
		{`Meta "unclosed`, "unclosed quote at 5"},
		{`a )`, "unmatched closing parenthesis at 2"},
		{`OR a`, "OR needs a word before it at 0"},
		{`a OR`, "OR needs a word after it at 2"},
		{`a AND`, "AND needs a word after it at 2"},
		{`a NOT`, "NOT needs something to exclude at 2"},
		{`a ()`, "empty parentheses at 2"},
		{`me*`, `prefix "me*" needs at least 3 letters before the * at 0`},
		{`a source:`, "source: needs a value at 2"},
		{strings.Repeat("(", 40) + "a" + strings.Repeat(")", 40), "nested too deeply at 32"},
	} {
		_, err := ParseQuery(tt.in)
		var qe *QueryError
		if !errors.As(err, &qe) || !errors.Is(err, ErrInvalidQuery) || err.Error() != tt.want {
			t.Errorf("ParseQuery(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestQueryCheck(t *testing.T) {
	for _, q := range []Query{
		{Text: strings.Repeat("a", MaxQueryBytes+1)},
		{Text: strings.Repeat("a OR ", MaxQueryTerms) + "b"},
		{Text: "(a"},
		{After: "x", Offset: 10},
		{Sort: "random"},
	} {
		if err := q.Check(); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("Check(%+v) = %v, want ErrInvalidQuery", q, err)
		}
	}
	if err := (Query{Text: `a "b c" OR d -e`, Sort: SortDate}).Check(); err != nil {
		t.Errorf("valid query refused: %v", err)
	}
}

func TestByScore(t *testing.T) {
	if (Query{}).ByScore() || !(Query{Text: "a"}).ByScore() || (Query{Text: "a", Sort: SortDate}).ByScore() || (Query{Text: "-a", Sort: SortRelevance}).ByScore() {
		t.Error("ByScore")
	}
}
