package metrics

import (
	"net/http"
	"time"
)

// SearchPaths are the paths whose requests newsdesk_search_* count: the
// API's search and the search page.
var SearchPaths = map[string]bool{"/api/search": true, "/": true}

// Instrument counts and times the search requests h answers; other
// requests pass through untouched.
func (m *Metrics) Instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !SearchPaths[r.URL.Path] {
			h.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(sw, r)
		m.Search(sw.code, time.Since(start))
	})
}

// Mux serves /metrics and sends every other request to h, instrumented.
func (m *Metrics) Mux(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("/", m.Instrument(h))
	return mux
}

// statusWriter remembers the status code a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
