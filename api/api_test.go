package api

import (
	"context"
	"encoding/json"
	"errors"
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

func TestHealthz(t *testing.T) {
	if resp := get(t, New(&recordingSearcher{}, nil, nil), "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthy: status %d", resp.StatusCode)
	}
	if resp := get(t, New(&recordingSearcher{}, failingPinger{}, nil), "/healthz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("index down: status %d", resp.StatusCode)
	}
}

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
}
