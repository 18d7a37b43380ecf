package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsdesk/api"
	"newsdesk/indexer"
	"newsdesk/indexer/elastic"
	"newsdesk/indexer/embedded"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// hostileArticles are a few stories, so that hostile queries run against an
// index with documents in it (an empty index skips most of the work).
func hostileArticles() []news.Article {
	var out []news.Article
	for i, title := range []string{"Harbour reopens after storm", "Central bank holds rates", "Storm closes the harbour again"} {
		a := news.Article{
			URL: fmt.Sprintf("https://example.org/hostile/%d", i), Title: title,
			Text:      title + ". The harbour authority said ships wait outside the harbour while the storm passes.",
			Published: time.Date(2024, 5, 1+i, 8, 0, 0, 0, time.UTC), Source: "port", Language: "en",
			Authors: []string{"Ana Lima"}, Topics: []string{"weather"},
			Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}},
		}
		a.ID = news.DocID(a.URL)
		out = append(out, a)
	}
	return out
}

func storeHostile(t *testing.T, idx indexer.Index) {
	t.Helper()
	for i, err := range idx.Store(t.Context(), hostileArticles()) {
		if err != nil {
			t.Fatalf("Store %d: %v", i, err)
		}
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
}

func openEmbeddedForHostile(t *testing.T) indexer.Index {
	idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	return idx
}

// openElasticForHostile opens the test cluster under an alias of its own
// and deletes the index and its template afterwards.
func openElasticForHostile(t *testing.T) indexer.Index {
	esURL := testenv.ElasticsearchURL(t)
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	alias := "newsdesk-test-api-" + hex.EncodeToString(suffix)
	idx, err := elastic.New(t.Context(), elastic.Options{URLs: []string{esURL}, Index: alias})
	if err != nil {
		t.Fatalf("elastic.New: %v", err)
	}
	t.Cleanup(func() {
		_ = idx.Close()
		testenv.DropElasticsearchIndex(t, esURL, alias)
	})
	return idx
}

// cursor forges an after value from raw JSON, as a user could.
func cursor(rawJSON string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(rawJSON))
}

// hostileRequest is one request a hostile or careless client may send, and
// the parameter the answer must name.
type hostileRequest struct {
	target string
	param  string
}

func hostileRequests() []hostileRequest {
	long := strings.Repeat("x", 5000)
	return []hostileRequest{
		// The result window: offset+size must stay within 10,000.
		{"/api/search?offset=10000", "offset"},
		{"/api/search?offset=9995&size=10", "offset"},
		{"/api/search?offset=10000&group=false", "offset"},
		{"/api/search?offset=9995&size=10&group=false&q=harbour", "offset"},
		{"/api/search?offset=99999999999999999999", "offset"},
		{"/api/search?offset=1e3", "offset"},
		{"/api/search?size=0", "size"},
		{"/api/search?size=-9223372036854775808", "size"},
		{"/api/search?size=" + long, "size"},
		// Dates outside what the indexes store.
		{"/api/search?to=9999-12-31", "to"},
		{"/api/search?from=0001-01-01", "from"},
		{"/api/search?from=1500-01-01&to=1600-01-01", "from"},
		{"/api/search?to=2263-01-01T00:00:00Z", "to"},
		{"/api/search?from=2024-05-01T00:00:00%2B99:00", "from"},
		{"/api/search?from=2024-13-45", "from"},
		{"/api/search?from=" + url.QueryEscape("2024-01-01'; DROP TABLE articles;--"), "from"},
		// Forged and garbage cursors, grouped and not.
		{"/api/search?after=" + cursor(`["a"]`), "after"},
		{"/api/search?after=" + cursor(`[1208925819614629174706176]`), "after"},
		{"/api/search?after=" + cursor(`[-1]`), "after"},
		{"/api/search?after=" + cursor(`[1e400]`), "after"},
		{"/api/search?group=false&after=" + cursor(`["x","y"]`), "after"},
		{"/api/search?group=false&after=" + cursor(`[1208925819614629174706176,"y"]`), "after"},
		{"/api/search?group=false&after=" + cursor(`["2024-01-01T00:00:00Z",1e400]`), "after"},
		{"/api/search?group=false&after=" + cursor(`[1e400,"y"]`), "after"},
		{"/api/search?group=false&q=harbour&after=" + cursor(`["NaN","x","y"]`), "after"},
		{"/api/search?group=false&q=harbour&after=" + cursor(`["1e999","2024-01-01T00:00:00Z","y"]`), "after"},
		{"/api/search?group=false&q=harbour&after=" + cursor(`[1.5,"9999999999999999999999","y"]`), "after"},
		{"/api/search?group=false&q=harbour&after=" + cursor(`[1.5,1208925819614629174706176,"y"]`), "after"},
		{"/api/search?group=false&after=" + cursor(`["`+strings.Repeat("a", 1400)+`","b"]`), "after"},
		{"/api/search?after=%ff%fe", "after"},
		{"/api/search?after=" + long, "after"},
		{"/api/search?after=" + cursor(`{"$where":"1"}`), "after"},
		{"/api/search?after=" + cursor(`[5]`) + "&offset=5", "after"},
		// Text: too long, too many terms, invalid UTF-8, control bytes.
		{"/api/search?q=" + long, "q"},
		{"/api/search?q=" + strings.Repeat("a+", 30), "q"},
		{"/api/search?q=%ff%fe%fd", "q"},
		{"/api/search?q=harbour%00storm", "q"},
		// Query syntax that does not parse (issue 16): a 400 with the
		// position, never an empty result.
		{"/api/search?q=" + url.QueryEscape(`" OR 1=1 --`), "q"},
		{"/api/search?q=" + url.QueryEscape(`title:* AND _exists_:text`), "q"},
		{"/api/search?q=" + url.QueryEscape(`harbour*~2^9 /reg.*ex/ \\ ( ) [ ] { }`), "q"},
		{"/api/search?q=" + url.QueryEscape(`"unterminated phrase`), "q"},
		{"/api/search?q=" + url.QueryEscape(`-"" - -- OR OR`), "q"},
		{"/api/search?source=%ff", "source"},
		{"/api/search?author=" + url.QueryEscape("Ana\x00Lima"), "author"},
		{"/api/search?topic=" + strings.Repeat("t", 5000), "topic"},
		{"/api/search?source=" + strings.Repeat("a,", 60), "filters"},
		// Enums and booleans.
		{"/api/search?sort=" + url.QueryEscape(`date"};{"script":"x`), "sort"},
		{"/api/search?paywall=" + url.QueryEscape("none OR 1=1"), "paywall"},
		{"/api/search?group=yes", "group"},
		{"/api/search?facets=2", "facets"},
		{"/api/search?edited=" + long, "edited"},
		// A single-valued parameter given twice: which one was meant?
		{"/api/search?q=harbour&q=storm", "q"},
		{"/api/search?size=5&size=6", "size"},
		{"/api/search?facets=&facets=%01", "facets"},
		{"/api/search?sort=date&sort=relevance", "sort"},
		{"/api/articles/x/related?size=1&size=2", "size"},
		// Related: sizes and ids.
		{"/api/articles/x/related?size=0", "size"},
		{"/api/articles/x/related?size=21", "size"},
		{"/api/articles/x/related?size=1e2", "size"},
		{"/api/articles/" + strings.Repeat("a", 5000) + "/related", "id"},
		{"/api/articles/%ff%fe/related", "id"},
		{"/api/articles/" + url.PathEscape("a\x00b") + "/related", "id"},
	}
}

// harmlessRequests look hostile but are valid: they must answer 200 (or
// 404 for an unknown article), never 5xx.
func harmlessRequests() []string {
	return []string{
		"/api/search?q=" + url.QueryEscape(`{"query":{"match_all":{}}}`),
		"/api/search?q=" + url.QueryEscape(`<script>alert(1)</script>`),
		"/api/search?q=" + url.QueryEscape("日本語 الأخبار émigré"),
		"/api/search?source=" + url.QueryEscape(`*`) + "&topic=" + url.QueryEscape(`../../etc/passwd`),
		"/api/search?author=" + url.QueryEscape(`\u0000`) + "&language=" + url.QueryEscape(`en'--`),
		"/api/search?q=harbour&source=port&source=bank,port&paywall=none&paywall=&paywall=soft",
		"/api/search?offset=9990&size=10",
		"/api/search?offset=9990&size=10&group=false",
		"/api/search?from=1678-01-01&to=2261-12-31",
		"/api/search?from=1678-01-01T00:00:00Z&to=2261-12-31T23:59:59.999Z",
		"/api/search?from=2024-05-02&to=2024-05-01",
		"/api/search?to=2024-05-02T00:00:00-12:00",
		"/api/articles/" + url.PathEscape("../_search") + "/related",
		"/api/articles/" + url.PathEscape(`"><img src=x>`) + "/related",
		"/api/articles/" + strings.Repeat("a", 512) + "/related",
	}
}

// TestHostileRequestsAreClientErrors sends hostile requests to the API over
// both backends: each must be a 4xx whose JSON error names the parameter,
// and valid but odd requests must succeed; none may be a 5xx.
func TestHostileRequestsAreClientErrors(t *testing.T) {
	for _, backend := range []struct {
		name string
		open func(t *testing.T) indexer.Index
	}{{"embedded", openEmbeddedForHostile}, {"elasticsearch", openElasticForHostile}} {
		t.Run(backend.name, func(t *testing.T) {
			idx := backend.open(t)
			storeHostile(t, idx)
			srv := httptest.NewServer(api.New(idx, idx, nil))
			defer srv.Close()
			for _, r := range hostileRequests() {
				status, msg := getJSON(t, srv.URL+r.target)
				if status < 400 || status >= 500 {
					t.Errorf("GET %.120s: status %d (%q), want 4xx", r.target, status, msg)
					continue
				}
				if !strings.HasPrefix(msg, r.param+":") && !strings.Contains(msg, r.param) {
					t.Errorf("GET %.120s: error %q does not name %q", r.target, msg, r.param)
				}
			}
			checkBackendDirectly(t, idx)
			for _, target := range harmlessRequests() {
				if status, msg := getJSON(t, srv.URL+target); status != http.StatusOK && status != http.StatusNotFound {
					t.Errorf("GET %.120s: status %d (%q), want 200 or 404", target, status, msg)
				}
			}
		})
	}
}

// getJSON fetches target and returns the status and the error message of a
// JSON error body ("" for a success).
func getJSON(t *testing.T, target string) (int, string) {
	t.Helper()
	res, err := http.Get(target)
	if err != nil {
		t.Fatalf("GET %.120s: %v", target, err)
	}
	defer res.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Errorf("GET %.120s: status %d, body is not JSON: %v", target, res.StatusCode, err)
	}
	return res.StatusCode, body.Error
}

// checkBackendDirectly sends the index queries that the API refuses, as
// another caller of the index could: each must succeed or fail as the
// user's error (news.ErrInvalidQuery), never as a failure of the backend.
func checkBackendDirectly(t *testing.T, idx indexer.Index) {
	t.Helper()
	year := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	queries := []news.Query{
		{Offset: 10000, Size: 10, Group: true},
		{Offset: 9995, Size: 10},
		{Offset: 9995, Size: 10, Text: "harbour"},
		{From: year(1), To: year(9999)},
		{From: year(1500), To: year(1600)},
		{From: year(9000)},
		{To: year(1000), Text: "harbour"},
		{After: cursor(`[9999]`), Group: true, Size: 10},
		{After: cursor(`[9995]`), Group: true, Size: 10},
	}
	for _, after := range []string{`["x","y"]`, `[1208925819614629174706176,"y"]`, `[-9223372036854775808,"y"]`,
		`[1.5,"x","y"]`, `["NaN","x","y"]`, `[1.5,1208925819614629174706176,"y"]`, `[1e308,-1,"y"]`} {
		queries = append(queries, news.Query{After: cursor(after)}, news.Query{After: cursor(after), Text: "harbour"})
	}
	for _, q := range queries {
		if _, err := idx.Search(t.Context(), q); err != nil && !errors.Is(err, news.ErrInvalidQuery) {
			t.Errorf("Search(%+v) failed as a backend error: %v", q, err)
		}
	}
	if _, err := idx.Related(t.Context(), strings.Repeat("a", 5000), 5); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("Related with a 5000-byte id: %v, want ErrNotFound", err)
	}
}
