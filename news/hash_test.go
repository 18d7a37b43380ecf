package news

import (
	"strings"
	"testing"
	"time"
)

// TestContentHashUnchanged pins ContentHash and the event id to the values
// they have had since they were first written: event ids (which JetStream
// deduplicates on) and crawl state depend on them staying the same.
func TestContentHashUnchanged(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	for _, tt := range []struct {
		a       Article
		hash    string
		eventID string
	}{
		{Article{},
			"bb6cace2d48f5d85d6f17224c480f96afe78b0dff53af3dfab7072fd4b12263c",
			"e3b0c44298fc1c149afbf4c8996fb924-19e4f7b2956b86cd"},
		{Article{URL: "https://a/b", Title: "T", Authors: []string{"x", "y"}, Published: ts, Text: "hello wörld", Paywall: Paywall{Kind: PaywallNone, Truncated: true}},
			"39365d71bf021f3e488b6d722dc2aae4893b08962a7836212177e8830bf3e497",
			"c14cddc033f64b9dea80ea675cf280a0-39365d71bf021f3e"},
		{Article{CanonicalURL: "https://c", URL: "https://d", Authors: []string{"z"}, Text: strings.Repeat("t", 10000), Published: time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC)},
			"9c5fa5fba5eeb43015d63b5b65616595704d22112d7c2bb0b1f4d6e0b89c44a8",
			"46ca9a6f92fd63f54806189140a5e72b-0beef53f78824296"},
		{Article{Authors: []string{}, Title: "\x00\x1f", Paywall: Paywall{Kind: PaywallNone}},
			"d4d6065c69ec4aa04e1aa0e0ef13614ff7ce10b689b56ca4eb2558c9be6c1ffb",
			"e3b0c44298fc1c149afbf4c8996fb924-d4d6065c69ec4aa0"},
	} {
		if got := ContentHash(tt.a); got != tt.hash {
			t.Errorf("%+.80v: hash %s, was %s", tt.a, got, tt.hash)
		}
		ev := NewArticleEvent(ArticleCreated, tt.a, ts)
		if ev.ID != tt.eventID {
			t.Errorf("%+.80v: event id %s, was %s", tt.a, ev.ID, tt.eventID)
		}
		if ev2 := NewArticleEventHashed(ArticleCreated, tt.a, ts, ContentHash(tt.a)); ev2.ID != ev.ID {
			t.Errorf("hashed event id %s, want %s", ev2.ID, ev.ID)
		}
	}
}
