package elastic

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/indexer"
	"newsdesk/news"
	"newsdesk/syndication"
)

// TestPendingWritesForgetsIncrementally checks that what the lookup finds
// among pending writes, after refreshes forgot some of them, is what a
// BatchGroups rebuilt from the writes still pending finds: the copies
// sharing a band (each once; the order does not matter) and the earliest
// first_seen of an article's pending revisions; and that once every write
// is forgotten nothing is left of them.
func TestPendingWritesForgetsIncrementally(t *testing.T) {
	p := newPendingWrites(nil, time.Hour)
	p.closed = true // no refresh timer: the test forgets by hand

	base := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	var all []*indexer.Document
	doc := func(n, story int, id string) *indexer.Document {
		words := make([]string, 80)
		for i := range words {
			words[i] = fmt.Sprintf("s%dw%d", story, i)
		}
		words[n%80] = fmt.Sprintf("edit%d", n) // copies differ a little
		sig := syndication.Fingerprint(strings.Join(words, " "))
		return &indexer.Document{Article: &news.Article{ID: id}, FirstSeen: base.Add(time.Duration(n%7) * time.Hour),
			Signature: sig, Bands: sig.Bands(), Group: fmt.Sprintf("g%d", story)}
	}
	for batch := range 6 {
		var docs []*indexer.Document
		for j := range 5 {
			n := batch*5 + j
			docs = append(docs, doc(n, n%4, fmt.Sprintf("id%d", n%9))) // some ids written twice
		}
		all = append(all, docs...)
		p.add(docs)
	}

	probe := []*indexer.Document{doc(100, 0, "id1"), doc(101, 1, "id4"), doc(102, 3, "nothing"), doc(103, 5, "id8")}
	check := func(pending []*indexer.Document) {
		t.Helper()
		var want syndication.BatchGroups
		firstSeen := map[string]time.Time{}
		for _, d := range pending {
			want.Add(syndication.Member{ID: d.ID, Group: d.Group, Signature: d.Signature}, d.Bands)
			firstSeen[d.ID] = indexer.Earliest(firstSeen[d.ID], d.FirstSeen)
		}
		copies, prior := p.lookup(probe)
		shared := 0
		for k, d := range probe {
			w := want.Candidates(d.Bands)
			shared += len(w)
			if got, want := ids(copies[k]), ids(w); !slices.Equal(got, want) {
				t.Errorf("%d pending: copies of probe %d: %v, want %v", len(pending), k, got, want)
			}
			wt, ok := firstSeen[d.ID]
			switch {
			case ok != (prior[k] != nil):
				t.Errorf("%d pending: prior of %s: %v, want one: %v", len(pending), d.ID, prior[k], ok)
			case ok && !prior[k].Equal(wt):
				t.Errorf("%d pending: first_seen of %s: %v, want %v", len(pending), d.ID, *prior[k], wt)
			}
		}
		if len(pending) == len(all) && shared == 0 {
			t.Fatal("no probe shares a band with a pending write: the test checks nothing")
		}
	}
	check(all)
	for _, upTo := range []int{5, 12, 12, 23, 30} {
		p.forget(uint64(upTo))
		check(all[upTo:])
	}
	if len(p.docs) != 0 || p.byBand.len() != 0 || len(p.byID) != 0 {
		t.Errorf("all forgotten: %d docs, %d bands, %d ids left", len(p.docs), p.byBand.len(), len(p.byID))
	}
}

// ids are the id and group of each member, sorted.
func ids(ms []syndication.Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID+"/"+m.Group)
	}
	slices.Sort(out)
	return out
}
