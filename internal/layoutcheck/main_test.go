package main

import "testing"

func TestCheck(t *testing.T) {
	cases := []struct {
		pkg, imp string
		bad      bool
	}{
		{"newsdesk/news", "time", false},
		{"newsdesk/news", "github.com/PuerkitoBio/goquery", true},
		{"newsdesk/news", "newsdesk/internal/testenv", true},
		{"newsdesk/crawler", "newsdesk/news", false},
		{"newsdesk/crawler", "newsdesk/parser", true},
		{"newsdesk/crawler", "newsdesk/events", true},
		{"newsdesk/indexer/elastic", "newsdesk/indexer", false},
		{"newsdesk/indexer/elastic", "newsdesk/internal/testenv", false},
		{"newsdesk/api", "newsdesk/indexer/embedded", true},
		{"newsdesk/config", "newsdesk/crawler", true},
		{"newsdesk/internal/testenv", "newsdesk/events", true},
		{"newsdesk/cmd/newsdesk", "newsdesk/crawler", false},
		{"newsdesk/cmd/newsdesk", "newsdesk/indexer/elastic", false},
		{"newsdesk/syndication", "math/bits", false},
		{"newsdesk/syndication", "newsdesk/news", true},
		{"newsdesk/indexer/elastic", "newsdesk/syndication", false},
		{"newsdesk/indexer/embedded", "newsdesk/syndication", false},
		{"newsdesk/indexer/elastic", "newsdesk/indexer/embedded", true},
		{"newsdesk/indexer/embedded", "newsdesk/indexer/elastic", true},
		{"newsdesk/indexer/elastic", "newsdesk/indexer/elastic/internal", false},
		{"newsdesk/indexer/elasticsearch", "newsdesk/indexer/embedded", false},
	}
	for _, c := range cases {
		got := Check(c.pkg, c.imp)
		if (got != "") != c.bad {
			t.Errorf("Check(%q, %q) = %q, want broken=%v", c.pkg, c.imp, got, c.bad)
		}
	}
}
