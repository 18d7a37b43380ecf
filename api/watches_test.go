package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"newsdesk/news"
)

// memWatches is a WatchStore in memory, for the HTTP layer's tests (the
// NATS one is tested in cmd/newsdesk).
type memWatches struct {
	mu sync.Mutex
	ws map[string]SavedWatch
}

func (m *memWatches) SaveWatch(_ context.Context, w SavedWatch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.ws[w.Name]; ok {
		return ErrWatchExists
	}
	m.ws[w.Name] = w
	return nil
}

func (m *memWatches) Watches(context.Context) ([]SavedWatch, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []SavedWatch
	for _, w := range m.ws {
		out = append(out, w)
	}
	return out, nil
}

func (m *memWatches) DeleteWatch(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.ws[name]; !ok {
		return fmt.Errorf("watch %s: %w", name, news.ErrNotFound)
	}
	delete(m.ws, name)
	return nil
}

func send(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	return rec
}

// TestSaveWatchTakesOnlyWhatTheDocumentAllows: the body is read as
// strictly as the OpenAPI document states it, each refusal naming the
// field; a valid one is saved once, listed and deleted.
func TestSaveWatchTakesOnlyWhatTheDocumentAllows(t *testing.T) {
	srv := NewWithOptions(&recordingSearcher{}, nil, nil, Options{Watches: &memWatches{ws: map[string]SavedWatch{}}})
	for body, want := range map[string]string{
		`{"name":"x"}`:                                                 "query: required",
		`{"query":"harbour"}`:                                          "name: required",
		`{"Name":"x","query":"harbour"}`:                               `unknown key \"Name\"`,
		`{"name":"x","query":"harbour","size":1}`:                      `unknown key \"size\"`,
		`{"name":"x","query":null}`:                                    "query: want a string",
		`{"name":"x","query":"a","filters":null}`:                      "filters: want an object",
		`{"name":"x","query":"a","filters":{"source":null}}`:           "filters.source: want a list",
		`{"name":"x","query":"a","filters":{"source":[""]}}`:           "filters.source: an empty value",
		`{"name":"x","query":"a","filters":{"paywall":["sometimes"]}}`: "filters.paywall:",
		`{"name":"Big Name","query":"a"}`:                              "name:",
		`{"name":"x","query":"(a"}`:                                    "query:",
		`[1]`:                                                          "body:",
	} {
		rec := send(srv, http.MethodPost, "/api/watches", body)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: status %d %s, want 400 with %q", body, rec.Code, rec.Body, want)
		}
	}
	ok := `{"name":"harbour","query":"harbour NOT storm","filters":{"source":["port"],"paywall":["none"]}}`
	if rec := send(srv, http.MethodPost, "/api/watches", ok); rec.Code != http.StatusCreated || rec.Header().Get("Location") != "/api/watches/harbour" ||
		!strings.Contains(rec.Body.String(), `"subject":"harbour"`) {
		t.Fatalf("saving: status %d %s", rec.Code, rec.Body)
	}
	if rec := send(srv, http.MethodPost, "/api/watches", ok); rec.Code != http.StatusConflict {
		t.Errorf("saving twice: status %d", rec.Code)
	}
	if rec := send(srv, http.MethodGet, "/api/watches", ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"query":"harbour NOT storm"`) {
		t.Errorf("listing: status %d %s", rec.Code, rec.Body)
	}
	for _, want := range []int{http.StatusNoContent, http.StatusNotFound} {
		if rec := send(srv, http.MethodDelete, "/api/watches/harbour", ""); rec.Code != want {
			t.Errorf("deleting: status %d, want %d", rec.Code, want)
		}
	}
}

// TestWatchEndpointsNeedTheAPIKey: saving an alert is an API call like a
// search, guarded by the same keys.
func TestWatchEndpointsNeedTheAPIKey(t *testing.T) {
	srv := NewWithOptions(&recordingSearcher{}, nil, nil, Options{APIKeys: []string{"k"}, Watches: &memWatches{ws: map[string]SavedWatch{}}})
	for _, r := range [][2]string{{http.MethodGet, "/api/watches"}, {http.MethodPost, "/api/watches"}, {http.MethodDelete, "/api/watches/x"}} {
		if rec := send(srv, r[0], r[1], `{"name":"x","query":"a"}`); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s %s without a key: status %d", r[0], r[1], rec.Code)
		}
	}
}
