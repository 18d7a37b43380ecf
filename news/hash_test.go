package news

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"
)

// contentHashV1 is ContentHash as first written; event ids and crawl state
// depend on the value staying the same.
func contentHashV1(a Article) string {
	h := sha256.New()
	for _, s := range []string{a.Key(), a.Title, strings.Join(a.Authors, "\x1f"),
		a.Published.UTC().Format(time.RFC3339), a.Text, string(a.Paywall.Kind),
		fmt.Sprint(a.Paywall.Truncated)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestContentHashUnchanged(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	for _, a := range []Article{
		{},
		{URL: "https://a/b", Title: "T", Authors: []string{"x", "y"}, Published: ts, Text: "hello wörld", Paywall: Paywall{Kind: PaywallNone, Truncated: true}},
		{CanonicalURL: "https://c", URL: "https://d", Authors: []string{"z"}, Text: strings.Repeat("t", 10000), Published: time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Authors: []string{}, Title: "\x00\x1f", Paywall: Paywall{Kind: PaywallNone}},
	} {
		if got, want := ContentHash(a), contentHashV1(a); got != want {
			t.Errorf("%+v: hash %s, was %s", a, got, want)
		}
		ev := NewArticleEvent(ArticleCreated, a, ts)
		withDefaults := a
		if withDefaults.Paywall.Kind == "" {
			withDefaults.Paywall.Kind = PaywallNone
		}
		if want := DocID(a.Key()) + "-" + contentHashV1(withDefaults)[:16] + revisionSuffix(a.Revision); ev.ID != want {
			t.Errorf("event id %s, was %s", ev.ID, want)
		}
		if ev2 := NewArticleEventHashed(ArticleCreated, a, ts, ContentHash(a)); ev2.ID != ev.ID {
			t.Errorf("hashed event id %s, want %s", ev2.ID, ev.ID)
		}
	}
}
