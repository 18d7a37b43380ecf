package elastic

import (
	"fmt"
	"strconv"
	"strings"
)

// obj is a JSON object, to keep the template readable.
type obj = map[string]any

// indexTemplate is the index template for "<alias>-v*". The mapping is not
// dynamic: a field the code does not know yet is kept in _source (so Get
// returns it) but not indexed, so a new field in news.Article never makes the
// mapping explode or a store fail.
//
// Schema 2 adds, over 1: authors/topics/entities as exact keywords for
// filters and facets, an exact subfield of the text for phrase-exact
// matching, revision, changes, first_seen and last_updated.
func indexTemplate(alias, analyzer string, settings obj) obj {
	t := baseTemplate(alias, analyzer, settings)
	props := t["template"].(obj)["mappings"].(obj)["properties"].(obj)
	for name, field := range addedFields() {
		props[name] = field
	}
	return t
}

// addedFields are mapped after schema 2 was released: new fields only, so
// New adds them to an existing schema-2 index in place (put mapping)
// instead of needing a reindex. Documents stored before have none of them
// until they are stored again (or reindexed). lead is kept in _source only.
func addedFields() obj {
	return obj{
		"dup_group": obj{"type": "keyword"},
		"dup_bands": obj{"type": "keyword"},
		// Read from doc values by the lookup before a write; never searched.
		"dup_sig": obj{"type": "keyword", "index": false, "doc_values": true},
	}
}

// backstopRefreshInterval is the index's own refresh_interval. Store
// refreshes what it wrote within Options.RefreshInterval itself
// (pendingWrites), so Elasticsearch's schedule is only a backstop for
// writes whose process died before refreshing them. Left at its default
// of 1s, a shard that is searched (each batch's lookup searches it) also
// refreshed on that schedule, out of step with ours: about twice the
// refreshes, each a small segment to write and later merge. That was most
// of the Elasticsearch CPU the pipeline spent above a raw bulk load, and
// the part that grew with the index (BenchmarkIndexThroughput).
const backstopRefreshInterval = "5s"

// indexSettings are the shard, replica and refresh settings of a new
// index: shards primaries (default 1) and replicas, a number of replicas
// or an auto-expand range (default "0-1": one replica when a second node
// exists, none on a single node, so a development cluster is green), and
// the backstop refresh interval.
func indexSettings(shards int, replicas string) (obj, error) {
	if shards == 0 {
		shards = 1
	}
	if replicas == "" {
		replicas = "0-1"
	}
	if shards < 1 {
		return nil, fmt.Errorf("index shards: want at least 1, got %d", shards)
	}
	s := obj{"number_of_shards": shards, "refresh_interval": backstopRefreshInterval}
	if n, err := strconv.Atoi(replicas); err == nil && n >= 0 {
		s["number_of_replicas"] = n
		return s, nil
	}
	lo, hi, ok := strings.Cut(replicas, "-")
	if _, err := strconv.Atoi(lo); !ok || err != nil {
		return nil, fmt.Errorf("index replicas: %q is not a number or a range like 0-1 or 0-all", replicas)
	}
	if _, err := strconv.Atoi(hi); err != nil && hi != "all" {
		return nil, fmt.Errorf("index replicas: %q is not a number or a range like 0-1 or 0-all", replicas)
	}
	s["auto_expand_replicas"] = replicas
	return s, nil
}

func baseTemplate(alias, analyzer string, settings obj) obj {
	keyword := obj{"type": "keyword"}
	text := obj{"type": "text", "analyzer": analyzer}
	date := obj{"type": "date"}
	boolean := obj{"type": "boolean"}
	// URLs can be long; past ignore_above they are kept but not indexed,
	// instead of failing the document on Lucene's term length limit.
	url := obj{"type": "keyword", "ignore_above": 4096}
	return obj{
		"index_patterns": []string{alias + "-v*"},
		// Above the built-in templates (100..200) so ours wins for our names.
		"priority": 500,
		"_meta":    obj{"managed_by": "newsdesk", "schema_version": schemaVersion},
		"template": obj{
			"settings": settings,
			"mappings": obj{
				"dynamic": false,
				"properties": obj{
					"id":            keyword,
					"url":           url,
					"canonical_url": url,
					"source":        keyword,
					"site_name":     keyword,
					"title": obj{
						"type":     "text",
						"analyzer": analyzer,
						// keyword: sorting and exact title match; exact: a
						// phrase search that the production analyzer's
						// stemming and stop words must not loosen.
						"fields": obj{
							"keyword": obj{"type": "keyword", "ignore_above": 1024},
							"exact":   obj{"type": "text", "analyzer": "standard"},
						},
					},
					"authors":     keyword,
					"published":   date,
					"modified":    date,
					"language":    keyword,
					"description": text,
					"section":     keyword,
					"tags":        keyword,
					"image":       obj{"type": "keyword", "index": false, "doc_values": false},
					"text": obj{
						"type":     "text",
						"analyzer": analyzer,
						"fields":   obj{"exact": obj{"type": "text", "analyzer": "standard"}},
					},
					"word_count": obj{"type": "integer"},
					"topics":     keyword,
					// The parser's entities: objects, filterable by
					// name and kind. (Mapped as keywords before they
					// existed; an index made so must be reindexed.)
					"entities": obj{"properties": obj{
						"name":  keyword,
						"kind":  keyword,
						"count": obj{"type": "integer"},
					}},
					"paywall": obj{
						"properties": obj{
							"detected":  boolean,
							"kind":      keyword,
							"truncated": boolean,
							"signals":   keyword,
						},
					},
					"fetched_at":   date,
					"revision":     obj{"type": "integer"},
					"first_seen":   date,
					"last_updated": date,
					"changes":      keyword,
				},
			},
		},
	}
}
