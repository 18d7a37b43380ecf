package news

import (
	"errors"
	"testing"
)

// FuzzParseQuery: ParseQuery never panics; an error is a QueryError with a
// position inside the query; what parses has terms with text.
// Run it with: go test -run '^$' -fuzz '^FuzzParseQuery$' -fuzztime 60s ./news
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{`Meta AND (fine OR penalty)`, `"end-to-end" -WhatsApp source:ledger`,
		`surveil* NOT (police OR "law enforcement")`, `inflation* (central`, `a )`, `NOT`, `topic:"a`, `“curly”`, ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		e, err := ParseQuery(q)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Pos < 0 || qe.Pos > len(q) {
				t.Fatalf("ParseQuery(%q): error %v, want a QueryError inside the query", q, err)
			}
			return
		}
		Leaves(e, func(l Expr, _ bool) {
			if t0, ok := l.(Term); ok && !hasWordChar(t0.Text) {
				t.Fatalf("ParseQuery(%q): term %+v has no word", q, t0)
			}
		})
	})
}
