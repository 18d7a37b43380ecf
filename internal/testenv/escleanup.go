package testenv

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// DropElasticsearchIndex deletes from the test cluster at esURL what a
// newsdesk index named alias leaves there: every concrete index
// "<alias>-v…" (the first one and those of reindexes, also one a failed
// reindex left behind), whatever the alias points to, and the index
// template "<alias>-template", which outlives its indices. Missing ones are
// fine; any other failure fails the test, so leaks do not go unnoticed. It
// is the one cleanup of the Elasticsearch tests; call it from t.Cleanup
// (after closing the index that wrote there).
func DropElasticsearchIndex(t testing.TB, esURL, alias string) {
	t.Helper()
	// Not t.Context(): it is cancelled before cleanups run.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	names := esNames(ctx, t, esURL+"/_cat/indices/"+url.PathEscape(alias+"-v*")+"?format=json&h=index", "index")
	names = append(names, esAliasIndices(ctx, t, esURL, alias)...)
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		esDelete(ctx, t, esURL+"/"+url.PathEscape(name))
	}
	esDelete(ctx, t, esURL+"/_index_template/"+url.PathEscape(alias+"-template"))
}

// esNames reads field of each row of a _cat answer.
func esNames(ctx context.Context, t testing.TB, u, field string) []string {
	t.Helper()
	var rows []map[string]string
	if !esGet(ctx, t, u, &rows) {
		return nil
	}
	var names []string
	for _, r := range rows {
		names = append(names, r[field])
	}
	return names
}

// esAliasIndices lists the indices behind alias.
func esAliasIndices(ctx context.Context, t testing.TB, esURL, alias string) []string {
	t.Helper()
	var byIndex map[string]json.RawMessage
	if !esGet(ctx, t, esURL+"/_alias/"+url.PathEscape(alias), &byIndex) {
		return nil
	}
	var names []string
	for n := range byIndex {
		names = append(names, n)
	}
	return names
}

// esGet decodes the JSON answer of u into v; false on 404 or a failure.
func esGet(ctx context.Context, t testing.TB, u string, v any) bool {
	t.Helper()
	res := esDo(ctx, t, http.MethodGet, u)
	if res == nil {
		return false
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusNotFound {
		return false
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Errorf("cleanup: GET %s: %s: %s", redact(u), res.Status, b)
		return false
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Errorf("cleanup: GET %s: %v", redact(u), err)
		return false
	}
	return true
}

// esDelete deletes u; a missing one is fine.
func esDelete(ctx context.Context, t testing.TB, u string) {
	t.Helper()
	res := esDo(ctx, t, http.MethodDelete, u)
	if res == nil {
		return
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNotFound {
		b, _ := io.ReadAll(res.Body)
		t.Errorf("cleanup: DELETE %s: %s: %s", redact(u), res.Status, b)
	}
}

func esDo(ctx context.Context, t testing.TB, method, u string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		t.Errorf("cleanup: %s %s: %v", method, redact(u), err)
		return nil
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("cleanup: %s %s: %v", method, redact(u), err)
		return nil
	}
	return res
}

// redact is u without a password, for messages.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}
