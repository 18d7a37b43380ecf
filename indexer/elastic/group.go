package elastic

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"newsdesk/indexer"
	"newsdesk/syndication"
)

// stored is a document as searches read it back (the hitFields of its
// _source).
type stored = indexer.Record

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

// writer is the Index as the indexer's write path sees it
// (indexer.Backend): it looks up and writes, the indexer does the rest.
type writer struct{ ix *Index }

// Lookup finds each doc's stored copy (to carry first_seen forward) and the
// stored articles that share a fingerprint band (to join their syndication
// group), see lookup. Documents written by earlier batches that no search
// can see yet (ix.pending) are found too. Elasticsearch checks revisions
// itself when writing (external versioning), so Self.Revision stays 0.
func (w writer) Lookup(ctx context.Context, docs []*indexer.Document) ([]indexer.Found, error) {
	ix := w.ix
	// Pending writes first: one that a refresh forgets after this has been
	// made searchable by it, so the search below finds it. Read after the
	// search, a refresh finishing in between would hide it from both.
	out := make([]indexer.Found, len(docs))
	copies, written := ix.pending.lookup(docs)
	for k := range docs {
		out[k].Copies = copies[k]
	}
	hits, err := ix.lookup(ctx, docs)
	if err != nil {
		return nil, err
	}
	for k, d := range docs {
		f := &out[k]
		for _, h := range hits[k] {
			if h.ID == d.ID {
				f.Self = &indexer.Stored{Prior: indexer.Prior{FirstSeen: first(h.Fields.FirstSeen), FetchedAt: first(h.Fields.FetchedAt)}}
				continue
			}
			f.Copies = append(f.Copies, syndication.Member{ID: h.ID, Group: first(h.Fields.Group),
				Signature: syndication.ParseSignature(first(h.Fields.Signature))})
		}
		// An earlier revision written since the last refresh.
		if written[k] != nil {
			if f.Self == nil {
				f.Self = &indexer.Stored{}
			}
			f.Self.FirstSeen = indexer.Earliest(f.Self.FirstSeen, *written[k])
		}
	}
	return out, nil
}

// Bounds of the hits of lookup's one search: enough for every doc of the
// batch to get syndication.MaxCandidates copies and its own stored revision, and
// at most what one search may return (index.max_result_window).
const (
	minLookupHits = 100
	maxLookupHits = 10000
)

// lookup finds, for each doc of docs (by index), the stored articles
// Lookup needs: its own stored copy, asked for by id for a later revision (a
// first revision has none to carry first_seen from, unless it is a
// redelivery, whose copy shares its bands), and up to syndication.MaxCandidates
// stored articles sharing a fingerprint band, most shared bands first.
//
// It asks one search for the whole batch: a search per doc (an _msearch of
// a hundred) cost more than writing the batch, because Elasticsearch pays
// each search's fixed cost while most find nothing. Hits are matched to
// the docs here, by id and by the bands of their signature. Only when that
// search finds more than it may return (stories with very many stored
// copies) does lookupEach ask per doc, each search bounded.
func (ix *Index) lookup(ctx context.Context, docs []*indexer.Document) (map[int][]lookupHit, error) {
	byID := make(map[string][]int, len(docs))                              // article id -> docs of the batch
	byBand := make(map[string][]int, len(docs)*syndication.SignatureBands) // band -> docs of the batch with it
	var ids, bands []string
	for i, d := range docs {
		if d.Revision > 1 && len(byID[d.ID]) == 0 {
			ids = append(ids, d.ID)
		}
		byID[d.ID] = append(byID[d.ID], i)
		for _, k := range d.Bands {
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
	limit := min(max(len(docs)*(syndication.MaxCandidates+1), minLookupHits), maxLookupHits)
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
		return ix.lookupEach(ctx, docs)
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
		for _, k := range syndication.ParseSignature(first(h.Fields.Signature)).Bands() {
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
		for _, c := range cs[:min(len(cs), syndication.MaxCandidates)] {
			found[i] = append(found[i], c.hit)
		}
	}
	return found, nil
}

// lookupEach is lookup by one search per doc, in one _msearch: each
// returns the doc's own stored revision (boosted first) and the stored
// articles sharing most of its bands, one term clause per band.
func (ix *Index) lookupEach(ctx context.Context, docs []*indexer.Document) (map[int][]lookupHit, error) {
	var body bytes.Buffer
	var asked []int
	for i, d := range docs {
		var should []obj
		if d.Revision > 1 {
			should = append(should, obj{"ids": obj{"values": []string{d.ID}, "boost": 100}})
		}
		for _, k := range d.Bands {
			should = append(should, obj{"term": obj{"dup_bands": k}})
		}
		if len(should) == 0 {
			continue
		}
		q := obj{"size": syndication.MaxCandidates + 1, "_source": false, "docvalue_fields": lookupFields,
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
