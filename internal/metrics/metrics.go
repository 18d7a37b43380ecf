// Package metrics owns newsdesk's Prometheus registry and metric vectors.
// It knows no stage: cmd/newsdesk feeds it by wrapping the stages'
// interfaces (the crawler's publisher, the consumer's sink, the API's
// handler) and by handing it a function that reads the queues.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one process's registry and the metrics the pipeline moves.
// Every method is safe for concurrent use.
type Metrics struct {
	Registry *prometheus.Registry

	crawlRequests     *prometheus.CounterVec
	crawlPages        *prometheus.CounterVec
	articlesPublished *prometheus.CounterVec
	publishSeconds    prometheus.Histogram
	publishErrors     prometheus.Counter
	indexDocuments    *prometheus.CounterVec
	indexBatchSeconds prometheus.Histogram
	searchRequests    *prometheus.CounterVec
	searchSeconds     prometheus.Histogram
}

// Index document results, the values of newsdesk_index_documents_total's
// result label.
const (
	ResultStored       = "stored"
	ResultRejected     = "rejected"      // the index refused it; it is redelivered
	ResultDeadLettered = "dead_lettered" // refused for good: it goes to the dead-letter stream
)

// New registers the pipeline's metrics and the Go and process collectors
// on a registry of its own (not the global one, so tests and several
// pipelines in one process do not collide).
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		crawlRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_crawl_requests_total",
			Help: "HTTP responses the crawler received, by source and status (0: no final response: a network error, a refused address, a redirect to a page already fetched).",
		}, []string{"source", "status"}),
		crawlPages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_crawl_pages_total",
			Help: "Crawled URLs by source and outcome: page (HTML), feed (feed or sitemap), unchanged (304), other (neither), duplicate, skipped, toolarge, error.",
		}, []string{"source", "kind"}),
		articlesPublished: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_articles_published_total",
			Help: "Article events stored in JetStream, by source, event (created, updated) and paywall kind.",
		}, []string{"source", "event", "paywall"}),
		publishSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "newsdesk_publish_seconds",
			Help:    "Time to publish one article event until JetStream acknowledged it (failures included).",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}),
		publishErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsdesk_publish_errors_total",
			Help: "Article events JetStream did not store.",
		}),
		indexDocuments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_index_documents_total",
			Help: "Documents handed to the index, by result: stored, rejected (redelivered later), dead_lettered (refused for good).",
		}, []string{"result"}),
		indexBatchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "newsdesk_index_batch_seconds",
			Help:    "Time the index took to store one batch of documents.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
		}),
		searchRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsdesk_search_requests_total",
			Help: "Search requests (/api/search and the search page) by HTTP status code.",
		}, []string{"code"}),
		searchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "newsdesk_search_seconds",
			Help:    "Time to answer a search request.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15),
		}),
	}
	reg.MustRegister(m.crawlRequests, m.crawlPages, m.articlesPublished, m.publishSeconds, m.publishErrors,
		m.indexDocuments, m.indexBatchSeconds, m.searchRequests, m.searchSeconds,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Show the index results at 0 from the start, so a rate() has a series.
	for _, r := range []string{ResultStored, ResultRejected, ResultDeadLettered} {
		m.indexDocuments.WithLabelValues(r)
	}
	return m
}

// Handler serves the exposition (text or protobuf, as the scraper asks).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// CrawlResponse counts one response (or failed request) of the crawler.
func (m *Metrics) CrawlResponse(source string, status int, kind string) {
	m.crawlRequests.WithLabelValues(source, strconv.Itoa(status)).Inc()
	m.crawlPages.WithLabelValues(source, kind).Inc()
}

// Published records one publish attempt of an article event and how long
// it took; err nil means JetStream stored it.
func (m *Metrics) Published(source, event, paywall string, took time.Duration, err error) {
	m.publishSeconds.Observe(took.Seconds())
	if err != nil {
		m.publishErrors.Inc()
		return
	}
	m.articlesPublished.WithLabelValues(source, event, paywall).Inc()
}

// IndexBatch records one batch handed to the index: its duration and the
// count of each result.
func (m *Metrics) IndexBatch(took time.Duration, results map[string]int) {
	m.indexBatchSeconds.Observe(took.Seconds())
	for r, n := range results {
		m.indexDocuments.WithLabelValues(r).Add(float64(n))
	}
}

// Search records one answered search request.
func (m *Metrics) Search(code int, took time.Duration) {
	m.searchRequests.WithLabelValues(strconv.Itoa(code)).Inc()
	m.searchSeconds.Observe(took.Seconds())
}
