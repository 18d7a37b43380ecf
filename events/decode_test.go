package events

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

// decodeSamples are events as newsdesk publishes them, with every field of
// the schema set and text that needs escaping, and hand-written variants
// of one; each must decode as json.Unmarshal decodes it.
func decodeSamples(t testing.TB) [][]byte {
	at := time.Date(2025, 3, 1, 8, 30, 0, 123456789, time.UTC)
	full := news.Article{
		ID: "abc123", URL: "https://e.example/a?x=1&y=<2>", CanonicalURL: "https://e.example/a", Source: "wire",
		SiteName: "Élan \"Daily\"", Title: "Tab\there, quote \" and backslash \\ — ünïcode 日本 🎉",
		Authors: []string{"A. Writer", "B \u2028 Writer"}, Published: at, Modified: at.Add(time.Hour),
		Language: "en", Description: "line\nbreak", Section: "World", Tags: []string{"x", ""}, Image: "https://e.example/i.jpg",
		Text: "First paragraph.\n\nSecond, with control \x01 and \x1f chars, </script> & more.", WordCount: 12,
		Topics: []string{"privacy"}, Relevance: 0.625,
		Entities:  []news.Entity{{Name: "Acme Corp", Kind: news.EntityOrg, Count: 3}, {Name: "$5 million", Kind: news.EntityMoney, Count: 1}},
		Paywall:   news.Paywall{Detected: true, Kind: news.PaywallHard, Truncated: true, Signals: []string{"prompt:subscribe"}},
		FetchedAt: at.Add(2 * time.Hour), FirstSeen: at.Add(-time.Hour), Revision: 3, Changes: []string{"title", "text"},
		Archive: &news.ArchiveRef{File: "crawl-1.warc.gz", Offset: 1 << 40, RecordID: "<urn:uuid:1234>"},
	}
	minimal := news.Article{URL: "https://e.example/b", Title: "", Text: ""}
	var out [][]byte
	for _, a := range []news.Article{full, minimal} {
		for _, kind := range []news.EventKind{news.ArticleCreated, news.ArticleUpdated} {
			b, err := json.Marshal(news.NewArticleEvent(kind, a, at))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
	}
	out = append(out, mustIndent(t, out[0]))
	for _, s := range []string{
		`{"type":"x","data":{"text":"a\u00e9\ud83c\udf89b\ud800c\udc00\u0041","title":"\/\b\f\r"}}`,
		"{\"data\":{\"text\":\"bad \xff\xfe utf-8 \xe2\x82\"}}",
		`{"data":{"word_count":-0,"relevance":1e-3,"revision":12}}`,
		`{"data":{"entities":[],"authors":[],"tags":[],"paywall":{"signals":[]}}}`,
		` {"id":"a"} `,
		`{}`,
		// Left to encoding/json.
		`{"ID":"upper","data":{"URL":"u"}}`,
		`{"id":"a","id":"b"}`,
		`{"data":{"paywall":{"kind":"hard"},"paywall":{"detected":true}}}`,
		`{"id":null,"data":{"archive":null,"authors":null}}`,
		`{"extension":"cloudevents allows it","data":{"future_field":[1,{"a":2}]}}`,
		`{"data":{"word_count":1.5}}`,
		`{"data":{"word_count":1e2}}`,
		`{"data":{"word_count":99999999999999999999}}`,
		`{"data":{"relevance":1e999}}`,
		`{"data":{"word_count":01}}`,
		`{"data":{"published":"yesterday"}}`,
		`{"data":{"published":1}}`,
		`{"data":{"text":"it\'s"}}`,
		`{"data":{"text":"\u12"}}`,
		"{\"data\":{\"text\":\"raw\nnewline\"}}",
		`{"id":"a"} x`,
		`{"id":"a",}`,
		`{"data":{"paywall":{"detected":tru}}}`,
		`[]`,
		``,
	} {
		out = append(out, []byte(s))
	}
	return out
}

func mustIndent(t testing.TB, b []byte) []byte {
	var buf strings.Builder
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(&buf)
	enc.SetIndent("\t", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return []byte(" \r\n" + buf.String())
}

// sameAsEncodingJSON fails t unless decodeEvent gives what json.Unmarshal
// gives for data: the same event, or the same error.
func sameAsEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	var got, want news.ArticleEvent
	gotErr, wantErr := decodeEvent(data, &got), json.Unmarshal(data, &want)
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("%q: error %v, want %v", data, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %+v\nwant %+v", data, got, want)
	}
}

// TestDecodeEventAsEncodingJSON checks that the consumer decodes every
// sample as encoding/json does, and that it reads the events newsdesk
// publishes itself rather than leaving them to encoding/json (its reason
// to be).
func TestDecodeEventAsEncodingJSON(t *testing.T) {
	samples := decodeSamples(t)
	for _, data := range samples {
		sameAsEncodingJSON(t, data)
	}
	for _, data := range samples[:5] {
		if !parseEvent(data, &news.ArticleEvent{}) {
			t.Errorf("a published event is left to encoding/json: %.80q", data)
		}
	}
	for _, data := range []string{`{"ID":"upper"}`, `{"id":"a","id":"b"}`, `{"id":null}`, `{"x":1}`} {
		if parseEvent([]byte(data), &news.ArticleEvent{}) {
			t.Errorf("%s is read by parseEvent; encoding/json must decide it", data)
		}
	}
}

// FuzzDecodeEvent checks decodeEvent against json.Unmarshal on any input.
func FuzzDecodeEvent(f *testing.F) {
	for _, data := range decodeSamples(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameAsEncodingJSON(t, data) })
}
