// Package api serves newsroom search over HTTP: a JSON API for tools and a
// small server-rendered page for people. It only reads the index; the
// indexer is the only writer.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/news"
)

// Searcher runs a query against the index.
type Searcher interface {
	Search(ctx context.Context, q news.Query) (news.Results, error)
}

// Pinger reports whether the index is reachable; /healthz uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Limits on what one request may ask for, so a query cannot tie up the index.
const (
	MaxQueryLen   = 500
	MaxPageSize   = 100
	MaxOffset     = 10000
	searchTimeout = 10 * time.Second
)

// Server is the HTTP handler of the search API.
type Server struct {
	search Searcher
	ping   Pinger
	log    *slog.Logger
	mux    *http.ServeMux
}

// New returns the handler. ping may be nil (then /healthz only says the
// process is up); logger may be nil.
func New(s Searcher, ping Pinger, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	srv := &Server{search: s, ping: ping, log: logger, mux: http.NewServeMux()}
	srv.mux.HandleFunc("GET /api/search", srv.handleSearch)
	srv.mux.HandleFunc("GET /healthz", srv.handleHealth)
	srv.mux.HandleFunc("GET /{$}", srv.handlePage)
	return srv
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q, err := ParseQuery(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	res, err := s.search.Search(ctx, q)
	if err != nil {
		s.log.Error("search failed", "query", q.Text, "err", err)
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": "search backend failed"})
		return
	}
	if res.Hits == nil {
		res.Hits = []news.Hit{}
	}
	for i := range res.Hits {
		res.Hits[i].Snippet = SafeSnippet(res.Hits[i].Snippet)
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if s.ping != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := s.ping.Ping(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ParseQuery reads a news.Query from URL parameters: q, source, language,
// paywall (each filter may repeat or be comma-separated), from and to
// (RFC 3339 or YYYY-MM-DD), size and offset. Errors name the parameter.
func ParseQuery(v url.Values) (news.Query, error) {
	q := news.Query{Text: strings.TrimSpace(v.Get("q"))}
	if len(q.Text) > MaxQueryLen {
		return q, fmt.Errorf("q: longer than %d bytes", MaxQueryLen)
	}
	q.Sources = list(v["source"])
	q.Languages = list(v["language"])
	for _, k := range list(v["paywall"]) {
		kind := news.PaywallKind(k)
		if !kind.Valid() {
			return q, fmt.Errorf("paywall: %q is not one of none, soft, metered, hard", k)
		}
		q.PaywallKinds = append(q.PaywallKinds, kind)
	}
	var err error
	if q.From, err = parseTime(v.Get("from"), false); err != nil {
		return q, fmt.Errorf("from: %w", err)
	}
	if q.To, err = parseTime(v.Get("to"), true); err != nil {
		return q, fmt.Errorf("to: %w", err)
	}
	if q.Size, err = parseInt(v.Get("size"), 10, 1, MaxPageSize); err != nil {
		return q, fmt.Errorf("size: %w", err)
	}
	if q.Offset, err = parseInt(v.Get("offset"), 0, 0, MaxOffset); err != nil {
		return q, fmt.Errorf("offset: %w", err)
	}
	return q, nil
}

func list(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// parseTime accepts RFC 3339 or a date; a date as upper bound means the end
// of that day.
func parseTime(s string, endOfDay bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errors.New("want RFC 3339 or YYYY-MM-DD")
	}
	if endOfDay {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

func parseInt(s string, def, lo, hi int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("want a whole number from %d to %d", lo, hi)
	}
	return n, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
