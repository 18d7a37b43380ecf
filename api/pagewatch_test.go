package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"newsdesk/news"
)

func postForm(h http.Handler, form url.Values, header map[string]string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/watches", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	h.ServeHTTP(rec, req)
	return rec
}

// TestPageSavesTheSearchAsAnAlert: the page offers "Save as alert" for a
// search, the form saves the query and the filters a watch has and comes
// back to the search with a note; a bad name is explained on the page with
// the form refilled; another site cannot post it.
func TestPageSavesTheSearchAsAnAlert(t *testing.T) {
	store := &memWatches{ws: map[string]SavedWatch{}}
	srv := NewWithOptions(&recordingSearcher{res: news.Results{Total: 1, Hits: []news.Hit{{ID: "a", Title: "Harbour", URL: "https://port.example/a"}}}},
		nil, nil, Options{Watches: store})

	page := get(t, srv, "/?q=harbour&source=port&from=2026-01-01")
	body := readAll(t, page)
	for _, want := range []string{`id="save-alert"`, `name="source" value="port"`, `name="q" value="harbour"`} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %s", want)
		}
	}

	form := url.Values{"name": {"harbour-port"}, "q": {"harbour"}, "source": {"port"}, "from": {"2026-01-01"}}
	if rec := postForm(srv, form, map[string]string{"Sec-Fetch-Site": "cross-site"}); rec.Code != http.StatusForbidden || len(store.ws) != 0 {
		t.Fatalf("a cross-site post: status %d, %d saved", rec.Code, len(store.ws))
	}
	rec := postForm(srv, form, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/?q=harbour&saved=harbour-port&source=port" {
		t.Fatalf("saving: status %d, Location %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if w := store.ws["harbour-port"]; w.Query != "harbour" || !slices.Equal(w.Filters.Source, []string{"port"}) || w.Subject != "harbour-port" {
		t.Errorf("saved %+v", w)
	}
	back := readAll(t, get(t, srv, rec.Header().Get("Location")))
	if !strings.Contains(back, "newsdesk.alert.harbour-port") {
		t.Errorf("the search after saving does not say where the alerts go")
	}

	again := postForm(srv, form, nil)
	if again.Code != http.StatusConflict || !strings.Contains(again.Body.String(), "exists; pick another name") {
		t.Errorf("saving the name again: status %d", again.Code)
	}
	bad := postForm(srv, url.Values{"name": {"Harbour Port"}, "q": {"harbour"}}, nil)
	if b := bad.Body.String(); bad.Code != http.StatusBadRequest || !strings.Contains(b, "The alert was not saved: name:") || !strings.Contains(b, `value="Harbour Port"`) {
		t.Errorf("a bad name: status %d: %s", bad.Code, b)
	}
}

// TestPageOffersNoAlertWithoutAStore: without NATS the form is not shown.
func TestPageOffersNoAlertWithoutAStore(t *testing.T) {
	srv := New(&recordingSearcher{res: news.Results{Total: 1, Hits: []news.Hit{{ID: "a", Title: "Harbour"}}}}, nil, nil)
	if body := readAll(t, get(t, srv, "/?q=harbour")); strings.Contains(body, "save-alert") {
		t.Error("the page offers to save an alert the server cannot store")
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
