package api

import (
	"context"
	"embed"
	"errors"
	"fmt"
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
	"when":     when,
}).ParseFS(templateFS, "templates/search.html"))

// pageData is what the search page shows. Every string is escaped by
// html/template; only snippets pass through SafeSnippet as HTML.
type pageData struct {
	Form    url.Values // the request's parameters, to refill the form
	Query   string
	Results news.Results
	Facets  []facetGroup
	// Choices are the select boxes of the filters, from the facets.
	Choices []choice
	// Range is "11–20 of 28" (or "5 articles" when all fit on the page);
	// Prev and Next the URLs of the neighbouring pages, empty at the ends.
	Range      string
	Prev, Next string
	// Suggestions are what to try when nothing matched; Relaxed says how
	// many the same words match without filters and dates (-1: not asked).
	Suggestions []suggestion
	Relaxed     int
	Error       string
	// ErrorAt is the query split where it does not parse, to show the spot.
	ErrorAt *errorSpot
	Paywall string
	Sort    string
	// CanSave offers the "Save as alert" form (the server has a watch
	// store and there is a query); SaveName refills its name, Saved names
	// the alert just saved.
	CanSave  bool
	SaveName string
	Saved    string
	// Empty is set when the index holds nothing at all: the page then says
	// why instead of suggesting other words. Its Status is the crawl's,
	// when the server knows it.
	Empty *emptyIndex
	// Export links the search's results as CSV and JSON Lines; nil when
	// there is nothing to export or the export needs an API key the page
	// does not have.
	Export *exportLinks
}

// exportLinks are the URLs of a search's export.
type exportLinks struct{ CSV, JSONL string }

// emptyIndex is what the page knows about an index with no article.
type emptyIndex struct {
	Status
	Known bool // the server crawls and Status is its
}

// choice is one filter as a select box of the values the facets found.
type choice struct {
	Name, Label string
	Options     []option
}

type option struct {
	Value, Label string
	Count        int
	Selected     bool
}

// suggestion is one thing to try on a page without results: a link, or
// advice when Href is empty.
type suggestion struct {
	Text, Href string
}

// errorSpot is a query that does not parse, cut at the trouble.
type errorSpot struct{ Before, After string }

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
	saved := savedNote(params)
	data := pageData{Form: params, Query: params.Get("q"), Paywall: params.Get("paywall"), Sort: params.Get("sort"), Relaxed: -1,
		Choices: choices(params, nil), Saved: saved}
	q, err := ParseQuery(params)
	status := http.StatusOK
	if err != nil {
		status = http.StatusBadRequest
		data.Error, data.ErrorAt = plainError(err, data.Query)
		s.renderPage(w, status, data)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), searchTimeout)
	defer cancel()
	q.Facets = true
	data.Results, err = s.search.Search(ctx, q)
	if err != nil {
		status, data.Error = s.searchFailure(ctx, q.Text, err)
		if status != http.StatusBadRequest {
			data.Error = unavailable
		} else {
			data.Error, data.ErrorAt = plainError(err, data.Query)
		}
		s.renderPage(w, status, data)
		return
	}
	facets := data.Results.Facets
	if data.Results.Total == 0 {
		data.Empty = s.emptyIndex(ctx, q)
	}
	if data.Results.Total == 0 && data.Empty == nil {
		facets = s.noResults(ctx, q, params, &data)
	}
	if data.Results.Total > 0 && len(s.opts.APIKeys) == 0 {
		data.Export = exportURLs(params)
	}
	data.Facets = facetGroups(params, facets)
	data.Choices = choices(params, facets)
	data.Range, data.Prev, data.Next = paging(params, q, data.Results)
	data.CanSave = s.opts.Watches != nil && q.Text != ""
	s.renderPage(w, status, data)
}

// emptyIndex is what to say when the index holds no article at all, or
// nil when it holds some (or cannot tell): a search for everything finds
// nothing.
func (s *Server) emptyIndex(ctx context.Context, q news.Query) *emptyIndex {
	if !isMatchAll(q) {
		res, err := s.search.Search(ctx, news.Query{Size: 1})
		if err != nil || res.Total > 0 {
			return nil
		}
	}
	e := &emptyIndex{}
	if s.opts.Status != nil {
		e.Status, e.Known = s.opts.Status(), true
	}
	return e
}

// isMatchAll says whether q asks for every article: no words, no filter.
func isMatchAll(q news.Query) bool {
	return strings.TrimSpace(q.Text) == "" && len(q.Sources) == 0 && len(q.Topics) == 0 && len(q.Languages) == 0 &&
		len(q.Authors) == 0 && len(q.PaywallKinds) == 0 && q.From.IsZero() && q.To.IsZero() && !q.Edited
}

// exportURLs are the export links of a search: its words and filters,
// without paging (the export pages by itself).
func exportURLs(params url.Values) *exportLinks {
	link := func(format string) string {
		v := url.Values{}
		for k, vs := range params {
			switch k {
			case "after", "offset", "size", "limit":
			default:
				for _, x := range vs {
					if x != "" { // the form's unset fields
						v.Add(k, x)
					}
				}
			}
		}
		v.Set("format", format)
		return "/api/search/export?" + v.Encode()
	}
	return &exportLinks{CSV: link("csv"), JSONL: link("jsonl")}
}

// when is a time for the page: "15:04 UTC, 2 Jan 2006" in the server's zone.
func when(t time.Time) string { return t.Format("15:04 MST, 2 Jan 2006") }

// noResults fills the suggestions of a search that found nothing and
// returns the facets to show: those of the same words without filters and
// dates, so the reader sees where the words do occur.
func (s *Server) noResults(ctx context.Context, q news.Query, params url.Values, data *pageData) *news.Facets {
	var sugg []suggestion
	filters := []struct{ param, label string }{{"source", "source"}, {"topic", "topic"}, {"language", "language"},
		{"author", "author"}, {"paywall", "paywall"}, {"edited", "only updated stories"}}
	filtered := false
	for _, f := range filters {
		if v := params.Get(f.param); v != "" {
			filtered = true
			sugg = append(sugg, suggestion{Text: "Search without the " + f.label + " filter (" + v + ")",
				Href: pageURL(params, func(v url.Values) { v.Del(f.param) })})
		}
	}
	if params.Get("from") != "" || params.Get("to") != "" {
		filtered = true
		sugg = append(sugg, suggestion{Text: "Search the same words without the date range",
			Href: pageURL(params, func(v url.Values) { v.Del("from"); v.Del("to") })})
	}
	if strings.TrimSpace(q.Text) != "" {
		sugg = append(sugg, suggestion{Text: "Check the spelling of your words, or try fewer of them, or OR between them (privacy OR surveillance), or a prefix (surveil*)."})
	}
	data.Suggestions = sugg
	if !filtered || q.Text == "" {
		return data.Results.Facets
	}
	relaxed := news.Query{Text: q.Text, Size: 1, Facets: true}
	res, err := s.search.Search(ctx, relaxed)
	if err != nil {
		s.log.Warn("search without filters failed", "query", q.Text, "err", err)
		return data.Results.Facets
	}
	data.Relaxed = res.Total
	return res.Facets
}

// plainError says what is wrong with the request for a reader, and where,
// when the query does not parse.
func plainError(err error, query string) (string, *errorSpot) {
	var qe *news.QueryError
	if errors.As(err, &qe) && qe.Pos >= 0 && qe.Pos <= len(query) {
		return "Your search could not be read: " + qe.Msg + " (marked ▸ below). Fix it and search again.",
			&errorSpot{Before: query[:qe.Pos], After: query[qe.Pos:]}
	}
	msg := err.Error()
	labels := map[string]string{"q": "The search words", "from": "The From date", "to": "The To date",
		"size": "The page size", "offset": "The page", "after": "The page link", "sort": "The order",
		"paywall": "The paywall choice", "source": "The source", "topic": "The topic", "author": "The author",
		"language": "The language", "filters": "The filters", "edited": "The edited choice", "group": "The grouping"}
	if name, rest, ok := strings.Cut(msg, ": "); ok {
		if label, ok := labels[name]; ok {
			return label + " could not be used: " + rest + ". Change it and search again.", nil
		}
	}
	return "The search could not be run: " + msg + ".", nil
}

// paging is the range shown ("11–20 of 28") and the links to the previous
// and next pages. Pages are addressed by offset, so each can link back;
// a page reached by an after cursor (an old link) has only a next link.
func paging(params url.Values, q news.Query, res news.Results) (string, string, string) {
	n := len(res.Hits)
	if params.Get("after") != "" {
		next := ""
		if res.Next != "" {
			next = pageURL(params, func(v url.Values) { v.Set("after", res.Next) })
		}
		return fmt.Sprintf("%d more of %d", n, res.Total), "", next
	}
	size := q.Size
	if size <= 0 {
		size = 10
	}
	var rng, prev, next string
	switch {
	case n == 0 || (q.Offset == 0 && res.Next == ""): // all on one page (grouped: fewer hits than articles)
		rng = fmt.Sprintf("%d article%s", res.Total, plural(res.Total))
	default:
		rng = fmt.Sprintf("%d–%d of %d", q.Offset+1, q.Offset+n, res.Total)
	}
	if q.Offset > 0 {
		prev = pageURL(params, func(v url.Values) {
			if o := max(q.Offset-size, 0); o > 0 {
				v.Set("offset", strconv.Itoa(o))
			}
		})
	}
	if res.Next != "" && n > 0 && q.Offset+n+size <= MaxOffset {
		next = pageURL(params, func(v url.Values) { v.Set("offset", strconv.Itoa(q.Offset+n)) })
	}
	return rng, prev, next
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// choices are the filters as select boxes of the values the facets list,
// with their counts; a value in the URL stays a choice even when no match
// has it.
func choices(params url.Values, f *news.Facets) []choice {
	if f == nil {
		f = &news.Facets{}
	}
	mk := func(name, label string, counts []news.FacetCount, show func(string) string) choice {
		c := choice{Name: name, Label: label, Options: []option{{Value: "", Label: "any"}}}
		cur := params.Get(name)
		found := cur == ""
		for _, fc := range counts {
			c.Options = append(c.Options, option{Value: fc.Value, Label: show(fc.Value), Count: fc.Count, Selected: fc.Value == cur})
			found = found || fc.Value == cur
		}
		if !found {
			c.Options = append(c.Options, option{Value: cur, Label: show(cur), Selected: true})
		}
		c.Options[0].Selected = cur == ""
		return c
	}
	same := func(s string) string { return s }
	kinds := f.PaywallKinds
	if len(kinds) == 0 { // no facet: the kinds still exist
		for _, k := range []news.PaywallKind{news.PaywallNone, news.PaywallSoft, news.PaywallMetered, news.PaywallHard} {
			kinds = append(kinds, news.FacetCount{Value: string(k)})
		}
	}
	return []choice{
		mk("source", "Source", f.Sources, same),
		mk("topic", "Topic", f.Topics, same),
		mk("language", "Language", f.Languages, same),
		mk("paywall", "Paywall", kinds, paywallLabel),
	}
}

// unavailable is what the page says when the index failed, timed out or
// is overloaded: nothing the reader can fix by changing the query.
const unavailable = "Search is unavailable right now; try again in a minute."

// writeBusyPage is the page when every search slot is taken.
func (s *Server) writeBusyPage(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	s.renderPage(w, http.StatusServiceUnavailable, pageData{Form: params, Query: params.Get("q"),
		Paywall: params.Get("paywall"), Sort: params.Get("sort"), Error: unavailable, Choices: choices(params, nil)})
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
		group("Language", "language", f.Languages, same),
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
