package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"newsdesk/news"
)

// hidden is one hidden field of the page's "Save as alert" form.
type hidden struct{ Name, Value string }

// watchParams are the page's parameters a saved watch keeps: the query
// and the filters a watch has (author and dates are not part of an alert).
var watchParams = []string{"q", "source", "topic", "language", "paywall"}

// SaveFields are the search to save, as hidden fields.
func (d pageData) SaveFields() []hidden {
	var out []hidden
	for _, name := range watchParams[1:] {
		for _, v := range d.Form[name] {
			if v != "" {
				out = append(out, hidden{name, v})
			}
		}
	}
	return out
}

// handlePageSaveWatch is the page's "Save as alert" form: the search saved
// as a watch, then back to the search with a note (303), or the search page
// again with what went wrong in plain words. Cross-origin posts are refused
// (http.CrossOriginProtection), so another site cannot save watches
// through a reader's browser.
func (s *Server) handlePageSaveWatch(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxWatchBody)
	if err := r.ParseForm(); err != nil {
		s.renderPage(w, http.StatusBadRequest, pageData{Form: url.Values{}, Error: "The alert was not saved: the form could not be read.", Relaxed: -1, Choices: choices(url.Values{}, nil)})
		return
	}
	back := url.Values{}
	for _, name := range watchParams {
		for _, v := range r.PostForm[name] {
			if v = strings.TrimSpace(v); v != "" {
				back.Add(name, v)
			}
		}
	}
	in := SavedWatch{Name: strings.TrimSpace(r.PostForm.Get("name")), Query: back.Get("q"), Filters: WatchFilters{
		Source: list(back["source"]), Topic: list(back["topic"]), Language: list(back["language"]), Paywall: list(back["paywall"])}}
	status, msg := s.savePageWatch(r.Context(), in)
	if status != http.StatusCreated {
		s.renderPage(w, status, pageData{Form: back, Query: in.Query, Error: "The alert was not saved: " + msg,
			Relaxed: -1, Choices: choices(back, nil), CanSave: s.opts.Watches != nil, SaveName: in.Name})
		return
	}
	back.Set("saved", in.Name)
	http.Redirect(w, r, "/?"+back.Encode(), http.StatusSeeOther)
}

// savePageWatch saves in and says how it went, for a person.
func (s *Server) savePageWatch(ctx context.Context, in SavedWatch) (int, string) {
	wt, err := checkWatch(in)
	if err != nil {
		return http.StatusBadRequest, err.Error()
	}
	if s.opts.Watches == nil {
		return http.StatusServiceUnavailable, "alerts cannot be saved on this server (it has no connection to NATS)."
	}
	ctx, cancel := context.WithTimeout(ctx, watchTimeout)
	defer cancel()
	switch err := s.opts.Watches.SaveWatch(ctx, wt); {
	case errors.Is(err, ErrWatchExists):
		return http.StatusConflict, "an alert named “" + wt.Name + "” exists; pick another name."
	case err != nil:
		s.log.Error("saving saved watch failed", "err", err)
		return http.StatusServiceUnavailable, "alerts cannot be saved right now; try again in a minute."
	}
	return http.StatusCreated, ""
}

// savedNote is the name of the alert just saved from the page, if the
// parameter is one.
func savedNote(params url.Values) string {
	name := params.Get("saved")
	params.Del("saved") // not carried into paging and facet links
	if !news.ValidSourceName(name) || len(name) > maxWatchNameLen {
		return ""
	}
	return name
}
