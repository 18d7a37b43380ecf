package api

import (
	"context"
	"embed"
	"html"
	"html/template"
	"net/http"
	"strings"

	"newsdesk/news"
)

//go:embed templates/*.html
var templateFS embed.FS

var pageTemplate = template.Must(template.New("search.html").Funcs(template.FuncMap{
	"snippet": func(s string) template.HTML { return template.HTML(SafeSnippet(s)) },
}).ParseFS(templateFS, "templates/search.html"))

type pageData struct {
	Query   string
	Results news.Results
	Error   string
	Paywall string
	Source  string
}

// handlePage serves the search page: a plain form and the results, rendered
// on the server so it works without JavaScript.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	data := pageData{Query: r.URL.Query().Get("q"), Paywall: r.URL.Query().Get("paywall"), Source: r.URL.Query().Get("source")}
	q, err := ParseQuery(r.URL.Query())
	status := http.StatusOK
	if err != nil {
		data.Error, status = err.Error(), http.StatusBadRequest
	} else {
		ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
		defer cancel()
		if data.Results, err = s.search.Search(ctx, q); err != nil {
			s.log.Error("search failed", "query", q.Text, "err", err)
			data.Error, status = "The search backend failed; try again shortly.", http.StatusBadGateway
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	if err := pageTemplate.Execute(w, data); err != nil {
		s.log.Error("rendering search page", "err", err)
	}
}

// SafeSnippet makes a backend's highlighted snippet safe to embed in HTML:
// everything is escaped except the <mark> tags that wrap matched words,
// whatever the backend did or did not escape.
func SafeSnippet(s string) string {
	s = html.EscapeString(html.UnescapeString(s))
	return strings.NewReplacer("&lt;mark&gt;", news.HighlightPre, "&lt;/mark&gt;", news.HighlightPost).Replace(s)
}
