package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"newsdesk/api"
	"newsdesk/indexer/embedded"
	"newsdesk/internal/apiclient"
	"newsdesk/news"
	"newsdesk/schemas"
)

// TestGeneratedClientCallsEveryOperation: the client oapi-codegen generates
// from api/openapi.yaml builds and calls every operation of a running
// server, and what the server answers decodes into the documented types,
// including a documented 400 (related with size=21).
func TestGeneratedClientCallsEveryOperation(t *testing.T) {
	idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	docs := exportCorpus(5)
	for i, err := range idx.Store(t.Context(), docs) {
		if err != nil {
			t.Fatalf("Store(%s): %v", docs[i].URL, err)
		}
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(idx, idx, nil))
	defer srv.Close()
	c, err := apiclient.NewClientWithResponses(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	var size apiclient.PageSize
	mustNot(t, size.FromPageSize0(2))
	var group apiclient.Flag
	mustNot(t, group.FromFlag0(false))
	q, from := apiclient.QueryText("harbour"), apiclient.DateOrTime("2026-10-01")
	params := &apiclient.SearchArticlesParams{Q: &q, From: &from, Size: &size, Group: &group}
	page1, err := c.SearchArticlesWithResponse(ctx, params)
	mustNot(t, err)
	if page1.JSON200 == nil {
		t.Fatalf("searchArticles: status %d: %s", page1.StatusCode(), page1.Body)
	}
	if page1.JSON200.Total != 5 || len(page1.JSON200.Hits) != 2 || page1.JSON200.Next == nil || page1.JSON200.Facets == nil {
		t.Fatalf("searchArticles page 1: total %d, %d hits, next %v", page1.JSON200.Total, len(page1.JSON200.Hits), page1.JSON200.Next)
	}
	params.After = page1.JSON200.Next
	page2, err := c.SearchArticlesWithResponse(ctx, params)
	mustNot(t, err)
	if page2.JSON200 == nil || len(page2.JSON200.Hits) != 2 || page2.JSON200.Hits[0].Id == page1.JSON200.Hits[0].Id {
		t.Fatalf("searchArticles page 2: status %d: %s", page2.StatusCode(), page2.Body)
	}
	bad := apiclient.QueryText("(harbour")
	refused, err := c.SearchArticlesWithResponse(ctx, &apiclient.SearchArticlesParams{Q: &bad})
	mustNot(t, err)
	if refused.JSON400 == nil || refused.JSON400.Position == nil {
		t.Fatalf("searchArticles with an unclosed parenthesis: status %d: %s", refused.StatusCode(), refused.Body)
	}

	format := apiclient.ExportSearchParamsFormatJsonl
	export, err := c.ExportSearchWithResponse(ctx, &apiclient.ExportSearchParams{Format: &format, Q: &q})
	mustNot(t, err)
	if export.StatusCode() != http.StatusOK {
		t.Fatalf("exportSearch: status %d", export.StatusCode())
	}
	if lines := countHitLines(t, string(export.Body)); lines != 5 {
		t.Errorf("exportSearch: %d JSON lines, want 5", lines)
	}

	id := page1.JSON200.Hits[0].Id
	related, err := c.RelatedArticlesWithResponse(ctx, id, nil)
	mustNot(t, err)
	if related.JSON200 == nil || len(related.JSON200.Hits) == 0 {
		t.Fatalf("relatedArticles: status %d: %s", related.StatusCode(), related.Body)
	}
	var tooMany apiclient.RelatedSize
	mustNot(t, tooMany.FromRelatedSize0(21))
	refusedRelated, err := c.RelatedArticlesWithResponse(ctx, id, &apiclient.RelatedArticlesParams{Size: &tooMany})
	mustNot(t, err)
	if refusedRelated.JSON400 == nil || !strings.HasPrefix(refusedRelated.JSON400.Error, "size:") {
		t.Fatalf("relatedArticles size=21: status %d: %s", refusedRelated.StatusCode(), refusedRelated.Body)
	}
	unknown, err := c.RelatedArticlesWithResponse(ctx, news.DocID("https://nowhere.example/"), nil)
	mustNot(t, err)
	if unknown.JSON404 == nil {
		t.Fatalf("relatedArticles of an unknown id: status %d: %s", unknown.StatusCode(), unknown.Body)
	}

	health, err := c.HealthzWithResponse(ctx)
	mustNot(t, err)
	if health.JSON200 == nil || health.JSON200.Status != apiclient.StatusStatusOk {
		t.Fatalf("healthz: status %d: %s", health.StatusCode(), health.Body)
	}
	ready, err := c.ReadyzWithResponse(ctx)
	mustNot(t, err)
	if ready.JSON200 == nil || ready.JSON200.Status != apiclient.StatusStatusOk {
		t.Fatalf("readyz: status %d: %s", ready.StatusCode(), ready.Body)
	}
	ev := news.NewArticleEvent(news.ArticleCreated, docs[0], docs[0].FetchedAt)
	file := strings.TrimPrefix(ev.DataSchema, schemas.BaseURL)
	schema, err := c.GetSchemaWithResponse(ctx, file)
	mustNot(t, err)
	if schema.ApplicationschemaJSON200 == nil || schema.ApplicationschemaJSON200.Id != ev.DataSchema {
		t.Fatalf("getSchema(%s) of the event's dataschema %s: status %d: %.200s", file, ev.DataSchema, schema.StatusCode(), schema.Body)
	}
	missing, err := c.GetSchemaWithResponse(ctx, "article-created.v9.json")
	mustNot(t, err)
	if missing.JSON404 == nil {
		t.Fatalf("getSchema of an unknown file: status %d", missing.StatusCode())
	}
	doc, err := c.OpenAPIDocumentWithResponse(ctx)
	mustNot(t, err)
	if doc.YAML200 == nil || doc.YAML200.Openapi != "3.1.0" || len(doc.YAML200.Paths) == 0 {
		t.Fatalf("openAPIDocument: status %d", doc.StatusCode())
	}
}

// countHitLines counts the JSON Lines of body, each of which must be a hit.
func countHitLines(t *testing.T, body string) int {
	t.Helper()
	n := 0
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		var h apiclient.Hit
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Id == "" {
			t.Fatalf("line %d is not a hit: %v: %s", n+1, err, sc.Text())
		}
		n++
	}
	return n
}

func mustNot(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
