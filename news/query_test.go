package news

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func w(s string) Term { return Term{Text: s} }
func p(s string) Term { return Term{Text: s, Phrase: true} }

func TestParseText(t *testing.T) {
	tests := []struct {
		in   string
		want Terms
	}{
		{"", Terms{}},
		{"  interest   rates ", Terms{Required: [][]Term{{w("interest")}, {w("rates")}}}},
		{`"interest rates" bank`, Terms{Required: [][]Term{{p("interest rates")}, {w("bank")}}}},
		{"\u201ccoastal  towns\u201d", Terms{Required: [][]Term{{p("coastal towns")}}}},
		{`bank "unclosed phrase`, Terms{Required: [][]Term{{w("bank")}, {p("unclosed phrase")}}}},
		{`a b OR c OR "d e" f`, Terms{Required: [][]Term{{w("a")}, {w("b"), w("c"), p("d e")}, {w("f")}}}},
		{`privacy -facebook -"data broker"`, Terms{Required: [][]Term{{w("privacy")}}, Excluded: []Term{w("facebook"), p("data broker")}}},
		{`OR a OR`, Terms{Required: [][]Term{{w("a")}}}},
		{`a OR -b c`, Terms{Required: [][]Term{{w("a")}, {w("c")}}, Excluded: []Term{w("b")}}},
		{`a or b`, Terms{Required: [][]Term{{w("a")}, {w("or")}, {w("b")}}}},
		{`e-mail - x`, Terms{Required: [][]Term{{w("e-mail")}, {w("x")}}}},
		{`title:x AND y* ( ) "" " - "`, Terms{Required: [][]Term{{w("title:x")}, {w("AND")}, {w("y*")}}}},
		{`-`, Terms{}},
	}
	for _, tt := range tests {
		if got := ParseText(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseText(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestQueryCheck(t *testing.T) {
	for _, q := range []Query{
		{Text: strings.Repeat("a", MaxQueryBytes+1)},
		{Text: strings.Repeat("a OR ", MaxQueryTerms) + "b"},
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
