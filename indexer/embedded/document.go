package embedded

import (
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"newsdesk/indexer"
	"newsdesk/syndication"
)

// Fields of the syndication fingerprint in the bleve index.
const (
	groupField = "dup_group"
	bandsField = "dup_bands"
	sigField   = "dup_sig"
)

// document is what the raw field stores: the article as published (Get
// returns just that), plus what the indexer derives, as in the
// Elasticsearch backend (indexer.Record; the bands are indexed apart).
type document = indexer.Record

// candidates are the stored articles that share a fingerprint band.
func (ix *Index) candidates(bands []string) ([]syndication.Member, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	qs := make([]query.Query, len(bands))
	for i, b := range bands {
		t := query.NewTermQuery(b)
		t.SetField(bandsField)
		qs[i] = t
	}
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), syndication.MaxCandidates+1, 0, false)
	req.Fields = []string{groupField, sigField}
	res, err := ix.bleve.Search(req)
	if err != nil {
		return nil, fmt.Errorf("looking up copies: %w", err)
	}
	out := make([]syndication.Member, 0, len(res.Hits))
	for _, h := range res.Hits {
		g, _ := h.Fields[groupField].(string)
		s, _ := h.Fields[sigField].(string)
		out = append(out, syndication.Member{ID: h.ID, Group: g, Signature: syndication.ParseSignature(s)})
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
