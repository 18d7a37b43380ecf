package embedded

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"newsdesk/indexer"
	"newsdesk/news"
)

// Fields of the syndication fingerprint in the bleve index.
const (
	groupField = "dup_group"
	bandsField = "dup_bands"
	sigField   = "dup_sig"
)

// document is what the raw field stores: the article as published (Get
// returns just that), plus what the indexer derives, as in the
// Elasticsearch backend: first_seen carried from revision to revision,
// last_updated, the syndication group and fingerprint, and the fallback
// snippet (lead).
type document struct {
	news.Article
	FirstSeen   time.Time `json:"first_seen,omitzero"`
	LastUpdated time.Time `json:"last_updated,omitzero"`
	Group       string    `json:"dup_group,omitempty"`
	Signature   string    `json:"dup_sig,omitempty"`
	Lead        string    `json:"lead,omitempty"`
}

// candidates are the stored articles that share a fingerprint band.
func (ix *Index) candidates(bands []string) ([]indexer.Member, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	qs := make([]query.Query, len(bands))
	for i, b := range bands {
		t := query.NewTermQuery(b)
		t.SetField(bandsField)
		qs[i] = t
	}
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), indexer.MaxGroupCandidates+1, 0, false)
	req.Fields = []string{groupField, sigField}
	res, err := ix.bleve.Search(req)
	if err != nil {
		return nil, fmt.Errorf("looking up copies: %w", err)
	}
	out := make([]indexer.Member, 0, len(res.Hits))
	for _, h := range res.Hits {
		g, _ := h.Fields[groupField].(string)
		s, _ := h.Fields[sigField].(string)
		out = append(out, indexer.Member{ID: h.ID, Group: g, Signature: indexer.ParseSignature(s)})
	}
	return out, nil
}

// decodeDocument reads the raw field.
func decodeDocument(id string, raw []byte) (*document, error) {
	var d document
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("decoding article %s: %w", id, err)
	}
	return &d, nil
}
