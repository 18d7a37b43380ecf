package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"newsdesk/news"
)

// SavedWatch is a search saved as an alert: every alerter publishes an
// alert on newsdesk.alert.<Subject> for each new or updated article that
// matches it, as for a watch of the config.
type SavedWatch struct {
	Name    string       `json:"name"`
	Query   string       `json:"query"`
	Filters WatchFilters `json:"filters"`
	Subject string       `json:"subject"`
	Created time.Time    `json:"created"`
}

// WatchFilters are a saved watch's filters: an article must match one value
// of each non-empty list, as the search filters of the same names.
type WatchFilters struct {
	Source   []string `json:"source,omitempty"`
	Topic    []string `json:"topic,omitempty"`
	Language []string `json:"language,omitempty"`
	Paywall  []string `json:"paywall,omitempty"`
}

// WatchStore keeps the saved watches where every alerter sees them (a NATS
// key-value bucket, wired in cmd/newsdesk).
type WatchStore interface {
	// SaveWatch stores w; an error wrapping ErrWatchExists when its name
	// is taken (also by a watch of the config).
	SaveWatch(ctx context.Context, w SavedWatch) error
	// Watches lists the saved watches by name.
	Watches(ctx context.Context) ([]SavedWatch, error)
	// DeleteWatch removes one; an error wrapping news.ErrNotFound when
	// there is none of that name.
	DeleteWatch(ctx context.Context, name string) error
}

// ErrWatchExists is a saved watch's name that is already taken.
var ErrWatchExists = errors.New("a watch of this name exists")

// Bounds of a saved watch.
const (
	maxWatchBody    = 16 << 10
	maxWatchNameLen = 64
)

// watchTimeout bounds one request to the watch store.
const watchTimeout = 10 * time.Second

// handleSaveWatch validates the request before it asks whether there is a
// store: a request that could never be saved is a 400 either way.
func (s *Server) handleSaveWatch(w http.ResponseWriter, r *http.Request) {
	in, err := decodeWatch(http.MaxBytesReader(w, r.Body, maxWatchBody))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body: want a JSON object {name, query, filters}: " + err.Error()})
		return
	}
	wt, err := checkWatch(in)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody(err))
		return
	}
	s.withWatches(w, r, func(ctx context.Context, store WatchStore) {
		if err := store.SaveWatch(ctx, wt); err != nil {
			if errors.Is(err, ErrWatchExists) {
				writeJSON(w, http.StatusConflict, map[string]string{"error": fmt.Sprintf("name: a watch named %q exists; delete it first or pick another name", wt.Name)})
				return
			}
			s.writeWatchStoreError(w, "saving", err)
			return
		}
		w.Header().Set("Location", "/api/watches/"+wt.Name)
		writeJSON(w, http.StatusCreated, wt)
	})
}

func (s *Server) handleListWatches(w http.ResponseWriter, r *http.Request) {
	s.withWatches(w, r, func(ctx context.Context, store WatchStore) {
		ws, err := store.Watches(ctx)
		if err != nil {
			s.writeWatchStoreError(w, "listing", err)
			return
		}
		if ws == nil {
			ws = []SavedWatch{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"watches": ws})
	})
}

func (s *Server) handleDeleteWatch(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !news.ValidSourceName(name) || len(name) > maxWatchNameLen {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("no saved watch %q", name)})
		return
	}
	s.withWatches(w, r, func(ctx context.Context, store WatchStore) {
		if err := store.DeleteWatch(ctx, name); err != nil {
			if errors.Is(err, news.ErrNotFound) {
				writeJSON(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("no saved watch %q (watches of the config are changed in the config)", name)})
				return
			}
			s.writeWatchStoreError(w, "deleting", err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// withWatches runs fn with the watch store and a context bounded by
// watchTimeout, or answers 503 when this server has no store (no NATS).
func (s *Server) withWatches(w http.ResponseWriter, r *http.Request, fn func(ctx context.Context, store WatchStore)) {
	if s.opts.Watches == nil {
		writeWatchesUnavailable(w)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), watchTimeout)
	defer cancel()
	fn(ctx, s.opts.Watches)
}

// decodeWatch reads the body of POST /api/watches as strictly as the
// OpenAPI document states it: exactly the known keys (encoding/json alone
// matches them in any case), no nulls, strings where strings belong.
func decodeWatch(body io.Reader) (SavedWatch, error) {
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(body).Decode(&raw); err != nil {
		return SavedWatch{}, err
	}
	if err := onlyKeys(raw, "name", "query", "filters"); err != nil {
		return SavedWatch{}, err
	}
	var in SavedWatch
	for key, dst := range map[string]any{"name": &in.Name, "query": &in.Query} {
		if v, ok := raw[key]; ok {
			if err := json.Unmarshal(v, dst); err != nil || string(v) == "null" {
				return in, fmt.Errorf("%s: want a string", key)
			}
		}
	}
	if v, ok := raw["filters"]; ok {
		var lists map[string]json.RawMessage
		if err := json.Unmarshal(v, &lists); err != nil || lists == nil {
			return in, errors.New("filters: want an object of lists")
		}
		if err := onlyKeys(lists, "source", "topic", "language", "paywall"); err != nil {
			return in, fmt.Errorf("filters: %w", err)
		}
		f := &in.Filters
		for key, dst := range map[string]*[]string{"source": &f.Source, "topic": &f.Topic, "language": &f.Language, "paywall": &f.Paywall} {
			if v, ok := lists[key]; ok {
				if err := json.Unmarshal(v, dst); err != nil || *dst == nil {
					return in, fmt.Errorf("filters.%s: want a list of strings", key)
				}
			}
		}
	}
	return in, nil
}

// onlyKeys refuses an object with a key not in known.
func onlyKeys(obj map[string]json.RawMessage, known ...string) error {
	for k := range obj {
		if !slices.Contains(known, k) {
			return fmt.Errorf("unknown key %q (want %s)", k, strings.Join(known, ", "))
		}
	}
	return nil
}

// checkWatch validates a watch to save, the same way the config's watches
// are: a name that can be a subject token, a query of the one query
// language, known paywall kinds, bounded values. It sets Subject (the name)
// and Created.
func checkWatch(in SavedWatch) (SavedWatch, error) {
	switch {
	case in.Name == "":
		return in, errors.New("name: required")
	case len(in.Name) > maxWatchNameLen || !news.ValidSourceName(in.Name):
		return in, fmt.Errorf("name: %q is not lower-case letters, digits, - and _ (at most %d, starting with a letter or digit)", in.Name, maxWatchNameLen)
	case in.Query == "":
		return in, errors.New("query: required")
	}
	if err := checkText(in.Query, MaxQueryLen); err != nil {
		return in, fmt.Errorf("query: %w", err)
	}
	if _, err := news.ParseQuery(in.Query); err != nil {
		return in, &queryError{msg: "query: " + err.Error(), err: err}
	}
	f := &in.Filters
	n := 0
	for _, l := range []struct {
		name   string
		values []string
	}{{"filters.source", f.Source}, {"filters.topic", f.Topic}, {"filters.language", f.Language}, {"filters.paywall", f.Paywall}} {
		for _, v := range l.values {
			if v == "" {
				return in, fmt.Errorf("%s: an empty value", l.name)
			}
			if err := checkText(v, MaxValueBytes); err != nil {
				return in, fmt.Errorf("%s: %w", l.name, err)
			}
		}
		n += len(l.values)
	}
	if n > maxFilterValues {
		return in, fmt.Errorf("filters: %d values, at most %d allowed", n, maxFilterValues)
	}
	for _, k := range f.Paywall {
		if !news.PaywallKind(k).Valid() {
			return in, fmt.Errorf("filters.paywall: %q is not one of none, soft, metered, hard", k)
		}
	}
	in.Subject, in.Created = in.Name, time.Now().UTC().Truncate(time.Second)
	return in, nil
}

func writeWatchesUnavailable(w http.ResponseWriter) {
	writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "saved watches need NATS, which this server is not connected to (set nats.url)"})
}

// writeWatchStoreError answers a failed store with 503: the event system,
// not the request, is the problem; the cause is logged.
func (s *Server) writeWatchStoreError(w http.ResponseWriter, doing string, err error) {
	s.log.Error(doing+" saved watch failed", "err", err)
	writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": doing + " saved watches failed: NATS did not answer; try again in a minute"})
}
