package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// loadShedding is a proxy in front of the real cluster that answers the
// first few bulk requests as an overloaded cluster does: the whole request
// with 429, or every item with 429 inside a 200 answer.
type loadShedding struct {
	proxy          *httputil.ReverseProxy
	wholeRequests  atomic.Int32 // 429 answers still to give to whole requests
	itemRejections atomic.Int32 // bulk answers still to give with every item refused
	bulks          atomic.Int32
}

func (l *loadShedding) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/_bulk") {
		l.proxy.ServeHTTP(w, r)
		return
	}
	l.bulks.Add(1)
	if l.wholeRequests.Add(-1) >= 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"},"status":429}`)
		return
	}
	if l.itemRejections.Add(-1) >= 0 {
		body, _ := io.ReadAll(r.Body)
		var items []map[string]any
		lines := bytes.Split(bytes.TrimSpace(body), []byte("\n"))
		for i := 0; i < len(lines); i += 2 {
			var action map[string]map[string]any
			_ = json.Unmarshal(lines[i], &action)
			items = append(items, map[string]any{"index": map[string]any{
				"_id": action["index"]["_id"], "status": 429,
				"error": map[string]any{"type": "es_rejected_execution_exception", "reason": "rejected execution of bulk item"},
			}})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"took": 1, "errors": true, "items": items})
		return
	}
	l.proxy.ServeHTTP(w, r)
}

// TestIntegrationElasticRetriesWhenOverloaded checks the one retry layer
// of a Store: the client's transport gets a whole bulk request in through
// 429 answers, while items refused with 429 inside a 200 answer are not
// retried by Store but are each doc's error, transient (not
// news.ErrPermanent), for the caller to retry; a later Store of the same
// docs stores them.
func TestIntegrationElasticRetriesWhenOverloaded(t *testing.T) {
	target, err := url.Parse(testenv.ElasticsearchURL(t))
	if err != nil {
		t.Fatal(err)
	}
	shed := &loadShedding{proxy: httputil.NewSingleHostReverseProxy(target)}
	proxy := httptest.NewServer(shed)
	defer proxy.Close()

	opts := testOptions(t, "standard")
	opts.URLs = []string{proxy.URL}
	opts.RetryBackoff = time.Millisecond // the test is about retrying, not waiting
	idx, err := New(t.Context(), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { deleteTestIndex(t, idx) })
	defer idx.Close()

	docs := []news.Article{
		{ID: "a", URL: "https://e.example/a", Title: "first wombat", Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}},
		{ID: "b", URL: "https://e.example/b", Title: "second wombat", Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}},
	}
	shed.itemRejections.Store(1)
	for i, err := range idx.Store(t.Context(), docs) {
		if err == nil || !strings.Contains(err.Error(), "429") || errors.Is(err, news.ErrPermanent) {
			t.Errorf("Store doc %d with its item refused = %v, want a transient 429 error", i, err)
		}
	}
	if got := shed.bulks.Load(); got != 1 {
		t.Errorf("bulk requests = %d, want 1: Store leaves retrying refused items to its caller", got)
	}

	shed.bulks.Store(0)
	shed.wholeRequests.Store(2)
	for i, err := range idx.Store(t.Context(), docs) {
		if err != nil {
			t.Errorf("Store doc %d: %v", i, err)
		}
	}
	if got := shed.bulks.Load(); got != 3 {
		t.Errorf("bulk requests = %d, want 3 (2 refused whole and retried by the transport, 1 accepted)", got)
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(t.Context(), news.Query{Text: "wombat"})
	if err != nil || res.Total != 2 {
		t.Fatalf("Search = %+v, %v; want both docs", res, err)
	}
}

// TestIntegrationElasticAliases checks that reads and writes go through
// their own aliases on the versioned index, and that an index from before
// the write alias (schema 1: the read alias only) gets one.
func TestIntegrationElasticAliases(t *testing.T) {
	idx := openTest(t, "standard")
	defer idx.Close()
	for _, alias := range []string{idx.Alias(), idx.WriteAlias()} {
		got, err := idx.aliasIndices(t.Context(), alias)
		if err != nil || len(got) != 1 || got[0] != idx.concreteIndex() {
			t.Errorf("alias %s points at %v, %v; want [%s]", alias, got, err, idx.concreteIndex())
		}
	}

	// An old deployment: "<alias>-v1" behind the read alias only.
	old := testOptions(t, "standard")
	c, err := newClient(old)
	if err != nil {
		t.Fatal(err)
	}
	v1 := old.Index + "-v1"
	res, err := c.Indices.Create(v1, c.Indices.Create.WithBody(strings.NewReader(
		`{"aliases":{"`+old.Index+`":{"is_write_index":true}}}`)))
	if err := check(res, err); err != nil {
		t.Fatalf("creating a schema 1 index: %v", err)
	}
	drain(res.Body)
	t.Cleanup(func() { c.Close(context.Background()) })
	up, err := New(t.Context(), old)
	if err != nil {
		t.Fatalf("New on a schema 1 index: %v", err)
	}
	t.Cleanup(func() { deleteTestIndex(t, up) }) // v1 and the template
	defer up.Close()
	if got, err := up.aliasIndices(t.Context(), up.WriteAlias()); err != nil || len(got) != 1 || got[0] != v1 {
		t.Errorf("write alias on an old index points at %v, %v; want [%s]", got, err, v1)
	}
	a := news.Article{ID: "x", URL: "https://e.example/x", Title: "upgraded", Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
	if errs := up.Store(t.Context(), []news.Article{a}); errs[0] != nil {
		t.Fatalf("Store through the added write alias: %v", errs[0])
	}
	if got, err := up.Get(t.Context(), "x"); err != nil || got.Title != "upgraded" {
		t.Errorf("Get = %q, %v", got.Title, err)
	}
}
