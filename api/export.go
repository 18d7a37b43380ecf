package api

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsdesk/news"
)

// Export bounds: an export streams at most MaxExportRows hits, fetched
// exportPageSize at a time by cursor, so one request cannot hold the index
// or the server's memory for long.
const (
	MaxExportRows  = 10000
	exportPageSize = MaxPageSize
)

// exportColumns are the CSV columns: every field of a hit, lists joined
// with "; ", the snippet as plain text.
var exportColumns = []string{"id", "title", "url", "source", "authors", "published", "language", "topics",
	"word_count", "paywall_kind", "paywall_detected", "paywall_truncated", "paywall_signals", "score",
	"revision", "changes", "first_seen", "last_updated", "group", "also_at", "snippet"}

// handleExport streams every hit of a search (the parameters of
// /api/search; size, offset and after are ignored) as CSV or JSON Lines:
// format=csv|jsonl, limit (at most MaxExportRows). Errors before the first
// row are JSON like /api/search's; a failure later ends the body early and
// is logged, as the status is already sent.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	if err := once(params, "format", "limit"); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody(err))
		return
	}
	format := params.Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "jsonl" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("format: %q is not csv or jsonl", format)})
		return
	}
	limit, err := parseInt(params.Get("limit"), MaxExportRows, 1, MaxExportRows)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "limit: " + err.Error()})
		return
	}
	params.Del("size")
	params.Del("offset")
	params.Del("after")
	q, err := ParseQuery(params)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody(err))
		return
	}
	q.Size, q.Facets = min(exportPageSize, limit), false

	page, err := s.exportPage(r.Context(), q)
	if err != nil {
		s.writeSearchError(w, r.Context(), q.Text, err)
		return
	}
	out := newExportWriter(w, format)
	rows := 0
	for {
		for _, h := range safeResults(page).Hits {
			if rows == limit {
				break
			}
			if err := out.write(h); err != nil {
				return // the client went away
			}
			rows++
		}
		if rows == limit || page.Next == "" || len(page.Hits) == 0 {
			break
		}
		q.After = page.Next
		if page, err = s.exportPage(r.Context(), q); err != nil {
			s.log.Error("export stopped early", "query", q.Text, "rows", rows, "err", err)
			break
		}
	}
	out.flush()
}

// exportPage runs one page of an export under the search timeout.
func (s *Server) exportPage(ctx context.Context, q news.Query) (news.Results, error) {
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	return s.search.Search(ctx, q)
}

// exportWriter writes hits as CSV rows or JSON lines.
type exportWriter struct {
	w   http.ResponseWriter
	csv *csv.Writer
	enc *json.Encoder
}

func newExportWriter(w http.ResponseWriter, format string) *exportWriter {
	h := w.Header()
	h.Set("Content-Disposition", `attachment; filename="newsdesk-export.`+format+`"`)
	ew := &exportWriter{w: w}
	if format == "jsonl" {
		h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
		ew.enc = json.NewEncoder(w)
	} else {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		ew.csv = csv.NewWriter(w)
		_ = ew.csv.Write(exportColumns)
	}
	w.WriteHeader(http.StatusOK)
	return ew
}

func (e *exportWriter) write(h news.Hit) error {
	if e.enc != nil {
		return e.enc.Encode(h)
	}
	return e.csv.Write(csvRow(h))
}

func (e *exportWriter) flush() {
	if e.csv != nil {
		e.csv.Flush()
	}
}

// csvRow is a hit in the order of exportColumns.
func csvRow(h news.Hit) []string {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	return []string{h.ID, h.Title, h.URL, h.Source, strings.Join(h.Authors, "; "), ts(h.Published), h.Language,
		strings.Join(h.Topics, "; "), strconv.Itoa(h.WordCount), string(h.Paywall.Kind),
		strconv.FormatBool(h.Paywall.Detected), strconv.FormatBool(h.Paywall.Truncated),
		strings.Join(h.Paywall.Signals, "; "), strconv.FormatFloat(h.Score, 'g', -1, 64),
		strconv.Itoa(h.Revision), strings.Join(h.Changes, "; "), ts(h.FirstSeen), ts(h.LastUpdated), h.Group,
		strconv.Itoa(h.AlsoAt), plainSnippet(h.Snippet)}
}

// plainSnippet is a snippet as text for a spreadsheet: no marks, no
// entities.
func plainSnippet(s string) string {
	s = strings.NewReplacer(news.HighlightPre, "", news.HighlightPost, "").Replace(s)
	return html.UnescapeString(s)
}
