package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"newsdesk/news"
	"newsdesk/schemas"
)

// openAPIDoc is the part of api/openapi.yaml the contract tests read.
type openAPIDoc struct {
	Paths      map[string]map[string]openAPIOperation `yaml:"paths"`
	Components struct {
		Schemas map[string]struct {
			Pattern string `yaml:"pattern"`
		} `yaml:"schemas"`
	} `yaml:"components"`
}

type openAPIOperation struct {
	OperationID string               `yaml:"operationId"`
	Responses   map[string]yaml.Node `yaml:"responses"`
}

func loadOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("api/openapi.yaml: %v", err)
	}
	return doc
}

// TestOpenAPIEveryOperationHasAUniqueOperationID: a generated client names
// its methods after them.
func TestOpenAPIEveryOperationHasAUniqueOperationID(t *testing.T) {
	seen := map[string]string{}
	for path, ops := range loadOpenAPI(t).Paths {
		for method, op := range ops {
			where := strings.ToUpper(method) + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := seen[op.OperationID]; dup {
				t.Errorf("%s and %s share operationId %s", where, other, op.OperationID)
			}
			seen[op.OperationID] = where
		}
	}
}

// TestOpenAPIDatePatternIsTheServers: the from/to pattern of the document
// is the one the server enforces, so a schema-valid date is accepted and an
// invalid one refused.
func TestOpenAPIDatePatternIsTheServers(t *testing.T) {
	if got := loadOpenAPI(t).Components.Schemas["DateOrTime"].Pattern; got != DateOrTimePattern {
		t.Fatalf("DateOrTime pattern in the document:\n%s\nthe server's:\n%s", got, DateOrTimePattern)
	}
}

// TestDatesAndCursorsAreCheckedAsDocumented: what the pattern allows is
// accepted, what it refuses is a 400 naming the parameter, at the edges of
// the range and of the calendar too.
func TestDatesAndCursorsAreCheckedAsDocumented(t *testing.T) {
	for value, ok := range map[string]bool{
		"":                               true,
		"2026-02-28":                     true,
		"2024-02-29":                     true,
		"1678-01-01":                     true,
		"2261-12-31T23:00:00-10:00":      true, // the date as written is in range
		"2026-01-01T00:00:00.123456789Z": true,
		"2026-02-30":                     false,
		"2025-02-29":                     false,
		"2100-02-29":                     false, // not a leap year
		"2000-02-29":                     true,
		"1677-12-31":                     false,
		"2262-01-01":                     false,
		"2026-01-01T00:00:00,5Z":         false, // Go's parser takes a comma; RFC 3339 does not
		"2026-01-01t00:00:00z":           false,
		"2026-1-1":                       false,
		" 2026-01-01":                    false,
	} {
		_, err := ParseQuery(url.Values{"from": {value}})
		if (err == nil) != ok {
			t.Errorf("from=%q: error %v, want accepted %v", value, err, ok)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "from: ") {
			t.Errorf("from=%q: error %q does not name the parameter", value, err)
		}
	}
	for value, ok := range map[string]bool{"": true, "WzEsMl0": true, "a!b": false, "Wz+/": false, strings.Repeat("A", 2049): false} {
		_, err := ParseQuery(url.Values{"after": {value}})
		if (err == nil) != ok {
			t.Errorf("after=%.20q: error %v, want accepted %v", value, err, ok)
		}
	}
}

// TestOpenAPIListsEveryStatusTheServerAnswers: requests that draw each
// status the server has: every one is documented for its operation.
func TestOpenAPIListsEveryStatusTheServerAnswers(t *testing.T) {
	doc := loadOpenAPI(t)
	srv := New(&recordingSearcher{}, nil, nil)
	keyed := NewWithOptions(&recordingSearcher{}, nil, nil, Options{APIKeys: []string{"k"}})
	broken := New(&recordingSearcher{err: errors.New("connection refused")}, failingPinger{}, nil)
	for _, c := range []struct {
		path, target string
		h            http.Handler
	}{
		{"/api/search", "/api/search?q=x", srv},
		{"/api/search", "/api/search?size=101", srv},
		{"/api/search", "/api/search?q=x", keyed},
		{"/api/search/export", "/api/search/export?format=xml", srv},
		{"/api/search/export", "/api/search/export", keyed},
		{"/api/articles/{id}/related", "/api/articles/x/related?size=21", srv},
		{"/api/articles/{id}/related", "/api/articles/x/related?size=", srv},
		{"/api/articles/{id}/related", "/api/articles/x/related", keyed},
		{"/api/articles/{id}/related", "/api/articles/x/related", New(&recordingSearcher{err: news.ErrNotFound}, nil, nil)},
		{"/api/search", "/api/search?q=x", broken},
		{"/api/search/export", "/api/search/export", broken},
		{"/api/articles/{id}/related", "/api/articles/x/related", broken},
		{"/api/search", "/api/search?q=x", New(&recordingSearcher{err: context.DeadlineExceeded}, nil, nil)},
		{"/readyz", "/readyz", broken},
		{"/healthz", "/healthz", srv},
		{"/readyz", "/readyz", srv},
		{"/api/openapi.yaml", "/api/openapi.yaml", srv},
		{"/schemas/{file}", "/schemas/article-created.v1.json", srv},
		{"/schemas/{file}", "/schemas/nothing.json", srv},
	} {
		rec := httptest.NewRecorder()
		c.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.target, nil))
		if _, ok := doc.Paths[c.path]["get"].Responses[strconv.Itoa(rec.Code)]; !ok {
			t.Errorf("GET %s answers %d, not documented for %s", c.target, rec.Code, c.path)
		}
	}
}

// TestSchemasAreServedUnderTheirID: /schemas/FILE is the schema whose $id
// ends in /schemas/FILE; anything else is a 404.
func TestSchemasAreServedUnderTheirID(t *testing.T) {
	srv := New(&recordingSearcher{}, nil, nil)
	resp := get(t, srv, "/schemas/alert.v1.json")
	var head struct {
		ID string `json:"$id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&head); err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/schema+json" {
		t.Fatalf("status %d, type %q, %v", resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	if head.ID != schemas.BaseURL+"alert.v1.json" {
		t.Errorf("$id %q", head.ID)
	}
	for _, target := range []string{"/schemas/alert.v9.json", "/schemas/..%2Fapi.go"} {
		if code := get(t, srv, target).StatusCode; code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", target, code)
		}
	}
}
