package main

import (
	"strings"
	"testing"
	"time"

	"newsdesk/news"
)

// TestPrintResultsShowsEditsAndOutlets checks the terminal search's lines
// for an edited story and a syndicated one.
func TestPrintResultsShowsEditsAndOutlets(t *testing.T) {
	var b strings.Builder
	printResults(&b, news.Results{Total: 4, Hits: []news.Hit{
		{Title: "Harbour reopens", Source: "ledger", URL: "https://ledger.example/h", Revision: 3,
			Changes: []string{news.ChangeText}, FirstSeen: time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC)},
		{Title: "EU fines firm", Source: "tribune", URL: "https://tribune.example/f", Revision: 1, AlsoAt: 3,
			Copies: []news.Copy{{Source: "ledger", URL: "https://ledger.example/f"}, {Source: "gazette", URL: "https://gazette.example/f"}}},
	}}, false)
	out := b.String()
	for _, want := range []string{
		"   edited: revision 3, text changed (first seen 2024-04-01)\n",
		"   also at 3 other outlet(s):\n     ledger https://ledger.example/f\n     gazette https://gazette.example/f\n     and 1 more\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "edited:") != 1 {
		t.Errorf("an unedited story shows an edit:\n%s", out)
	}
}

// TestSearchCommandPointsAtTheSyntaxError: a query that does not parse
// exits 2 with the message and a caret under the trouble, without asking
// any index.
func TestSearchCommandPointsAtTheSyntaxError(t *testing.T) {
	t.Setenv("NEWSDESK_DATA_DIR", t.TempDir())
	code, _, stderr := runMain(t, "", "search", "--api", "http://127.0.0.1:1", "inflation* (central")
	want := "newsdesk search: q: unclosed parenthesis at 11\n  inflation* (central\n             ^\n"
	if code != exitUsage || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant exit %d and:\n%s", code, stderr, exitUsage, want)
	}
}
