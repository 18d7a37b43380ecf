package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// TestSearchParseErrorIsA400WithPosition: a query that does not parse is
// refused with a message and the byte offset of the trouble, never sent to
// the index (which would answer with an empty result).
func TestSearchParseErrorIsA400WithPosition(t *testing.T) {
	s := &recordingSearcher{}
	for _, c := range []struct {
		q, msg string
		pos    int
	}{
		{"inflation* (central", "q: unclosed parenthesis at 11", 11},
		{`Meta "data`, "q: unclosed quote at 5", 5},
		{"Netflix NOT", "q: NOT needs something to exclude at 8", 8},
	} {
		resp := get(t, New(s, nil, nil), "/api/search?q="+url.QueryEscape(c.q))
		var body struct {
			Error    string `json:"error"`
			Position *int   `json:"position"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusBadRequest || body.Error != c.msg || body.Position == nil || *body.Position != c.pos {
			t.Errorf("%s: status %d, %+v; want 400 %q at %d", c.q, resp.StatusCode, body, c.msg, c.pos)
		}
	}
	if s.got.Text != "" {
		t.Errorf("the index was asked %q", s.got.Text)
	}
}
