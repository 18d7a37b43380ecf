// Package api serves newsroom search over HTTP: a JSON API for tools and a
// small server-rendered page for people. It only reads the index; the
// indexer is the only writer.
package api

import (
	"context"
	"crypto/subtle"
	_ "embed"
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

// Searcher runs queries against the index. Both methods fail with an error
// wrapping news.ErrInvalidQuery for a query the user must change, and
// Related with one wrapping ErrNotFound (any error whose text the index
// chose; see notFound) for an unknown article.
type Searcher interface {
	Search(ctx context.Context, q news.Query) (news.Results, error)
	Related(ctx context.Context, id string, size int) (news.Results, error)
}

// Pinger reports whether the index is reachable; /healthz uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Limits on what one request may ask for, so a query cannot tie up the index.
const (
	MaxQueryLen   = news.MaxQueryBytes
	MaxPageSize   = 100
	MaxOffset     = 10000
	MaxRelated    = 20
	searchTimeout = 10 * time.Second
)

//go:embed openapi.yaml
var openAPI []byte

// Options configure the server beyond its index.
type Options struct {
	// APIKeys, when any are set, are required on /api/search and
	// /api/articles/... (header "Authorization: Bearer KEY" or "X-API-Key").
	// The page and /healthz stay open: the page is for people on the
	// newsroom's network, /healthz for load balancers.
	APIKeys []string
	// IsNotFound reports whether an error of Related means an unknown
	// article (the index's ErrNotFound); nil treats none as such.
	IsNotFound func(error) bool
}

// Server is the HTTP handler of the search API.
type Server struct {
	search Searcher
	ping   Pinger
	log    *slog.Logger
	mux    *http.ServeMux
	opts   Options
}

// New returns the handler. ping may be nil (then /healthz only says the
// process is up); logger may be nil.
func New(s Searcher, ping Pinger, logger *slog.Logger) *Server {
	return NewWithOptions(s, ping, logger, Options{})
}

// NewWithOptions is New with API keys and the not-found test of Related.
func NewWithOptions(s Searcher, ping Pinger, logger *slog.Logger, opts Options) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	srv := &Server{search: s, ping: ping, log: logger, mux: http.NewServeMux(), opts: opts}
	srv.mux.HandleFunc("GET /api/search", srv.requireKey(srv.handleSearch))
	srv.mux.HandleFunc("GET /api/articles/{id}/related", srv.requireKey(srv.handleRelated))
	srv.mux.HandleFunc("GET /api/openapi.yaml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(openAPI)
	})
	srv.mux.HandleFunc("GET /healthz", srv.handleHealth)
	srv.mux.HandleFunc("GET /{$}", srv.handlePage)
	return srv
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// requireKey guards h with the API keys, when there are any. Keys are
// compared in constant time, so timing does not leak how much of one matched.
func (s *Server) requireKey(h http.HandlerFunc) http.HandlerFunc {
	if len(s.opts.APIKeys) == 0 {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-API-Key")
		if auth := r.Header.Get("Authorization"); got == "" && strings.HasPrefix(auth, "Bearer ") {
			got = strings.TrimPrefix(auth, "Bearer ")
		}
		ok := 0
		for _, k := range s.opts.APIKeys {
			ok |= subtle.ConstantTimeCompare([]byte(got), []byte(k))
		}
		if got == "" || ok != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsdesk"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "an API key is required (Authorization: Bearer KEY)"})
			return
		}
		h(w, r)
	}
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
		s.writeSearchError(w, q.Text, err)
		return
	}
	writeJSON(w, http.StatusOK, safeResults(res))
}

func (s *Server) handleRelated(w http.ResponseWriter, r *http.Request) {
	size, err := parseInt(r.URL.Query().Get("size"), 5, 1, MaxRelated)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "size: " + err.Error()})
		return
	}
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	res, err := s.search.Related(ctx, id, size)
	if err != nil {
		if s.opts.IsNotFound != nil && s.opts.IsNotFound(err) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no article with this id"})
			return
		}
		s.writeSearchError(w, id, err)
		return
	}
	writeJSON(w, http.StatusOK, safeResults(res))
}

// writeSearchError answers a failed search: 400 with the reason when the
// user asked for something invalid, else 502 without internals.
func (s *Server) writeSearchError(w http.ResponseWriter, what string, err error) {
	if errors.Is(err, news.ErrInvalidQuery) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": strings.TrimSuffix(err.Error(), ": "+news.ErrInvalidQuery.Error())})
		return
	}
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("search timed out", "query", what, "err", err)
		writeJSON(w, http.StatusGatewayTimeout, map[string]string{"error": "the search took too long; narrow it down"})
		return
	}
	s.log.Error("search failed", "query", what, "err", err)
	writeJSON(w, http.StatusBadGateway, map[string]string{"error": "search backend failed"})
}

// safeResults makes every snippet safe HTML and every list non-nil.
func safeResults(res news.Results) news.Results {
	if res.Hits == nil {
		res.Hits = []news.Hit{}
	}
	for i := range res.Hits {
		res.Hits[i].Snippet = SafeSnippet(res.Hits[i].Snippet)
		if res.Hits[i].Authors == nil {
			res.Hits[i].Authors = []string{}
		}
	}
	return res
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
// paywall, author, topic (each filter may repeat; all but author may be
// comma-separated, since names contain commas), from and to (RFC 3339 or
// YYYY-MM-DD), sort (relevance or date), size, offset or after (the next
// cursor of the previous page), facets (true or false, default true),
// edited (true: only stories edited since first seen), group (default true:
// one hit per syndicated story, with the other outlets in also_at and
// copies; false lists every copy). Errors name the parameter.
func ParseQuery(v url.Values) (news.Query, error) {
	q := news.Query{Text: strings.TrimSpace(v.Get("q"))}
	if len(q.Text) > MaxQueryLen {
		return q, fmt.Errorf("q: longer than %d bytes", MaxQueryLen)
	}
	q.Sources = list(v["source"])
	q.Languages = list(v["language"])
	q.Topics = list(v["topic"])
	for _, a := range v["author"] {
		if a = strings.TrimSpace(a); a != "" {
			q.Authors = append(q.Authors, a)
		}
	}
	for _, k := range list(v["paywall"]) {
		kind := news.PaywallKind(k)
		if !kind.Valid() {
			return q, fmt.Errorf("paywall: %q is not one of none, soft, metered, hard", k)
		}
		q.PaywallKinds = append(q.PaywallKinds, kind)
	}
	if n := len(q.Sources) + len(q.Languages) + len(q.Topics) + len(q.Authors); n > maxFilterValues {
		return q, fmt.Errorf("filters: %d values, at most %d allowed", n, maxFilterValues)
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
	q.Sort = news.Sort(v.Get("sort"))
	q.After = v.Get("after")
	for _, b := range []struct {
		name string
		dst  *bool
		def  bool
	}{{"facets", &q.Facets, true}, {"edited", &q.Edited, false}, {"group", &q.Group, true}} {
		*b.dst = b.def
		if s := v.Get(b.name); s != "" {
			if *b.dst, err = strconv.ParseBool(s); err != nil {
				return q, fmt.Errorf("%s: want true or false", b.name)
			}
		}
	}
	if err := q.Check(); err != nil {
		return q, errors.New(strings.TrimSuffix(err.Error(), ": "+news.ErrInvalidQuery.Error()))
	}
	return q, nil
}

// maxFilterValues bounds the filter values of one query.
const maxFilterValues = 50

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

// writeJSON answers with v as compact JSON: indenting a page of hits cost
// as much as encoding it, for readers that are programs (jq indents).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
