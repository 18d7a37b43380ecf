package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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

// prepare makes the documents of docs[idx]: it looks up, in one _msearch,
// each doc's stored copy when it is a later revision (to carry first_seen
// forward) and the stored articles that share a fingerprint band (to join
// their syndication group), then groups the batch in order, so copies in
// the same batch group too. A failed lookup fails the whole batch: written
// without it, copies would start groups of their own for good.
func (ix *Index) prepare(ctx context.Context, docs []news.Article, idx []int) ([]document, error) {
	out := make([]document, len(docs))
	sigs := make([]indexer.Signature, len(docs))
	var body bytes.Buffer
	var asked []int
	for _, i := range idx {
		a := &docs[i]
		sigs[i] = indexer.Fingerprint(a.Text)
		out[i] = document{Article: a, LastUpdated: indexer.LastUpdated(a), Bands: sigs[i].Bands(),
			Signature: sigs[i].String(), Lead: indexer.FallbackSnippet(a.Text, indexer.SnippetLength)}
		// One term clause per band, so candidates sharing more bands
		// (more similar) rank first.
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
	if len(asked) > 0 {
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
	}
	var batch indexer.BatchGroups
	firstSeen := map[string]time.Time{} // earlier revisions in this batch
	for _, i := range idx {
		a, d := &docs[i], &out[i]
		var prior *indexer.Prior
		cands := batch.Candidates(d.Bands)
		for _, h := range found[i] {
			f := h.Fields
			if h.ID == a.ID {
				prior = &indexer.Prior{FirstSeen: first(f.FirstSeen), FetchedAt: first(f.FetchedAt)}
				continue
			}
			cands = append(cands, indexer.Member{ID: h.ID, Group: first(f.Group), Signature: indexer.ParseSignature(first(f.Signature))})
		}
		if t, ok := firstSeen[a.ID]; ok {
			if prior == nil {
				prior = &indexer.Prior{}
			}
			if prior.FirstSeen.IsZero() || t.Before(prior.FirstSeen) {
				prior.FirstSeen = t
			}
		}
		d.FirstSeen = indexer.FirstSeen(a, prior)
		firstSeen[a.ID] = d.FirstSeen
		d.Group = indexer.ChooseGroup(a.ID, sigs[i], cands)
		batch.Add(indexer.Member{ID: a.ID, Group: d.Group, Signature: sigs[i]}, d.Bands)
	}
	return out, nil
}
