package indexer

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
	"newsdesk/syndication"
)

// mapBackend is the smallest real backend: stored documents in a map,
// looked up by ID and by band.
type mapBackend struct {
	docs      map[string]Document
	lookupErr error
	refuse    map[string]error // Write's answer by article ID
	looked    []string         // IDs Lookup was asked about
}

func (m *mapBackend) Lookup(_ context.Context, docs []*Document) ([]Found, error) {
	if m.lookupErr != nil {
		return nil, m.lookupErr
	}
	out := make([]Found, len(docs))
	for k, d := range docs {
		m.looked = append(m.looked, d.ID)
		if s, ok := m.docs[d.ID]; ok {
			out[k].Self = &Stored{Prior: Prior{FirstSeen: s.FirstSeen, FetchedAt: s.FetchedAt}, Revision: Revision(s.Article)}
		}
		for _, s := range m.docs {
			if s.ID != d.ID && len(s.Bands) > 0 && slices.ContainsFunc(d.Bands, func(b string) bool { return slices.Contains(s.Bands, b) }) {
				out[k].Copies = append(out[k].Copies, syndication.Member{ID: s.ID, Group: s.Group, Signature: s.Signature})
			}
		}
	}
	return out, nil
}

func (m *mapBackend) Write(_ context.Context, docs []*Document) []error {
	errs := make([]error, len(docs))
	for k, d := range docs {
		if errs[k] = m.refuse[d.ID]; errs[k] == nil {
			a := *d.Article
			c := *d
			c.Article = &a
			m.docs[d.ID] = c
		}
	}
	return errs
}

// The write path both backends share: what it derives, that a late older
// revision changes nothing, that first_seen survives revisions within a
// batch and across batches, that copies join the first copy's group, and
// that each doc gets its own outcome.
func TestWriteDerivesGroupsAndKeepsTheNewestRevision(t *testing.T) {
	wire := strings.Repeat("The commission fined the messaging company for sharing user data without consent. ", 6)
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	art := func(id, intro string, rev int, at time.Time) news.Article {
		return news.Article{ID: id, URL: "https://e.example/" + id, Revision: rev, FetchedAt: at, Text: intro + " " + wire}
	}
	b := &mapBackend{docs: map[string]Document{}}
	write := func(docs ...news.Article) []error {
		errs := make([]error, len(docs))
		Write(t.Context(), b, docs, errs)
		return errs
	}
	for _, err := range write(art("a", "Outlet A.", 1, t0)) {
		if err != nil {
			t.Fatal(err)
		}
	}
	a := b.docs["a"]
	if a.Group != "a" || len(a.Bands) == 0 || a.Lead == "" || !a.FirstSeen.Equal(t0) || !a.LastUpdated.Equal(t0) {
		t.Fatalf("first write: group %q, %d bands, lead %q, first_seen %v, last_updated %v", a.Group, len(a.Bands), a.Lead, a.FirstSeen, a.LastUpdated)
	}
	// A copy in the index and one in the same batch; revision 3 of a, then
	// its late revision 2 in the same batch; revision 2 again later.
	errs := write(art("b", "Outlet B.", 1, t0.Add(time.Hour)), art("c", "Outlet C.", 1, t0.Add(2*time.Hour)),
		art("a", "Outlet A, updated.", 3, t0.Add(3*time.Hour)), art("a", "Outlet A, older.", 2, t0.Add(4*time.Hour)))
	for i, err := range errs {
		if err != nil {
			t.Errorf("doc %d: %v", i, err)
		}
	}
	if g := b.docs["b"].Group + " " + b.docs["c"].Group; g != "a a" {
		t.Errorf("copies' groups %q, want a a", g)
	}
	if a := b.docs["a"]; a.Revision != 3 || !a.FirstSeen.Equal(t0) {
		t.Errorf("a: revision %d, first_seen %v; want 3, %v", a.Revision, a.FirstSeen, t0)
	}
	if errs := write(art("a", "Outlet A, late.", 2, t0.Add(5*time.Hour))); errs[0] != nil || b.docs["a"].Revision != 3 {
		t.Errorf("late revision 2: error %v, stored revision %d; want nil, 3", errs[0], b.docs["a"].Revision)
	}
}

// A doc the backend refused before the write path is neither looked up nor
// written; a failed lookup is every other doc's error; Write's errors land
// on their own docs.
func TestWriteReportsEachDocsOutcome(t *testing.T) {
	refused := errors.New("refused by the backend's checks")
	b := &mapBackend{docs: map[string]Document{}, refuse: map[string]error{"y": errors.New("mapping conflict")}}
	docs := []news.Article{{ID: "x", Text: "one story"}, {ID: "bad"}, {ID: "y", Text: "another story"}}
	errs := []error{nil, refused, nil}
	Write(t.Context(), b, docs, errs)
	if errs[0] != nil || errs[1] != refused || errs[2] == nil || errs[2].Error() != "mapping conflict" {
		t.Errorf("errors %v", errs)
	}
	if slices.Contains(b.looked, "bad") {
		t.Error("a refused doc was looked up")
	}
	b.lookupErr = errors.New("index unreachable")
	errs = []error{nil, refused, nil}
	Write(t.Context(), b, docs, errs)
	if !errors.Is(errs[0], b.lookupErr) || errs[1] != refused || !errors.Is(errs[2], b.lookupErr) {
		t.Errorf("after a failed lookup: errors %v", errs)
	}
}
