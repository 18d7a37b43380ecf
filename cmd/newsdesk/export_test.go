package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"newsdesk/api"
	"newsdesk/indexer"
	"newsdesk/indexer/elastic"
	"newsdesk/indexer/embedded"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// TestSearchExport: /api/search/export streams every hit of a search as
// CSV and as JSON Lines, more than one internal page of them (by cursor),
// each once, with every field, and stops at limit; on both backends.
func TestSearchExport(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		checkExport(t, idx)
	})
	t.Run("elasticsearch", func(t *testing.T) {
		esURL := testenv.ElasticsearchURL(t)
		name := "newsdesk-export-" + randomSuffix(t)
		idx, err := elastic.New(t.Context(), elastic.Options{URLs: []string{esURL}, Index: name, Analyzer: "standard"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			idx.Close()
			testenv.DropElasticsearchIndex(t, esURL, name)
		})
		checkExport(t, idx)
	})
}

// exportCorpus is n stories about harbours (distinct texts, so none is
// grouped with another) and one about something else.
func exportCorpus(n int) []news.Article {
	var docs []news.Article
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for i := range n + 1 {
		topic := "harbour"
		if i == n {
			topic = "orchard"
		}
		a := news.Article{URL: fmt.Sprintf("https://port.example/%d", i), Source: "port", Language: "en",
			Title: fmt.Sprintf("The %s, report %d", topic, i), Authors: []string{"Ann Lee", "Bo Chen"},
			Text:      fmt.Sprintf("Report %d on the %s: %s", i, topic, textFor(i)),
			Topics:    []string{"shipping"},
			Paywall:   news.Paywall{Kind: news.PaywallMetered, Detected: true, Signals: []string{"prompt:subscribe"}},
			Published: day.Add(time.Duration(i) * time.Hour), FetchedAt: day}
		a.ID = news.DocID(a.URL)
		docs = append(docs, a)
	}
	return docs
}

// textFor is a different sentence for each i.
func textFor(i int) string {
	words := []string{"cranes", "tides", "cargo", "pilots", "ferries", "tugs", "docks", "berths", "quays", "locks", "buoys"}
	var out string
	for j := range 12 {
		out += words[(i*(j+3)+j*j)%len(words)] + fmt.Sprintf("%d ", i*13+j)
	}
	return out
}

func checkExport(t *testing.T, idx indexer.Index) {
	const n = 230 // more than two internal pages
	docs := exportCorpus(n)
	for i, err := range idx.Store(t.Context(), docs) {
		if err != nil {
			t.Fatalf("Store(%s): %v", docs[i].URL, err)
		}
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(idx, nil, nil))
	defer srv.Close()

	t.Run("csv", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/api/search/export?format=csv&q=harbour")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(resp.Body).ReadAll()
		if err != nil {
			t.Fatalf("reading CSV: %v", err)
		}
		head := rows[0]
		col := func(name string) int { return slices.Index(head, name) }
		for _, name := range []string{"id", "title", "url", "authors", "published", "paywall_kind", "topics", "snippet"} {
			if col(name) < 0 {
				t.Fatalf("CSV header %q lacks %s", head, name)
			}
		}
		ids := map[string]bool{}
		for _, r := range rows[1:] {
			ids[r[col("id")]] = true
		}
		if len(rows)-1 != n || len(ids) != n {
			t.Fatalf("%d rows, %d distinct ids, want %d harbour stories", len(rows)-1, len(ids), n)
		}
		first := rows[1]
		if first[col("authors")] != "Ann Lee; Bo Chen" || first[col("paywall_kind")] != "metered" || first[col("topics")] != "shipping" || first[col("published")] == "" {
			t.Errorf("first row %q", first)
		}
	})
	t.Run("jsonl", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/api/search/export?format=jsonl&source=port&group=false&limit=150")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		var hits []news.Hit
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			var h news.Hit
			if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
				t.Fatalf("line %d: %v", len(hits)+1, err)
			}
			hits = append(hits, h)
		}
		if len(hits) != 150 {
			t.Fatalf("%d lines, want limit=150", len(hits))
		}
		// Newest first without words, as the search.
		want := docs[len(docs)-1]
		if hits[0].ID != want.ID || hits[0].URL != want.URL || hits[0].Paywall.Kind != news.PaywallMetered || len(hits[0].Authors) != 2 {
			t.Errorf("first line %+v, want the newest story %s", hits[0], want.URL)
		}
	})
	t.Run("bad", func(t *testing.T) {
		for _, target := range []string{"/api/search/export?format=xml", "/api/search/export?q=(harbour", "/api/search/export?limit=10001"} {
			resp, err := http.Get(srv.URL + target)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", target, resp.StatusCode)
			}
		}
	})
}
