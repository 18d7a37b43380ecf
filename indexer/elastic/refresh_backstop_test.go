package elastic

import "testing"

// TestBackstopRefreshInterval: a new index refreshes on its own only as a
// backstop (backstopRefreshInterval), not every second beside Store's own
// refreshes, which doubled the segments written and merged while indexing
// (BenchmarkIndexThroughput in cmd/newsdesk).
func TestBackstopRefreshInterval(t *testing.T) {
	idx, err := New(t.Context(), testOptions(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteTestIndex(t, idx); _ = idx.Close() })
	if got := indexSettingsOf(t, idx)["refresh_interval"]; got != backstopRefreshInterval {
		t.Errorf("index.refresh_interval = %q, want %q", got, backstopRefreshInterval)
	}
}
