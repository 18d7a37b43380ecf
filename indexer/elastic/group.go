package elastic

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"newsdesk/indexer"
	"newsdesk/news"
)

// document is what the index stores: the article as published, plus fields
// the indexer derives: when the story was first seen (carried from revision
// to revision), when it last changed, and its syndication fingerprint and
// group (indexer.Fingerprint, indexer.ChooseGroup).
type document struct {
	*news.Article
	FirstSeen   time.Time `json:"first_seen,omitzero"`
	LastUpdated time.Time `json:"last_updated,omitzero"`
	// Group is the syndication group: collapse key of grouped searches.
	Group string `json:"dup_group"`
	// Bands are the LSH keys of the fingerprint, for the lookup of copies.
	Bands []string `json:"dup_bands,omitempty"`
	// Signature is the MinHash signature (kept in _source, not indexed).
	Signature string `json:"dup_sig,omitempty"`
	// Lead is the snippet of a hit without a highlighted fragment
	// (indexer.FallbackSnippet of the text), computed once here so a
	// search never fetches whole texts.
	Lead string `json:"lead,omitempty"`
	// sig is the signature Signature encodes, for pendingWrites.
	sig indexer.Signature
}

// stored is a document as searches and lookups read it back.
type stored struct {
	news.Article
	FirstSeen   time.Time `json:"first_seen"`
	LastUpdated time.Time `json:"last_updated"`
	Group       string    `json:"dup_group"`
	Signature   string    `json:"dup_sig"`
	Lead        string    `json:"lead"`
}

// lookupFields are the fields the lookup before a write needs, read from
// doc values: loading each candidate's whole _source (its text) to filter
// it was most of the lookup's cost.
var lookupFields = []string{"fetched_at", "first_seen", "dup_group", "dup_sig"}

// lookupHit is one answer of the lookup.
type lookupHit struct {
	ID     string `json:"_id"`
	Fields struct {
		FetchedAt []time.Time `json:"fetched_at"`
		FirstSeen []time.Time `json:"first_seen"`
		Group     []string    `json:"dup_group"`
		Signature []string    `json:"dup_sig"`
	} `json:"fields"`
}

func first[T any](values []T) T {
	var zero T
	if len(values) == 0 {
		return zero
	}
	return values[0]
}

// prepare makes the documents of docs[idx]: it looks up each doc's stored
// copy (to carry first_seen forward) and the stored articles that share a
// fingerprint band (to join their syndication group), see lookup, then
// groups the batch in order, so copies in the same batch group too. A
// failed lookup fails the whole batch: written without it, copies would
// start groups of their own for good.
func (ix *Index) prepare(ctx context.Context, docs []news.Article, idx []int) ([]document, error) {
	out := make([]document, len(docs))
	sigs := make([]indexer.Signature, len(docs))
	// The fingerprints and leads are a good part of a batch's CPU time in
	// Go (about 10 µs a story), spent while Elasticsearch waits: on every
	// core.
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(idx))
	for w := range workers {
		wg.Go(func() {
			for k := w; k < len(idx); k += workers {
				i := idx[k]
				a := &docs[i]
				sigs[i] = indexer.Fingerprint(a.Text)
				out[i] = document{Article: a, LastUpdated: indexer.LastUpdated(a), Bands: sigs[i].Bands(),
					Signature: sigs[i].String(), sig: sigs[i], Lead: indexer.FallbackSnippet(a.Text, indexer.SnippetLength)}
			}
		})
	}
	wg.Wait()
	found, err := ix.lookup(ctx, docs, out, idx)
	if err != nil {
		return nil, err
	}
	// Docs of this batch, and docs written by earlier batches that the
	// lookup may not see yet (ix.pending), are candidates too.
	var batch indexer.BatchGroups
	firstSeen := map[string]time.Time{} // earlier revisions in this batch
	for _, i := range idx {
		a, d := &docs[i], &out[i]
		var prior *indexer.Prior
		cands := append(ix.pending.candidates(d.Bands), batch.Candidates(d.Bands)...)
		for _, h := range found[i] {
			f := h.Fields
			if h.ID == a.ID {
				prior = &indexer.Prior{FirstSeen: first(f.FirstSeen), FetchedAt: first(f.FetchedAt)}
				continue
			}
			cands = append(cands, indexer.Member{ID: h.ID, Group: first(f.Group), Signature: indexer.ParseSignature(first(f.Signature))})
		}
		// Earlier revisions no search can see yet: in this batch, or
		// written by an earlier one since the last refresh.
		inBatch, ok1 := firstSeen[a.ID]
		written, ok2 := ix.pending.prior(a.ID)
		if ok1 || ok2 {
			if prior == nil {
				prior = &indexer.Prior{}
			}
			prior.FirstSeen = indexer.Earliest(prior.FirstSeen, inBatch, written)
		}
		d.FirstSeen = indexer.FirstSeen(a, prior)
		firstSeen[a.ID] = d.FirstSeen
		d.Group = indexer.ChooseGroup(a.ID, sigs[i], cands)
		batch.Add(indexer.Member{ID: a.ID, Group: d.Group, Signature: sigs[i]}, d.Bands)
	}
	return out, nil
}

// Bounds of the hits of lookup's one search: enough for every doc of the
// batch to get MaxGroupCandidates copies and its own stored revision, and
// at most what one search may return (index.max_result_window).
const (
	minLookupHits = 100
	maxLookupHits = 10000
)

// lookup finds, for each doc of docs[idx], the stored articles prepare
// needs: its own stored copy, asked for by id for a later revision (a
// first revision has none to carry first_seen from, unless it is a
// redelivery, whose copy shares its bands), and up to MaxGroupCandidates
// stored articles sharing a fingerprint band, most shared bands first.
//
// It asks one search for the whole batch: a search per doc (an _msearch of
// a hundred) cost more than writing the batch, because Elasticsearch pays
// each search's fixed cost while most find nothing. Hits are matched to
// the docs here, by id and by the bands of their signature. Only when that
// search finds more than it may return (stories with very many stored
// copies) does lookupEach ask per doc, each search bounded.
func (ix *Index) lookup(ctx context.Context, docs []news.Article, out []document, idx []int) (map[int][]lookupHit, error) {
	byID := map[string][]int{}   // article id -> docs of the batch
	byBand := map[string][]int{} // band -> docs of the batch with it
	var ids, bands []string
	for _, i := range idx {
		if docs[i].Revision > 1 && len(byID[docs[i].ID]) == 0 {
			ids = append(ids, docs[i].ID)
		}
		byID[docs[i].ID] = append(byID[docs[i].ID], i)
		for _, k := range out[i].Bands {
			if len(byBand[k]) == 0 {
				bands = append(bands, k)
			}
			byBand[k] = append(byBand[k], i)
		}
	}
	if len(ids) == 0 && len(bands) == 0 {
		return nil, nil
	}
	var should []obj
	if len(ids) > 0 {
		should = append(should, obj{"ids": obj{"values": ids}})
	}
	if len(bands) > 0 {
		should = append(should, obj{"terms": obj{"dup_bands": bands}})
	}
	limit := min(max(len(idx)*(indexer.MaxGroupCandidates+1), minLookupHits), maxLookupHits)
	q := obj{"size": limit, "_source": false, "docvalue_fields": lookupFields, "track_total_hits": limit + 1,
		"query": obj{"bool": obj{"filter": obj{"bool": obj{"should": should, "minimum_should_match": 1}}}}}
	var body bytes.Buffer
	if err := json.NewEncoder(&body).Encode(q); err != nil {
		return nil, fmt.Errorf("encoding lookup: %w", err)
	}
	res, err := ix.es.Search(ix.es.Search.WithContext(ctx), ix.es.Search.WithIndex(ix.alias), ix.es.Search.WithBody(&body))
	if err := check(res, err); err != nil {
		return nil, fmt.Errorf("looking up stored revisions and copies: %w", err)
	}
	defer drain(res.Body)
	var sr struct {
		Hits struct {
			Total struct {
				Value int `json:"value"`
			} `json:"total"`
			Hits []lookupHit `json:"hits"`
		} `json:"hits"`
	}
	if err := json.NewDecoder(res.Body).Decode(&sr); err != nil {
		return nil, fmt.Errorf("decoding lookup: %w", err)
	}
	if sr.Hits.Total.Value > len(sr.Hits.Hits) {
		return ix.lookupEach(ctx, docs, out, idx)
	}

	type candidate struct {
		hit    lookupHit
		shared int // bands in common
	}
	found := map[int][]lookupHit{}
	cands := map[int][]candidate{}
	for _, h := range sr.Hits.Hits {
		for _, i := range byID[h.ID] {
			found[i] = append(found[i], h)
		}
		// A stored signature's bands are what its dup_bands hold.
		shared := map[int]int{}
		for _, k := range indexer.ParseSignature(first(h.Fields.Signature)).Bands() {
			for _, i := range byBand[k] {
				if docs[i].ID != h.ID {
					shared[i]++
				}
			}
		}
		for i, n := range shared {
			cands[i] = append(cands[i], candidate{h, n})
		}
	}
	for i, cs := range cands {
		slices.SortFunc(cs, func(a, b candidate) int {
			return cmp.Or(cmp.Compare(b.shared, a.shared), cmp.Compare(a.hit.ID, b.hit.ID))
		})
		for _, c := range cs[:min(len(cs), indexer.MaxGroupCandidates)] {
			found[i] = append(found[i], c.hit)
		}
	}
	return found, nil
}

// lookupEach is lookup by one search per doc, in one _msearch: each
// returns the doc's own stored revision (boosted first) and the stored
// articles sharing most of its bands, one term clause per band.
func (ix *Index) lookupEach(ctx context.Context, docs []news.Article, out []document, idx []int) (map[int][]lookupHit, error) {
	var body bytes.Buffer
	var asked []int
	for _, i := range idx {
		a := &docs[i]
		var should []obj
		if a.Revision > 1 {
			should = append(should, obj{"ids": obj{"values": []string{a.ID}, "boost": 100}})
		}
		for _, k := range out[i].Bands {
			should = append(should, obj{"term": obj{"dup_bands": k}})
		}
		if len(should) == 0 {
			continue
		}
		q := obj{"size": indexer.MaxGroupCandidates + 1, "_source": false, "docvalue_fields": lookupFields,
			"track_total_hits": false, "query": obj{"bool": obj{"should": should, "minimum_should_match": 1}}}
		body.WriteString("{}\n")
		if err := json.NewEncoder(&body).Encode(q); err != nil {
			return nil, fmt.Errorf("encoding lookup: %w", err)
		}
		asked = append(asked, i)
	}
	found := map[int][]lookupHit{}
	if len(asked) == 0 {
		return found, nil
	}
	res, err := ix.es.Msearch(&body, ix.es.Msearch.WithContext(ctx), ix.es.Msearch.WithIndex(ix.alias))
	if err := check(res, err); err != nil {
		return nil, fmt.Errorf("looking up stored revisions and copies: %w", err)
	}
	defer drain(res.Body)
	var mr struct {
		Responses []struct {
			Error json.RawMessage `json:"error"`
			Hits  struct {
				Hits []lookupHit `json:"hits"`
			} `json:"hits"`
		} `json:"responses"`
	}
	if err := json.NewDecoder(res.Body).Decode(&mr); err != nil {
		return nil, fmt.Errorf("decoding lookup: %w", err)
	}
	if len(mr.Responses) != len(asked) {
		return nil, fmt.Errorf("lookup: %d answers to %d searches", len(mr.Responses), len(asked))
	}
	for k, r := range mr.Responses {
		if len(r.Error) > 0 {
			return nil, fmt.Errorf("lookup: %s", r.Error)
		}
		found[asked[k]] = r.Hits.Hits
	}
	return found, nil
}
