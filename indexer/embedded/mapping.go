package embedded

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

type indexMapping = mapping.IndexMappingImpl

// Names in the bleve index.
const (
	// textAnalyzer mirrors Elasticsearch's "standard" analyzer: Unicode word
	// segmentation (UAX #29) and lower case, no stop words. (bleve's own
	// "standard" drops English stop words, so "the" would match nothing.)
	textAnalyzer = "newsdesk_text"
	// rawField stores the article as JSON, for Get and for hits.
	rawField = "raw"
	// monthField is the UTC month of publication, "2024-03", for the month
	// facet (bleve has no date histogram).
	monthField = "published_month"
	// sortDateField is the published time, or missingDate without one: a
	// sort key every document has, so that a search_after cursor never
	// holds bleve's missing-value sentinel, which it cannot parse back.
	sortDateField = "sort_date"
)

// newIndexMapping is the index's schema, the same fields as the Elasticsearch
// mapping: keyword fields match exactly, title and text are analyzed, dates
// sort and filter. Nothing outside it is indexed.
func newIndexMapping() (*indexMapping, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = textAnalyzer
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = true // sort on id
		return f
	}
	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = textAnalyzer
		f.Store = store             // the highlighter reads the stored text
		f.IncludeTermVectors = true // phrases and highlight positions
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	date := func() *mapping.FieldMapping {
		f := bleve.NewDateTimeFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = true // sort newest first
		return f
	}
	boolean := func() *mapping.FieldMapping {
		f := bleve.NewBooleanFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		return f
	}

	doc := bleve.NewDocumentStaticMapping()
	for _, name := range []string{"id", "url", "canonical_url", "source", "site_name",
		"authors", "language", "section", "tags", "topics", "entities", "changes", bandsField} {
		doc.AddFieldMappingsAt(name, kw())
	}
	doc.AddFieldMappingsAt("title", text(false))
	doc.AddFieldMappingsAt("text", text(true))
	doc.AddFieldMappingsAt("description", text(false))
	group := kw()
	group.Store = true // read back when a copy of the story comes in
	doc.AddFieldMappingsAt(groupField, group)
	sig := bleve.NewTextFieldMapping()
	sig.Index, sig.Store, sig.IncludeInAll, sig.IncludeTermVectors, sig.DocValues = false, true, false, false, false
	doc.AddFieldMappingsAt(sigField, sig)
	for _, name := range []string{"published", "modified", "fetched_at", "first_seen", "last_updated", sortDateField} {
		doc.AddFieldMappingsAt(name, date())
	}
	wc := bleve.NewNumericFieldMapping()
	wc.Store, wc.IncludeInAll = false, false
	doc.AddFieldMappingsAt("word_count", wc)
	rev := bleve.NewNumericFieldMapping()
	rev.Store, rev.IncludeInAll = false, false
	doc.AddFieldMappingsAt("revision", rev)
	doc.AddFieldMappingsAt(monthField, kw())

	paywall := bleve.NewDocumentStaticMapping()
	paywall.AddFieldMappingsAt("detected", boolean())
	paywall.AddFieldMappingsAt("kind", kw())
	paywall.AddFieldMappingsAt("truncated", boolean())
	paywall.AddFieldMappingsAt("signals", kw())
	doc.AddSubDocumentMapping("paywall", paywall)

	raw := bleve.NewTextFieldMapping()
	raw.Index = false
	raw.Store = true
	raw.IncludeInAll = false
	raw.IncludeTermVectors = false
	raw.DocValues = false
	doc.AddFieldMappingsAt(rawField, raw)

	im.DefaultMapping = doc
	return im, nil
}
