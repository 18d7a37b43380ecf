package api

import (
	"context"
	"embed"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsdesk/news"
)

//go:embed templates/*.html
var templateFS embed.FS

var pageTemplate = template.Must(template.New("search.html").Funcs(template.FuncMap{
	"snippet":  func(s string) template.HTML { return template.HTML(SafeSnippet(s)) },
	"editNote": EditNote,
}).ParseFS(templateFS, "templates/search.html"))

// pageData is what the search page shows. Every string is escaped by
// html/template; only snippets pass through SafeSnippet as HTML.
type pageData struct {
	Form    url.Values // the request's parameters, to refill the form
	Query   string
	Results news.Results
	Facets  []facetGroup
	Next    string // URL of the next page, empty on the last
	Error   string
	Paywall string
	Sort    string
}

// facetGroup is one facet as a list of links that apply (or remove) a filter.
type facetGroup struct {
	Title string
	Links []facetLink
}

type facetLink struct {
	Label  string
	Count  int
	URL    string
	Active bool
}

// Get returns the first value of a form parameter, for the template.
func (d pageData) Get(key string) string { return d.Form.Get(key) }

// handlePage serves the search page: a plain form and the results, rendered
// on the server so it works without JavaScript.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	data := pageData{Form: params, Query: params.Get("q"), Paywall: params.Get("paywall"), Sort: params.Get("sort")}
	q, err := ParseQuery(params)
	status := http.StatusOK
	if err != nil {
		data.Error, status = err.Error(), http.StatusBadRequest
	} else {
		ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
		defer cancel()
		q.Facets = true
		data.Results, err = s.search.Search(ctx, q)
		switch {
		case err != nil:
			status, data.Error = s.searchFailure(ctx, q.Text, err)
			if status != http.StatusBadRequest {
				data.Error = unavailable
			}
		default:
			data.Facets = facetGroups(params, data.Results.Facets)
			if data.Results.Next != "" {
				data.Next = pageURL(params, func(v url.Values) { v.Set("after", data.Results.Next) })
			}
		}
	}
	s.renderPage(w, status, data)
}

// unavailable is what the page says when the index failed, timed out or
// is overloaded: nothing the reader can fix by changing the query.
const unavailable = "Search is unavailable right now; try again in a minute."

// writeBusyPage is the page when every search slot is taken.
func (s *Server) writeBusyPage(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	s.renderPage(w, http.StatusServiceUnavailable, pageData{Form: params, Query: params.Get("q"),
		Paywall: params.Get("paywall"), Sort: params.Get("sort"), Error: unavailable})
}

// renderPage writes the page with status.
func (s *Server) renderPage(w http.ResponseWriter, status int, data pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// No script, no outside resource, no framing by another site (a
	// clickjacked search box).
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	if err := pageTemplate.Execute(w, data); err != nil {
		s.log.Error("rendering search page", "err", err)
	}
}

// pageURL is the page's URL with params changed by edit; paging restarts.
func pageURL(params url.Values, edit func(url.Values)) string {
	v := url.Values{}
	for k, vs := range params {
		if k != "after" && k != "offset" {
			v[k] = append([]string(nil), vs...)
		}
	}
	edit(v)
	for k, vs := range v {
		if len(vs) == 0 || (len(vs) == 1 && vs[0] == "") {
			delete(v, k)
		}
	}
	return "/?" + v.Encode()
}

// facetGroups turns facet counts into filter links: a value applies its
// filter, an applied value removes it.
func facetGroups(params url.Values, f *news.Facets) []facetGroup {
	if f == nil {
		return nil
	}
	group := func(title, param string, counts []news.FacetCount, label func(string) string) facetGroup {
		g := facetGroup{Title: title}
		for _, c := range counts {
			active := params.Get(param) == c.Value
			g.Links = append(g.Links, facetLink{Label: label(c.Value), Count: c.Count, Active: active,
				URL: pageURL(params, func(v url.Values) {
					if active {
						v.Del(param)
					} else {
						v.Set(param, c.Value)
					}
				})})
		}
		return g
	}
	same := func(s string) string { return s }
	groups := []facetGroup{
		group("Source", "source", f.Sources, same),
		group("Topic", "topic", f.Topics, same),
		group("Paywall", "paywall", f.PaywallKinds, paywallLabel),
	}
	months := facetGroup{Title: "Month"}
	for i := len(f.Months) - 1; i >= 0; i-- { // newest first
		c := f.Months[i]
		start, err := time.Parse("2006-01", c.Value)
		if err != nil {
			continue
		}
		from, to := start.Format(time.DateOnly), start.AddDate(0, 1, -1).Format(time.DateOnly)
		active := params.Get("from") == from && params.Get("to") == to
		months.Links = append(months.Links, facetLink{Label: start.Format("January 2006"), Count: c.Count, Active: active,
			URL: pageURL(params, func(v url.Values) {
				if active {
					v.Del("from")
					v.Del("to")
				} else {
					v.Set("from", from)
					v.Set("to", to)
				}
			})})
	}
	return append(groups, months)
}

func paywallLabel(kind string) string {
	switch news.PaywallKind(kind) {
	case news.PaywallNone:
		return "free"
	case news.PaywallSoft:
		return "soft wall"
	case news.PaywallMetered:
		return "metered"
	case news.PaywallHard:
		return "hard wall (truncated)"
	}
	return kind
}

// SafeSnippet makes a backend's highlighted snippet safe to embed in HTML:
// everything is escaped except the <mark> tags that wrap matched words,
// whatever the backend did or did not escape.
func SafeSnippet(s string) string {
	s = html.EscapeString(html.UnescapeString(s))
	return strings.NewReplacer("&lt;mark&gt;", news.HighlightPre, "&lt;/mark&gt;", news.HighlightPost).Replace(s)
}

// EditNote says how a story was edited since newsdesk first saw it, for
// people: "revision 3, text changed", "revision 2, title and text
// changed"; empty for a first revision. The page's "updated" badge and the
// terminal search show it.
func EditNote(h news.Hit) string {
	if !h.Edited() {
		return ""
	}
	note := "revision " + strconv.Itoa(h.Revision)
	switch n := len(h.Changes); n {
	case 0:
		return note
	case 1:
		return note + ", " + h.Changes[0] + " changed"
	default:
		return note + ", " + strings.Join(h.Changes[:n-1], ", ") + " and " + h.Changes[n-1] + " changed"
	}
}
