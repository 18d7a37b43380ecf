package indexertest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/indexer"
	"newsdesk/news"
)

// wireStory is one agency story that three outlets carry, each with its own
// intro line and byline.
const wireStory = `The European Commission fined the messaging company 200 million euros on Thursday for sharing user data with its advertising arm without consent, the largest penalty yet under the bloc's digital markets rules.

Regulators said the company had combined personal data across services since 2019 and ignored two formal warnings. The company said it would appeal the decision in court and called the fine disproportionate.

Consumer groups welcomed the ruling but said the amount was small compared with the firm's annual profit of more than 40 billion euros. The commission also ordered the company to stop the practice within sixty days or face daily penalties.`

// runNewsroom checks, on a fresh index, what the newsroom sees of edits and
// syndication: a later revision shows its revision, what changed and when
// the story was first seen, and can be filtered on; three outlets' copies of
// one wire story are one grouped hit "also at 2 outlets", beside two
// unrelated stories.
func runNewsroom(t *testing.T, idx indexer.Index) {
	day := func(d, h int) time.Time { return time.Date(2024, 4, d, h, 0, 0, 0, time.UTC) }
	none := news.Paywall{Kind: news.PaywallNone, Signals: []string{}}
	copyOf := func(source, intro string, published int) news.Article {
		a := article("https://"+source+".example/eu-fine", source, "en", "EU fines messaging firm",
			intro+"\n\n"+wireStory, day(published, 9), none)
		a.FetchedAt, a.Revision = day(published, 10), 1
		return a
	}
	ledger := copyOf("ledger", "By Ana Lima, Wire Service", 2)
	gazette := copyOf("gazette", "BRUSSELS (Gazette) — From our correspondent in Brussels.", 3)
	tribune := copyOf("tribune", "Reporting by Ben Okafor; editing by Clara Weiss. This story was updated at noon.", 4)
	tribune.Text = strings.Replace(tribune.Text, "sixty days", "60 days", 1)
	harbour := article("https://ledger.example/harbour", "ledger", "en", "Harbour reopens after the storm",
		"The harbour reopened on Friday after engineers repaired the sea wall that the storm had broken, and the first ferries sailed at dawn.",
		day(1, 8), none)
	harbour.FetchedAt, harbour.Revision = day(1, 9), 1
	budget := article("https://gazette.example/budget", "gazette", "en", "Council passes the budget",
		"The city council passed next year's budget by one vote, with more money for libraries and less for roads, after a debate that lasted all night.",
		day(5, 8), none)
	budget.FetchedAt, budget.Revision = day(5, 9), 1

	// One copy first, then the others in one batch with the rest: copies
	// are found both in the index and within a batch.
	storeAll(t, idx, ledger)
	storeAll(t, idx, gazette, harbour, tribune, budget)

	t.Run("OneHitPerStory", func(t *testing.T) {
		res := search(t, idx, news.Query{Group: true, Sort: news.SortDate})
		if len(res.Hits) != 3 || res.Total != 5 {
			t.Fatalf("grouped: %d hits of %d, want 3 of 5: %+v", len(res.Hits), res.Total, res.Hits)
		}
		h := res.Hits[1] // newest first: budget, the wire story's newest copy, harbour
		if h.ID != tribune.ID || h.AlsoAt != 2 || res.Hits[0].AlsoAt != 0 || res.Hits[2].AlsoAt != 0 {
			t.Errorf("grouped hits: %s also_at %d (want tribune, 2), others %d %d",
				h.URL, h.AlsoAt, res.Hits[0].AlsoAt, res.Hits[2].AlsoAt)
		}
		var at []string
		for _, c := range h.Copies {
			at = append(at, c.Source+" "+c.URL)
		}
		if want := []string{"ledger " + ledger.URL, "gazette " + gazette.URL}; !slices.Equal(at, want) {
			t.Errorf("copies = %q, want %q (oldest first)", at, want)
		}
		if h.Group == "" || h.Group == res.Hits[0].Group || h.Group == res.Hits[2].Group {
			t.Errorf("groups: %q %q %q", res.Hits[0].Group, h.Group, res.Hits[2].Group)
		}
		// A text query groups what matches it; ungrouped, every copy shows.
		res = search(t, idx, news.Query{Text: "commission fined", Group: true})
		if len(res.Hits) != 1 || res.Hits[0].AlsoAt != 2 {
			t.Errorf("grouped text query: %+v", res.Hits)
		}
		expect(t, idx, news.Query{Text: "commission fined"}, set, ledger, gazette, tribune)
		expect(t, idx, news.Query{Text: "commission", Sources: []string{"gazette", "tribune"}}, set, gazette, tribune)
		if res := search(t, idx, news.Query{Text: "commission", Group: true, Sources: []string{"gazette"}}); len(res.Hits) != 1 || res.Hits[0].AlsoAt != 0 {
			t.Errorf("grouped with a filter: %+v", res.Hits)
		}
	})
	t.Run("GroupedPages", func(t *testing.T) {
		q := news.Query{Group: true, Size: 2}
		first := search(t, idx, q)
		if len(first.Hits) != 2 || first.Next == "" {
			t.Fatalf("page 1: %d hits, next %q", len(first.Hits), first.Next)
		}
		q.After = first.Next
		second := search(t, idx, q)
		if len(second.Hits) != 1 || second.Next != "" {
			t.Fatalf("page 2: %d hits, next %q", len(second.Hits), second.Next)
		}
		ids := map[string]bool{}
		for _, h := range append(first.Hits, second.Hits...) {
			ids[h.Group] = true
		}
		if len(ids) != 3 {
			t.Errorf("pages hold %d groups, want 3", len(ids))
		}
		// Cursors of grouped and ungrouped searches do not mix.
		if _, err := idx.Search(t.Context(), news.Query{After: first.Next}); err == nil {
			t.Error("a grouped cursor was accepted by an ungrouped search")
		}
	})
	t.Run("Revisions", func(t *testing.T) {
		v2 := clone(harbour)
		v2.Revision, v2.Changes, v2.FetchedAt = 2, []string{news.ChangeText}, day(6, 9)
		v2.Text += " A second ferry line resumes next week."
		v2.Modified = day(6, 8)
		storeAll(t, idx, v2)
		h := oneHit(t, idx, news.Query{Text: "ferry"}, harbour)
		if h.Revision != 2 || !slices.Equal(h.Changes, []string{news.ChangeText}) || !h.Edited() {
			t.Errorf("edited hit: revision %d, changes %q", h.Revision, h.Changes)
		}
		if !h.FirstSeen.Equal(harbour.FetchedAt) || !h.LastUpdated.Equal(v2.Modified) {
			t.Errorf("first_seen %v (want %v), last_updated %v (want %v)", h.FirstSeen, harbour.FetchedAt, h.LastUpdated, v2.Modified)
		}
		h = oneHit(t, idx, news.Query{Sources: []string{"gazette"}, Text: "budget"}, budget)
		if h.Revision != 1 || len(h.Changes) != 0 || !h.FirstSeen.Equal(budget.FetchedAt) {
			t.Errorf("unedited hit: revision %d, changes %q, first seen %v", h.Revision, h.Changes, h.FirstSeen)
		}
		expect(t, idx, news.Query{Edited: true}, ordered, v2)
		expect(t, idx, news.Query{Edited: true, Text: "budget"}, set)
		if res := search(t, idx, news.Query{Edited: true, Group: true}); len(res.Hits) != 1 || res.Hits[0].Revision != 2 {
			t.Errorf("edited, grouped: %+v", res.Hits)
		}
		// A third revision keeps the first fetch time, also when stored
		// in one batch with the second.
		v3 := clone(v2)
		v3.Revision, v3.FetchedAt, v3.Title = 3, day(7, 9), "Harbour reopens, ferries sail"
		v3.Changes = []string{news.ChangeTitle}
		storeAll(t, idx, v2, v3)
		h = oneHit(t, idx, news.Query{Text: "ferry"}, harbour)
		if h.Revision != 3 || !h.FirstSeen.Equal(harbour.FetchedAt) {
			t.Errorf("revision 3: revision %d, first seen %v", h.Revision, h.FirstSeen)
		}
		// A revision whose first the index never stored (a batch holding
		// both keeps only the newest) is first seen when its event says.
		late := article("https://tribune.example/museum", "tribune", "en", "Museum reopens its east wing",
			"The museum reopened its east wing after a year of repairs to the roof and the old galleries.", day(2, 8), none)
		late.Revision, late.Changes, late.FetchedAt, late.FirstSeen = 2, []string{news.ChangeText}, day(8, 9), day(2, 9)
		storeAll(t, idx, late)
		h = oneHit(t, idx, news.Query{Text: "museum"}, late)
		if h.Revision != 2 || !h.FirstSeen.Equal(late.FirstSeen) {
			t.Errorf("revision 2 without its first: revision %d, first seen %v, want %v", h.Revision, h.FirstSeen, late.FirstSeen)
		}
	})
}

// storeAll stores docs and fails on any error.
func storeAll(t *testing.T, idx indexer.Index, docs ...news.Article) {
	t.Helper()
	for i, err := range idx.Store(t.Context(), docs) {
		if err != nil {
			t.Fatalf("Store(%s): %v", docs[i].URL, err)
		}
	}
}
