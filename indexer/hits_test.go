package indexer

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"newsdesk/news"
)

// TestHitOfAnOldDocument checks what a hit shows of a document stored
// before lead, first_seen and dup_group existed: what the record allows to
// derive, as a document stored today would show.
func TestHitOfAnOldDocument(t *testing.T) {
	fetched := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	r := &Record{Article: news.Article{ID: "a", Title: "Harbour", Text: "The <harbour> reopened.", FetchedAt: fetched}}
	h := Match{ID: "a", Record: r, Score: 2.5}.Hit(false)
	if h.Snippet != "The &lt;harbour&gt; reopened." || !h.FirstSeen.Equal(fetched) || h.Group != "a" || h.Revision != 1 {
		t.Errorf("old document: snippet %q, first_seen %v, group %q, revision %d", h.Snippet, h.FirstSeen, h.Group, h.Revision)
	}
	if h.Score != 0 {
		t.Errorf("score %v on a page not ordered by score", h.Score)
	}
	// A highlighted fragment is the snippet, before the lead.
	r.Lead = "lead"
	h = Match{ID: "a", Record: r, Score: 2.5, Fragments: []string{"<mark>harbour</mark>", "second"}}.Hit(true)
	if h.Snippet != "<mark>harbour</mark>" || h.Score != 2.5 {
		t.Errorf("highlighted hit: snippet %q, score %v", h.Snippet, h.Score)
	}
	if h = (Match{ID: "a", Record: r}).Hit(true); h.Snippet != "lead" {
		t.Errorf("hit without fragments: snippet %q, want the lead", h.Snippet)
	}
}

func TestResultsHasACursorOnlyOnAFullPage(t *testing.T) {
	ms := []Match{{ID: "a", Record: &Record{}}, {ID: "b", Record: &Record{}}}
	cursor := func() string { return "next" }
	if res := Results(7, ms, 2, false, cursor); res.Next != "next" || res.Total != 7 || len(res.Hits) != 2 || res.Hits[1].ID != "b" {
		t.Errorf("full page: %+v", res)
	}
	if res := Results(2, ms, 3, false, cursor); res.Next != "" {
		t.Errorf("last page has Next %q", res.Next)
	}
	if res := Results(0, nil, 3, false, cursor); res.Hits == nil || res.Next != "" {
		t.Errorf("no match: hits %v, next %q; want an empty list, no cursor", res.Hits, res.Next)
	}
}

func TestSetCopiesSkipsTheHitAndCaps(t *testing.T) {
	h := news.Hit{ID: "c3"}
	var copies []news.Copy
	for i := range news.MaxCopies + 2 {
		copies = append(copies, news.Copy{ID: fmt.Sprintf("c%d", i)})
	}
	SetCopies(&h, len(copies)-1, copies)
	if h.AlsoAt != news.MaxCopies+1 || len(h.Copies) != news.MaxCopies {
		t.Fatalf("also at %d, %d copies listed; want %d, %d", h.AlsoAt, len(h.Copies), news.MaxCopies+1, news.MaxCopies)
	}
	if slices.ContainsFunc(h.Copies, func(c news.Copy) bool { return c.ID == h.ID }) || h.Copies[3].ID != "c4" {
		t.Errorf("copies %v list the hit itself or are out of order", h.Copies)
	}
}

func TestFacetsOrder(t *testing.T) {
	f := Facets(func(name string) map[string]int {
		switch name {
		case "sources":
			return map[string]int{"b": 2, "a": 2, "c": 5, "none": 0}
		case MonthsFacet:
			return map[string]int{"2024-03": 1, "2023-12": 4}
		}
		return nil
	})
	if got := fmt.Sprint(f.Sources); got != "[{c 5} {a 2} {b 2}]" {
		t.Errorf("sources %s: want most first, ties by value, no zero counts", got)
	}
	if got := fmt.Sprint(f.Months); got != "[{2023-12 4} {2024-03 1}]" {
		t.Errorf("months %s: want oldest first", got)
	}
	if f.Topics == nil || len(f.Topics) != 0 {
		t.Errorf("topics without counts: %#v, want an empty list", f.Topics)
	}
}
