package indexer

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"newsdesk/news"
	"newsdesk/syndication"
)

// The write path is the same on every backend, so it is written once here:
// derive what the index keeps besides the article (fingerprint, lead, last
// change), look up what is stored, drop revisions older than the stored
// one, carry first_seen forward, choose the syndication group, write. A
// backend only answers Lookup and Write (Backend); its Store checks what it
// cannot take and calls Write.

// Document is an article with what the indexer derives from it: what every
// backend stores (as its Record) and indexes.
type Document struct {
	*news.Article
	// FirstSeen is when newsdesk first fetched the story (FirstSeen).
	FirstSeen time.Time
	// LastUpdated is when the story last changed (LastUpdated).
	LastUpdated time.Time
	// Group is the syndication group: the collapse key of grouped searches.
	Group string
	// Signature is the text's MinHash signature, and Bands its LSH keys,
	// indexed for the lookup of copies.
	Signature syndication.Signature
	Bands     []string
	// Lead is the snippet of a hit without a highlighted fragment
	// (FallbackSnippet of the text), computed once here so a search never
	// fetches whole texts.
	Lead string
}

// Record is the JSON a backend stores for a Document and reads back
// (Elasticsearch's _source, the embedded index's raw field): the article as
// published plus the derived fields, under the names the mappings use.
type Record struct {
	news.Article
	FirstSeen   time.Time `json:"first_seen,omitzero"`
	LastUpdated time.Time `json:"last_updated,omitzero"`
	Group       string    `json:"dup_group,omitempty"`
	Bands       []string  `json:"dup_bands,omitempty"`
	Signature   string    `json:"dup_sig,omitempty"`
	Lead        string    `json:"lead,omitempty"`
}

// Record is d as stored; withBands false leaves the bands out, for a
// backend that indexes them apart from the record.
func (d *Document) Record(withBands bool) Record {
	r := Record{Article: *d.Article, FirstSeen: d.FirstSeen, LastUpdated: d.LastUpdated, Group: d.Group,
		Signature: d.Signature.String(), Lead: d.Lead}
	if withBands {
		r.Bands = d.Bands
	}
	return r
}

// Found is what a backend's Lookup knows of one document to be written.
type Found struct {
	// Self is the stored revision of the same article, nil when none is
	// known.
	Self *Stored
	// Copies are stored articles that share a band of the document's
	// fingerprint: candidates for its syndication group.
	Copies []syndication.Member
}

// Stored is what the writer needs of an article's stored revision.
type Stored struct {
	Prior
	// Revision is the stored revision (Revision), or 0 when the backend
	// does not say because it checks revisions itself when writing.
	Revision int64
}

// Backend is what the writer needs of an index.
type Backend interface {
	// Lookup answers, for each doc (in order), its stored revision and the
	// stored copies sharing a band. A failed lookup fails the whole batch:
	// written without it, copies would start groups of their own for good.
	Lookup(ctx context.Context, docs []*Document) ([]Found, error)
	// Write stores docs and returns one entry per doc: nil when stored (or
	// already stored at a higher revision), else why not.
	Write(ctx context.Context, docs []*Document) []error
}

// Write prepares docs and writes them through b. errs has one entry per
// doc; a doc whose entry is already set (refused by the backend's own
// checks) is left alone, the others get their outcome. A doc older than
// the stored revision, or than another revision in docs, is answered nil
// and not written, so a late event cannot undo an edit.
func Write(ctx context.Context, b Backend, docs []news.Article, errs []error) {
	var idx []int
	for i := range docs {
		if errs[i] == nil {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return
	}
	prepared, err := Prepare(ctx, b, docs, idx)
	if err != nil {
		for _, i := range idx {
			errs[i] = err
		}
		return
	}
	var write []*Document
	var at []int
	for k, d := range prepared {
		if d != nil {
			write = append(write, d)
			at = append(at, idx[k])
		}
	}
	if len(write) == 0 {
		return
	}
	for k, err := range b.Write(ctx, write) {
		errs[at[k]] = err
	}
}

// Prepare makes the documents of docs[idx], in that order: derived fields,
// then one Lookup, then first_seen and the syndication group of each in
// order, so copies and revisions within the batch see each other. A doc
// that is older than what is stored is nil: nothing to write.
func Prepare(ctx context.Context, b Backend, docs []news.Article, idx []int) ([]*Document, error) {
	out := derive(docs, idx)
	found, err := b.Lookup(ctx, out)
	if err != nil {
		return nil, err
	}
	if len(found) != len(out) {
		return nil, fmt.Errorf("looking up stored revisions and copies: %d answers for %d documents", len(found), len(out))
	}
	var batch syndication.BatchGroups
	type seen struct {
		firstSeen time.Time
		revision  int64
	}
	inBatch := map[string]seen{} // earlier revisions in this batch
	for k, d := range out {
		var prior *Prior
		stored := int64(0)
		if s := found[k].Self; s != nil {
			prior, stored = &Prior{FirstSeen: s.FirstSeen, FetchedAt: s.FetchedAt}, s.Revision
		}
		if e, ok := inBatch[d.ID]; ok {
			if prior == nil {
				prior = &Prior{}
			}
			prior.FirstSeen = Earliest(prior.FirstSeen, e.firstSeen)
			stored = max(stored, e.revision)
		}
		if Revision(d.Article) < stored {
			out[k] = nil
			continue
		}
		d.FirstSeen = FirstSeen(d.Article, prior)
		d.Group = syndication.ChooseGroup(d.ID, d.Signature, slices.Concat(found[k].Copies, batch.Candidates(d.Bands)))
		inBatch[d.ID] = seen{d.FirstSeen, Revision(d.Article)}
		batch.Add(syndication.Member{ID: d.ID, Group: d.Group, Signature: d.Signature}, d.Bands)
	}
	return out, nil
}

// derive computes the fields of docs[idx] that depend on the article alone.
// The fingerprints and leads are a good part of a batch's CPU time (about
// 10 µs a story), spent while the backend waits: on every core.
func derive(docs []news.Article, idx []int) []*Document {
	out := make([]*Document, len(idx))
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(idx))
	for w := range workers {
		wg.Go(func() {
			for k := w; k < len(idx); k += workers {
				a := &docs[idx[k]]
				sig := syndication.Fingerprint(a.Text)
				out[k] = &Document{Article: a, LastUpdated: LastUpdated(a), Signature: sig, Bands: sig.Bands(),
					Lead: FallbackSnippet(a.Text, SnippetLength)}
			}
		})
	}
	wg.Wait()
	return out
}
