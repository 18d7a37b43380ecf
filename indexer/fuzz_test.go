package indexer

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"newsdesk/news"
)

// FuzzDecodeCursor: a cursor from a user, forged or garbled, never panics
// the decoders; every refusal wraps news.ErrInvalidQuery (a 400, not a
// 5xx), and what is accepted has the values asked for and encodes back to
// a cursor that decodes the same.
// Run it with: go test -run '^$' -fuzz '^FuzzDecodeCursor$' -fuzztime 60s ./indexer
func FuzzDecodeCursor(f *testing.F) {
	for _, seed := range []string{
		EncodeCursor([]json.RawMessage{json.RawMessage(`1.5`), json.RawMessage(`1764400000000`), json.RawMessage(`"id-1"`)}),
		StringsCursor([]string{"a", "b"}),
		GroupedCursor(20),
		"WyJ4Il0",                            // ["x"]
		"WzEyMDg5MjUxOTk2NDk1NzE4MzQzNzAxXQ", // [120892519964957183437] (2^80 and more)
		"e30",                                // {}
		"!!!",
		"",
	} {
		f.Add(seed, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = min(max(n, 0), 8)
		check := func(what string, err error) {
			if err != nil && !errors.Is(err, news.ErrInvalidQuery) {
				t.Fatalf("%s(%q): error %v does not wrap news.ErrInvalidQuery", what, s, err)
			}
		}
		values, err := DecodeCursor(s, n)
		check("DecodeCursor", err)
		if err == nil {
			if len(values) != n {
				t.Fatalf("DecodeCursor(%q, %d) = %d values", s, n, len(values))
			}
			again, err := DecodeCursor(EncodeCursor(values), n)
			if err != nil || len(again) != n {
				t.Fatalf("cursor %q re-encoded does not decode: %v", s, err)
			}
		}
		kinds := []CursorKind{CursorFloat, CursorInt64, CursorString}
		_, err = DecodeCursorAs(s, kinds[:min(n, 3)]...)
		check("DecodeCursorAs", err)
		strs, err := CursorStrings(s, n)
		check("CursorStrings", err)
		if err == nil {
			if back, err := CursorStrings(StringsCursor(strs), n); err == nil && !slices.Equal(back, strs) {
				t.Fatalf("CursorStrings round trip of %q: %q, then %q", s, strs, back)
			}
		}
		off, err := GroupedStart(news.Query{After: s})
		check("GroupedStart", err)
		if err == nil && (off < 0 || off >= MaxGroupedOffset) {
			t.Fatalf("GroupedStart(%q) = %d, outside [0, %d)", s, off, MaxGroupedOffset)
		}
	})
}
