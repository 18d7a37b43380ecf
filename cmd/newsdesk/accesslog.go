package main

import (
	"log/slog"
	"net/http"
	"time"

	"newsdesk/config"
	"newsdesk/crawler"
)

// withAccessLog logs one line per request when http.access_log is on, as
// structured fields so a JSON log can be queried by status or path. It sits
// here, not in api/, because it is an operator choice of this binary. The
// query is logged (it is what was searched); API keys travel in headers,
// which are not.
func withAccessLog(c config.HTTP, logger *slog.Logger, next http.Handler) http.Handler {
	if !c.AccessLog {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.LogAttrs(r.Context(), slog.LevelInfo, "http request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("query", r.URL.RawQuery),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr),
		)
	})
}

// statusRecorder remembers the status and size of an answer.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// summaryAttrs are a crawl pass's totals as log fields, so a JSON log has
// one number per key instead of one string to parse.
func summaryAttrs(s crawler.Summary) []any {
	return []any{
		"pages", s.Pages, "requests", s.Requests, "conditional", s.Conditional, "not_modified", s.NotModified,
		"articles", s.Articles, "updated", s.Updated, "unchanged", s.Unchanged, "off_topic", s.OffTopic,
		"paywalls", s.Paywalls, "revisits", s.Revisits, "revisits_due", s.RevisitsDue, "dead", s.Dead,
		"errors", s.Errors, "too_large", s.TooLarge, "skipped", s.Skipped,
		slog.Group("skips", "robots", s.Skips.Robots, "off_site", s.Skips.OffSite, "pattern", s.Skips.Pattern,
			"too_old", s.Skips.TooOld, "budget", s.Skips.Budget, "dead", s.Skips.Dead, "chrome", s.Skips.Chrome,
			"not_due", s.Skips.NotDue, "other", s.Skips.Other),
		"leased", s.Leased, "all_leased", s.AllLeased, "elapsed", s.Elapsed.Round(time.Millisecond),
	}
}
