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
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"newsdesk/news"
	"newsdesk/schemas"
)

// Searcher runs queries against the index. Both methods fail with an error
// wrapping news.ErrInvalidQuery for a query the user must change, and
// Related with one wrapping news.ErrNotFound for an unknown article (a
// 404).
type Searcher interface {
	Search(ctx context.Context, q news.Query) (news.Results, error)
	Related(ctx context.Context, id string, size int) (news.Results, error)
}

// Pinger reports whether the index is reachable; /readyz uses it, unless
// it also is a Readier.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Readier reports whether the index can answer searches now: cheaper and
// closer to what a search needs than Ping (an Elasticsearch cluster with no
// elected master still answers searches, but not cluster health).
type Readier interface {
	Ready(ctx context.Context) error
}

// Limits on what one request may ask for, so a query cannot tie up the index.
const (
	MaxQueryLen   = news.MaxQueryBytes
	MaxPageSize   = 100
	MaxOffset     = 10000
	MaxRelated    = 20
	searchTimeout = 10 * time.Second
	// MaxValueBytes bounds one filter value and an article id (an
	// Elasticsearch _id has at most 512 bytes).
	MaxValueBytes = 512
	// DefaultMaxConcurrent is Options.MaxConcurrent when unset.
	DefaultMaxConcurrent = 64
	// retryAfterSeconds is the Retry-After of a shed request.
	retryAfterSeconds = 2
)

// MinDate and MaxDate bound from and to: dates both indexes can compare
// (the embedded one stores nanoseconds since 1970 in an int64).
var (
	MinDate = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxDate = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
)

//go:embed openapi.yaml
var openAPI []byte

// Options configure the server beyond its index.
type Options struct {
	// APIKeys, when any are set, are required on /api/search and
	// /api/articles/... (header "Authorization: Bearer KEY" or "X-API-Key").
	// The page, /healthz and /readyz stay open: the page is for people on
	// the newsroom's network, the probes for load balancers.
	APIKeys []string
	// MaxConcurrent bounds the searches (API and page) run at once; one
	// more is answered 503 with Retry-After at once. 0 means
	// DefaultMaxConcurrent.
	MaxConcurrent int
	// Watches stores the searches saved as alerts (/api/watches, guarded
	// by the API keys); nil answers those endpoints 503.
	Watches WatchStore
	// Status, when set, tells the page about the crawls of this process
	// (newsdesk run), so an empty index says why it is empty; nil (serve)
	// says only that nothing is indexed yet.
	Status func() Status
}

// Status is what a process that crawls knows of its crawls.
type Status struct {
	Crawling     bool      // a pass is running now
	LastCrawl    time.Time // when the last pass ended; zero: none yet
	LastCrawlErr string    // why the last pass failed; empty: it did not
	LastArticles int       // the articles the last pass published
	NextCrawl    time.Time // when the next pass starts; zero: none scheduled
}

// Server is the HTTP handler of the search API.
type Server struct {
	search Searcher
	ping   Pinger
	log    *slog.Logger
	mux    *http.ServeMux
	opts   Options
	slots  chan struct{} // one token per running search
}

// New returns the handler. ping may be nil (then /readyz, like /healthz,
// only says the process is up); logger may be nil.
func New(s Searcher, ping Pinger, logger *slog.Logger) *Server {
	return NewWithOptions(s, ping, logger, Options{})
}

// NewWithOptions is New with API keys and the not-found test of Related.
func NewWithOptions(s Searcher, ping Pinger, logger *slog.Logger, opts Options) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent
	}
	srv := &Server{search: s, ping: ping, log: logger, mux: http.NewServeMux(), opts: opts,
		slots: make(chan struct{}, opts.MaxConcurrent)}
	srv.mux.HandleFunc("GET /api/search", srv.requireKey(srv.limit(srv.handleSearch, writeBusyJSON)))
	srv.mux.HandleFunc("GET /api/search/export", srv.requireKey(srv.limit(srv.handleExport, writeBusyJSON)))
	srv.mux.HandleFunc("GET /api/articles/{id}/related", srv.requireKey(srv.limit(srv.handleRelated, writeBusyJSON)))
	srv.mux.HandleFunc("GET /api/openapi.yaml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(openAPI)
	})
	srv.mux.HandleFunc("POST /api/watches", srv.requireKey(srv.handleSaveWatch))
	srv.mux.HandleFunc("GET /api/watches", srv.requireKey(srv.handleListWatches))
	srv.mux.HandleFunc("DELETE /api/watches/{name}", srv.requireKey(srv.handleDeleteWatch))
	srv.mux.Handle("POST /watches", http.NewCrossOriginProtection().Handler(http.HandlerFunc(srv.handlePageSaveWatch)))
	srv.mux.HandleFunc("GET /schemas/{file}", handleSchema)
	srv.mux.HandleFunc("GET /healthz", handleHealth)
	srv.mux.HandleFunc("GET /readyz", srv.handleReady)
	srv.mux.HandleFunc("GET /{$}", srv.limit(srv.handlePage, srv.writeBusyPage))
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
		if got == "" {
			got = bearerToken(r.Header.Get("Authorization"))
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

// bearerToken is the credentials of an Authorization header with the
// Bearer scheme, whose name is case-insensitive (RFC 7235), else "".
func bearerToken(auth string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(auth), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// limit runs h when one of the search slots is free and answers with busy
// otherwise: under overload, refusing at once with 503 lets the searches
// that run finish in time, where queueing made every one of them time out.
func (s *Server) limit(h http.HandlerFunc, busy http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
			h(w, r)
		default:
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
			busy(w, r)
		}
	}
}

func writeBusyJSON(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "too many searches at once; retry after " + strconv.Itoa(retryAfterSeconds) + " seconds"})
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q, err := ParseQuery(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody(err))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	res, err := s.search.Search(ctx, q)
	if err != nil {
		s.writeSearchError(w, ctx, q.Text, err)
		return
	}
	writeJSON(w, http.StatusOK, safeResults(res))
}

func (s *Server) handleRelated(w http.ResponseWriter, r *http.Request) {
	if err := once(r.URL.Query(), "size"); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	size, err := parseInt(r.URL.Query().Get("size"), 5, 1, MaxRelated)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "size: " + err.Error()})
		return
	}
	id := r.PathValue("id")
	if err := checkText(id, MaxValueBytes); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "id: " + err.Error()})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	res, err := s.search.Related(ctx, id, size)
	if err != nil {
		if errors.Is(err, news.ErrNotFound) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no article with this id"})
			return
		}
		s.writeSearchError(w, ctx, id, err)
		return
	}
	writeJSON(w, http.StatusOK, safeResults(res))
}

// writeSearchError answers a failed search with searchFailure's status.
func (s *Server) writeSearchError(w http.ResponseWriter, ctx context.Context, what string, err error) {
	status, msg := s.searchFailure(ctx, what, err)
	writeJSON(w, status, map[string]string{"error": msg})
}

// searchFailure is the status and message of a failed search, the same for
// the API and the page: 400 with the reason when the user asked for
// something invalid, 504 when the index did not answer in time (ctx is the
// search's), else 502; the last two without internals, which are logged.
func (s *Server) searchFailure(ctx context.Context, what string, err error) (int, string) {
	switch {
	case errors.Is(err, news.ErrInvalidQuery):
		return http.StatusBadRequest, strings.TrimSuffix(err.Error(), ": "+news.ErrInvalidQuery.Error())
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		s.log.Warn("search timed out", "query", what, "err", err)
		return http.StatusGatewayTimeout, "the search backend did not answer in time; try again in a minute"
	}
	s.log.Error("search failed", "query", what, "err", err)
	return http.StatusBadGateway, "search backend failed"
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

// handleSchema serves the events' JSON Schemas, so the $id an event's
// dataschema names (schemas.BaseURL + file) can be fetched from the server
// too. Open like the page: the schemas are public contracts.
func handleSchema(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := fs.ReadFile(schemas.FS, name)
	if err != nil || !strings.HasSuffix(name, ".json") {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no schema " + strconv.Quote(name) + "; see " + schemas.BaseURL})
		return
	}
	w.Header().Set("Content-Type", "application/schema+json")
	_, _ = w.Write(b)
}

// handleHealth is liveness: the process serves HTTP. It never asks the
// index, so an index outage does not get a healthy process restarted.
func handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady is readiness: the index answers a search now (Readier), else
// Ping; 503 otherwise, so a load balancer sends searches elsewhere.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	var err error
	if rd, ok := s.ping.(Readier); ok {
		err = rd.Ready(ctx)
	} else if s.ping != nil {
		err = s.ping.Ping(ctx)
	}
	if err != nil {
		s.log.Warn("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "the index does not answer searches"})
		return
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
	if err := once(v, "q", "from", "to", "sort", "size", "offset", "after", "facets", "edited", "group"); err != nil {
		return news.Query{}, err
	}
	q := news.Query{Text: strings.TrimSpace(v.Get("q"))}
	if err := checkText(q.Text, MaxQueryLen); err != nil {
		return q, fmt.Errorf("q: %w", err)
	}
	q.Sources = list(v["source"])
	q.Languages = list(v["language"])
	q.Topics = list(v["topic"])
	for _, a := range v["author"] {
		if a = strings.TrimSpace(a); a != "" {
			q.Authors = append(q.Authors, a)
		}
	}
	for _, f := range []struct {
		name   string
		values []string
	}{{"source", q.Sources}, {"language", q.Languages}, {"topic", q.Topics}, {"author", q.Authors}} {
		for _, value := range f.values {
			if err := checkText(value, MaxValueBytes); err != nil {
				return q, fmt.Errorf("%s: %w", f.name, err)
			}
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
	if q.Offset+q.Size > MaxOffset {
		return q, fmt.Errorf("offset: offset+size is %d, at most %d allowed (page deeper with after)", q.Offset+q.Size, MaxOffset)
	}
	q.Sort = news.Sort(v.Get("sort"))
	q.After = v.Get("after")
	if len(q.After) > maxCursorLen || !cursorPattern.MatchString(q.After) {
		return q, errors.New("after: not a cursor (the next of a previous page)")
	}
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
		return q, &queryError{msg: strings.TrimSuffix(err.Error(), ": "+news.ErrInvalidQuery.Error()), err: err}
	}
	return q, nil
}

// queryError is a refusal of the query as the user should read it (without
// the sentinel's ": invalid query"), keeping its cause for errors.As.
type queryError struct {
	msg string
	err error
}

func (e *queryError) Error() string { return e.msg }
func (e *queryError) Unwrap() error { return e.err }

// errorBody is the JSON of a refused request: the message and, for a query
// that does not parse, the byte offset in q where it went wrong.
func errorBody(err error) map[string]any {
	body := map[string]any{"error": err.Error()}
	var qe *news.QueryError
	if errors.As(err, &qe) {
		body["position"] = qe.Pos
	}
	return body
}

// once refuses a single-valued parameter given more than once: which of
// the values was meant is anybody's guess.
func once(v url.Values, names ...string) error {
	for _, name := range names {
		if n := len(v[name]); n > 1 {
			return fmt.Errorf("%s: given %d times, at most once allowed", name, n)
		}
	}
	return nil
}

// maxFilterValues bounds the filter values of one query.
const maxFilterValues = 50

// maxCursorLen bounds the after cursor, as the indexes do.
const maxCursorLen = 2048

// cursorPattern is what a cursor looks like (unpadded base64url), as the
// OpenAPI document says: anything else is refused before any index sees it.
var cursorPattern = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)

// DateOrTimePattern is the from and to parameters exactly as the OpenAPI
// document's DateOrTime states them: a date or an RFC 3339 time of the
// years MinDate to MaxDate, days that exist (29 February in leap years).
// A test holds the document to it.
const DateOrTimePattern = `^(((167[89]|16[89][0-9]|1[7-9][0-9]{2}|2[01][0-9]{2}|22[0-5][0-9]|226[01])-((0[1-9]|1[0-2]` +
	`)-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)|(16(8[048]|9[26])|(` +
	`1[7-9]|21)(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26])|22(0[48]|[24][048]|` +
	`60|[135][26]))-02-29)(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01]` +
	`[0-9]|2[0-3]):[0-5][0-9]))?)?$`

var dateOrTime = regexp.MustCompile(DateOrTimePattern)

// checkText refuses text that no index should see: longer than max bytes,
// not UTF-8, or with control characters (a NUL in a term, say).
func checkText(s string, max int) error {
	switch {
	case len(s) > max:
		return fmt.Errorf("longer than %d bytes", max)
	case !utf8.ValidString(s):
		return errors.New("not valid UTF-8")
	case strings.IndexFunc(s, isControl) >= 0:
		return errors.New("contains a control character")
	}
	return nil
}

// isControl reports C0 and C1 controls except tab, newline and CR, which
// are whitespace in a query.
func isControl(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
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

// parseTime accepts RFC 3339 or a date, written in the years of MinDate to
// MaxDate (any offset keeps such a time within the indexes' range); a date
// as upper bound means the end of that day.
func parseTime(s string, endOfDay bool) (time.Time, error) {
	if !dateOrTime.MatchString(s) {
		if t, err := parseTimeAny(s, endOfDay); err == nil && (t.Year() < MinDate.Year() || t.Year() > MaxDate.Year()) {
			return time.Time{}, fmt.Errorf("want a date from %s to %s", MinDate.Format(time.DateOnly), MaxDate.Format(time.DateOnly))
		}
		return time.Time{}, errors.New("want RFC 3339 or YYYY-MM-DD")
	}
	return parseTimeAny(s, endOfDay)
}

func parseTimeAny(s string, endOfDay bool) (time.Time, error) {
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
