package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

// recordingSearcher answers with fixed results and remembers the query, so
// the tests can check what the HTTP layer asked the index for.
type recordingSearcher struct {
	got news.Query
	res news.Results
	err error
}

func (r *recordingSearcher) Search(_ context.Context, q news.Query) (news.Results, error) {
	r.got = q
	return r.res, r.err
}

func (r *recordingSearcher) Related(_ context.Context, id string, size int) (news.Results, error) {
	r.got = news.Query{Text: id, Size: size}
	return r.res, r.err
}

type failingPinger struct{}

func (failingPinger) Ping(context.Context) error { return errors.New("cluster red") }

func get(t *testing.T, h http.Handler, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Result()
}

func TestSearchPassesFiltersAndReturnsHits(t *testing.T) {
	s := &recordingSearcher{res: news.Results{Total: 1, Hits: []news.Hit{{
		ID: "x", Title: "Meta and Netflix", URL: "https://example.org/a", Source: "example",
		Snippet: "Meta gave <mark>Netflix</mark> access", Paywall: news.Paywall{Detected: true, Kind: news.PaywallSoft, Signals: []string{"prompt:subscribe"}},
	}}}}
	resp := get(t, New(s, nil, nil), "/api/search?q=netflix+messages&source=a,b&paywall=soft&paywall=hard&from=2024-03-01&to=2024-03-31&size=5&offset=10")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var res news.Results
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].Title != "Meta and Netflix" || res.Hits[0].Paywall.Kind != news.PaywallSoft {
		t.Errorf("results = %+v", res)
	}
	q := s.got
	if q.Text != "netflix messages" || strings.Join(q.Sources, ",") != "a,b" || len(q.PaywallKinds) != 2 || q.Size != 5 || q.Offset != 10 {
		t.Errorf("query = %+v", q)
	}
	wantTo := time.Date(2024, 3, 31, 23, 59, 59, 999999999, time.UTC)
	if !q.From.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) || !q.To.Equal(wantTo) {
		t.Errorf("date range = %v .. %v", q.From, q.To)
	}
}

func TestSearchRejectsBadParameters(t *testing.T) {
	for _, target := range []string{
		"/api/search?paywall=free",
		"/api/search?size=1000",
		"/api/search?offset=-1",
		"/api/search?from=yesterday",
		"/api/search?q=" + strings.Repeat("a", MaxQueryLen+1),
		"/api/search?q=" + url.QueryEscape(strings.Repeat("a OR ", 30)+"b"),
		"/api/search?sort=random",
		"/api/search?after=x&offset=10",
		"/api/search?facets=maybe",
		"/api/articles/x/related?size=500",
	} {
		s := &recordingSearcher{}
		resp := get(t, New(s, nil, nil), target)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "error") {
			t.Errorf("%s: status %d body %s", target[:min(len(target), 60)], resp.StatusCode, body)
		}
	}
}

func TestSearchBackendFailureIsAGatewayError(t *testing.T) {
	resp := get(t, New(&recordingSearcher{err: errors.New("connection refused")}, nil, nil), "/api/search?q=x")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadGateway || strings.Contains(string(body), "connection refused") {
		t.Errorf("status %d body %s (internal errors must not leak)", resp.StatusCode, body)
	}
}

// TestHealthzIsLivenessAndReadyzAsksTheIndex checks that /healthz answers
// 200 whatever the index does (a liveness probe must not restart a process
// over an index outage) and /readyz reports the index.
func TestHealthzIsLivenessAndReadyzAsksTheIndex(t *testing.T) {
	up, down := New(&recordingSearcher{}, nil, nil), New(&recordingSearcher{}, failingPinger{}, nil)
	for _, c := range []struct {
		h      http.Handler
		target string
		want   int
	}{
		{up, "/healthz", http.StatusOK}, {down, "/healthz", http.StatusOK},
		{up, "/readyz", http.StatusOK}, {down, "/readyz", http.StatusServiceUnavailable},
		{New(&recordingSearcher{}, readyButNoMaster{}, nil), "/readyz", http.StatusOK},
	} {
		resp := get(t, c.h, c.target)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != c.want || strings.Contains(string(body), "cluster red") {
			t.Errorf("%s: status %d, want %d; body %s (internal errors must not leak)", c.target, resp.StatusCode, c.want, body)
		}
	}
}

// readyButNoMaster answers searches but not cluster health, as an
// Elasticsearch cluster that lost its master.
type readyButNoMaster struct{}

func (readyButNoMaster) Ping(context.Context) error  { return errors.New("cluster red") }
func (readyButNoMaster) Ready(context.Context) error { return nil }

func TestSafeSnippetKeepsOnlyMarkTags(t *testing.T) {
	cases := map[string]string{
		"a <mark>b</mark> c":                        "a <mark>b</mark> c",
		"<script>alert(1)</script> <mark>x</mark>":  "&lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark>",
		"&lt;script&gt; already escaped &amp; fine": "&lt;script&gt; already escaped &amp; fine",
		`<mark onclick="x">y</mark>`:                `&lt;mark onclick=&#34;x&#34;&gt;y</mark>`,
	}
	for in, want := range cases {
		if got := SafeSnippet(in); got != want {
			t.Errorf("SafeSnippet(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPageEscapesAndBadgesPaywalls(t *testing.T) {
	s := &recordingSearcher{res: news.Results{Total: 2, Hits: []news.Hit{
		{Title: "<b>Walled</b> story", URL: "https://example.org/w", Source: "ex", Snippet: "x",
			Paywall: news.Paywall{Detected: true, Kind: news.PaywallHard, Truncated: true}},
		{Title: "Free story", URL: "https://example.org/f", Source: "ex", Snippet: "<mark>free</mark> <img src=x>"},
	}}}
	resp := get(t, New(s, nil, nil), "/?q="+url.QueryEscape(`"free" <script>`))
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	for _, want := range []string{"&lt;b&gt;Walled&lt;/b&gt; story", "truncated: paywall", "<mark>free</mark> &lt;img src=x&gt;", `value="&#34;free&#34; &lt;script&gt;"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "<img") {
		t.Error("page contains unescaped markup from the index or the query")
	}
	// Whatever slipped through could not run, load anything, or be framed.
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if got := resp.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options = %q, want DENY", got)
	}
}

func TestSearchPassesNewFiltersSortAndCursor(t *testing.T) {
	s := &recordingSearcher{res: news.Results{Next: "abc"}}
	resp := get(t, New(s, nil, nil), "/api/search?q=a+OR+b+-c&author=Lima,+Ana&author=Ben&topic=economy,sport&sort=date&after=xyz&facets=false")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	q := s.got
	if strings.Join(q.Authors, "|") != "Lima, Ana|Ben" || strings.Join(q.Topics, "|") != "economy|sport" ||
		q.Sort != news.SortDate || q.After != "xyz" || q.Facets {
		t.Errorf("query = %+v", q)
	}
	var res news.Results
	_ = json.NewDecoder(resp.Body).Decode(&res)
	if res.Next != "abc" || res.Hits == nil {
		t.Errorf("results = %+v", res)
	}
}

func TestInvalidQueryFromTheIndexIsABadRequest(t *testing.T) {
	s := &recordingSearcher{err: fmt.Errorf("after: not a cursor: %w", news.ErrInvalidQuery)}
	resp := get(t, New(s, nil, nil), "/api/search?after=forged")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "after: not a cursor") {
		t.Errorf("status %d body %s", resp.StatusCode, body)
	}
}

func TestAPIKeys(t *testing.T) {
	h := NewWithOptions(&recordingSearcher{}, nil, nil, Options{APIKeys: []string{"k1-secret", "k2-secret"}})
	for target, want := range map[string]int{"/api/search?q=x": 401, "/api/articles/x/related": 401, "/healthz": 200, "/": 200, "/api/openapi.yaml": 200} {
		if resp := get(t, h, target); resp.StatusCode != want {
			t.Errorf("%s without a key: status %d, want %d", target, resp.StatusCode, want)
		}
	}
	for _, hv := range [][2]string{{"Authorization", "Bearer k2-secret"}, {"X-API-Key", "k1-secret"},
		{"Authorization", "bearer k2-secret"}, {"Authorization", "BEARER  k1-secret"}} {
		header, value := hv[0], hv[1]
		req := httptest.NewRequest(http.MethodGet, "/api/search?q=x", nil)
		req.Header.Set(header, value)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: %.6s...: status %d", header, value, rec.Code)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "/api/search?q=x", nil)
	req.Header.Set("Authorization", "Bearer k1-secre")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("wrong key: status %d", rec.Code)
	}
}

func TestRelated(t *testing.T) {
	s := &recordingSearcher{res: news.Results{Hits: []news.Hit{{ID: "y", Snippet: "<b>x</b>"}}}}
	resp := get(t, New(s, nil, nil), "/api/articles/abc%2Fdef/related?size=3")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || s.got.Text != "abc/def" || s.got.Size != 3 || strings.Contains(string(body), "<b>") {
		t.Errorf("status %d, asked %+v, body %s", resp.StatusCode, s.got, body)
	}
	notFound := fmt.Errorf("getting article zzz: %w", news.ErrNotFound)
	h := New(&recordingSearcher{err: notFound}, nil, nil)
	if resp := get(t, h, "/api/articles/zzz/related"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown article: status %d", resp.StatusCode)
	}
}

func TestPageFacetsAndNextLink(t *testing.T) {
	s := &recordingSearcher{res: news.Results{Total: 30, Next: "CUR", Hits: []news.Hit{{Title: "T", URL: "https://e.example/t"}},
		Facets: &news.Facets{Sources: []news.FacetCount{{Value: "wire", Count: 3}}, Months: []news.FacetCount{{Value: "2024-02", Count: 1}}}}}
	resp := get(t, New(s, nil, nil), "/?q=rates&source=wire&after=OLD")
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	for _, want := range []string{
		`href="/?after=CUR&amp;q=rates&amp;source=wire"`, // next page, not the old cursor
		`<a href="/?q=rates" aria-current="true"`,        // the applied source removes itself
		`href="/?from=2024-02-01&amp;q=rates&amp;source=wire&amp;to=2024-02-29"`,
		`<label for="author">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if !s.got.Facets {
		t.Error("the page did not ask for facets")
	}
}
