package metrics

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape fetches h's /metrics as Prometheus would and parses it.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", "text/plain; version=0.0.4")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: status %d: %s", rec.Code, rec.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("the exposition does not parse: %v", err)
	}
	return fams
}

// sample is the value of the series of name with the given label pairs,
// and whether it exists.
func sample(fams map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestExpositionParsesAndCountersMove(t *testing.T) {
	m := New()
	m.CrawlResponse("ledger", 200, "page")
	m.CrawlResponse("ledger", 503, "error")
	m.Published("ledger", "created", "hard", time.Millisecond, nil)
	m.Published("ledger", "created", "hard", time.Millisecond, errors.New("not stored"))
	m.IndexBatch(time.Millisecond, map[string]int{ResultStored: 2, ResultDeadLettered: 1})
	m.WatchQueues(func(context.Context) ([]ConsumerStat, uint64, error) {
		return []ConsumerStat{{Consumer: "indexer", Pending: 7, AckPending: 2}}, 3, nil
	})
	api := m.Mux(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("q") == "" {
			http.Error(w, "q missing", http.StatusBadRequest)
		}
	}))
	for _, u := range []string{"/api/search?q=x", "/api/search", "/healthz"} {
		api.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, u, nil))
	}

	fams := scrape(t, api)
	want := []struct {
		name   string
		labels []string
		value  float64
	}{
		{"newsdesk_crawl_requests_total", []string{"source", "ledger", "status", "200"}, 1},
		{"newsdesk_crawl_requests_total", []string{"source", "ledger", "status", "503"}, 1},
		{"newsdesk_crawl_pages_total", []string{"source", "ledger", "kind", "error"}, 1},
		{"newsdesk_articles_published_total", []string{"source", "ledger", "event", "created", "paywall", "hard"}, 1},
		{"newsdesk_publish_seconds", nil, 2},
		{"newsdesk_publish_errors_total", nil, 1},
		{"newsdesk_index_documents_total", []string{"result", "stored"}, 2},
		{"newsdesk_index_documents_total", []string{"result", "dead_lettered"}, 1},
		{"newsdesk_index_documents_total", []string{"result", "rejected"}, 0},
		{"newsdesk_index_batch_seconds", nil, 1},
		{"newsdesk_consumer_pending", []string{"consumer", "indexer"}, 7},
		{"newsdesk_consumer_ack_pending", []string{"consumer", "indexer"}, 2},
		{"newsdesk_dlq_messages", nil, 3},
		{"newsdesk_queue_stats_up", nil, 1},
		{"newsdesk_search_requests_total", []string{"code", "200"}, 1},
		{"newsdesk_search_requests_total", []string{"code", "400"}, 1},
		{"newsdesk_search_seconds", nil, 2}, // /healthz is not a search
	}
	for _, w := range want {
		got, ok := sample(fams, w.name, w.labels...)
		if !ok || got != w.value {
			t.Errorf("%s%v = %v (present %v), want %v", w.name, w.labels, got, ok, w.value)
		}
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if fams[name] == nil {
			t.Errorf("%s missing: the Go and process collectors are not registered", name)
		}
	}
}

func TestQueueStatsDownIsVisible(t *testing.T) {
	m := New()
	m.WatchQueues(func(context.Context) ([]ConsumerStat, uint64, error) {
		return nil, 0, errors.New("nats: connection closed")
	})
	fams := scrape(t, m.Handler())
	if up, ok := sample(fams, "newsdesk_queue_stats_up"); !ok || up != 0 {
		t.Errorf("newsdesk_queue_stats_up = %v (present %v), want 0 when NATS cannot be read", up, ok)
	}
	if _, ok := sample(fams, "newsdesk_dlq_messages"); ok {
		t.Error("newsdesk_dlq_messages is exported although it could not be read")
	}
}
