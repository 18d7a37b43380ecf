package main

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"newsdesk/alert"
	"newsdesk/indexer"
	"newsdesk/indexer/elastic"
	"newsdesk/indexer/embedded"
	"newsdesk/internal/testenv"
	"newsdesk/news"
)

// queryCorpus is a handful of stories the query table below tells apart.
func queryCorpus() []news.Article {
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	mk := func(key, source, lang, title, text string, authors, topics []string) news.Article {
		a := news.Article{URL: "https://" + source + ".example/" + key, Source: source, Language: lang,
			Title: title, Text: text, Authors: authors, Topics: topics, Published: day,
			Paywall: news.Paywall{Kind: news.PaywallNone, Signals: []string{}}}
		a.ID = news.DocID(a.URL)
		day = day.Add(time.Hour)
		return a
	}
	broker := mk("broker", "ledger", "en", "A data broker sold location data",
		"The data broker sold the location of phones near clinics, a complaint to the FTC says.",
		[]string{"Bo Chen"}, []string{"privacy", "location"})
	broker.Description = "Clinics, phones and a geofencing complaint."
	return []news.Article{
		mk("netflix", "ledger", "en", "Lawsuit says Meta let Netflix read messages",
			"Meta gave Netflix access to private messages, the suit says. End-to-end encryption was not in place.",
			[]string{"Ann Lee"}, []string{"privacy", "lawsuits"}),
		mk("netflix-only", "wire", "en", "Netflix raises prices again",
			"Netflix subscribers will pay more from Thursday, the streaming company said.",
			[]string{"Bo Chen"}, []string{"business"}),
		mk("messaging", "wire", "en", "Messaging apps and the police",
			"Police want a way into messaging apps; cryptographers say that breaks encryption for everyone.",
			[]string{"Ann Lee"}, []string{"privacy", "security"}),
		mk("metadata", "ledger", "en", "Metadata is data too",
			"Regulators looked at call metadata kept by carriers for years.",
			nil, []string{"privacy"}),
		mk("datenschutz", "blatt", "de", "Datenschutz bei Messenger-Diensten",
			"Die Aufsicht prüft, wie Messenger-Dienste Nachrichten speichern und ob Meta Daten weitergibt.",
			[]string{"Jan Roth"}, []string{"privacy"}),
		broker,
	}
}

// queryTable is a query of the one language and the stories (by key) it
// matches.
var queryTable = []struct {
	query string
	want  []string
}{
	{`Netflix NOT Meta`, []string{"netflix-only"}},
	{`Netflix -Meta`, []string{"netflix-only"}},
	{`messag*`, []string{"netflix", "messaging"}},
	{`messag* AND NOT police`, []string{"netflix"}},
	{`MESSEN*`, []string{"datenschutz"}},
	{`meta`, []string{"netflix", "datenschutz"}}, // whole words: not "metadata"
	{`"data broker"`, []string{"broker"}},
	{`"broker data"`, nil}, // word order matters
	{`end-to-end`, []string{"netflix"}},
	{`(police OR regulators) AND encryption`, []string{"messaging"}},
	{`police OR regulators`, []string{"messaging", "metadata"}},
	{`privacy source:ledger`, nil}, // privacy is a topic, not a word of these stories
	{`topic:privacy source:ledger`, []string{"netflix", "metadata", "broker"}},
	{`topic:privacy -source:ledger`, []string{"messaging", "datenschutz"}},
	{`lang:de meta`, []string{"datenschutz"}},
	{`author:"Ann Lee" encryption`, []string{"netflix", "messaging"}},
	{`data AND (location OR carriers)`, []string{"metadata", "broker"}},
	{`Thursday`, []string{"netflix-only"}},
	{`geofencing`, []string{"broker"}}, // the description counts, as in a watch
	{`(Netflix OR "data broker") -prices`, []string{"netflix", "broker"}},
	{`Netflix OR "data broker" -prices`, []string{"netflix", "netflix-only", "broker"}}, // OR binds loosest
}

// TestWatchQueriesSearchTheSameOnBothBackends: a watch's query pasted into
// search finds exactly the stored stories the watch alerts on, on the
// embedded index and on Elasticsearch, and each is what the table says.
func TestWatchQueriesSearchTheSameOnBothBackends(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		idx, err := embedded.Open(filepath.Join(t.TempDir(), "index"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		checkQueryTable(t, idx)
	})
	t.Run("elasticsearch", func(t *testing.T) {
		esURL := testenv.ElasticsearchURL(t)
		name := "newsdesk-qlang-" + randomSuffix(t)
		idx, err := elastic.New(t.Context(), elastic.Options{URLs: []string{esURL}, Index: name, Analyzer: "standard"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			idx.Close()
			testenv.DropElasticsearchIndex(t, esURL, name)
		})
		checkQueryTable(t, idx)
	})
}

func checkQueryTable(t *testing.T, idx indexer.Index) {
	docs := queryCorpus()
	for i, err := range idx.Store(t.Context(), docs) {
		if err != nil {
			t.Fatalf("Store(%s): %v", docs[i].URL, err)
		}
	}
	if err := idx.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	keyOf := map[string]string{}
	for _, d := range docs {
		keyOf[d.ID] = filepath.Base(d.URL)
	}
	for _, c := range queryTable {
		m, err := alert.NewMatcher([]alert.Watch{{Name: "w", Query: c.query, Subject: "w"}})
		if err != nil {
			t.Errorf("%s: as a watch: %v", c.query, err)
			continue
		}
		var alerted []string
		for i := range docs {
			if len(m.Match(&docs[i])) > 0 {
				alerted = append(alerted, filepath.Base(docs[i].URL))
			}
		}
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		res, err := idx.Search(ctx, news.Query{Text: c.query, Size: 50})
		cancel()
		if err != nil {
			t.Errorf("%s: search: %v", c.query, err)
			continue
		}
		var found []string
		for _, h := range res.Hits {
			found = append(found, keyOf[h.ID])
		}
		slices.Sort(alerted)
		slices.Sort(found)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(alerted, want) {
			t.Errorf("%s: the watch alerts on %q, want %q", c.query, alerted, want)
		}
		if !slices.Equal(found, alerted) {
			t.Errorf("%s: search finds %q, the watch alerts on %q", c.query, found, alerted)
		}
		if res.Total != len(found) {
			t.Errorf("%s: total %d, %d hits", c.query, res.Total, len(found))
		}
	}
}
