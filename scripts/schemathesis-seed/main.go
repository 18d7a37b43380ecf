// Command schemathesis-seed stores a few articles in an embedded index, so
// that scripts/schemathesis.sh fuzzes a `newsdesk serve` with hits to
// return: snippets, facets, cursors and related stories, not only empty
// pages.
//
// Usage:
//
//	schemathesis-seed DIR                 the embedded index at DIR (DATA_DIR/index)
//	schemathesis-seed -es URL -index NAME an Elasticsearch index behind alias NAME
//
// It prints the ID of one stored article.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"newsdesk/indexer"
	"newsdesk/indexer/elastic"
	"newsdesk/indexer/embedded"
	"newsdesk/news"
)

func main() {
	esURL := flag.String("es", "", "Elasticsearch URL (default: the embedded index at the argument)")
	alias := flag.String("index", "", "with -es: the read alias to create")
	flag.Parse()
	if (*esURL == "") != (flag.NArg() == 1) || (*esURL != "" && *alias == "") {
		fmt.Fprintln(os.Stderr, "usage: schemathesis-seed INDEX_DIR | schemathesis-seed -es URL -index NAME")
		os.Exit(2)
	}
	if err := seed(context.Background(), *esURL, *alias, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "schemathesis-seed:", err)
		os.Exit(1)
	}
}

func open(ctx context.Context, esURL, alias, dir string) (indexer.Index, error) {
	if esURL != "" {
		return elastic.New(ctx, elastic.Options{URLs: []string{esURL}, Index: alias})
	}
	return embedded.Open(dir, nil)
}

func seed(ctx context.Context, esURL, alias, dir string) error {
	idx, err := open(ctx, esURL, alias, dir)
	if err != nil {
		return err
	}
	defer idx.Close()
	var docs []news.Article
	kinds := []news.PaywallKind{news.PaywallNone, news.PaywallSoft, news.PaywallMetered, news.PaywallHard}
	for i, title := range []string{
		"Harbour reopens after the storm", "Central bank holds rates", "Storm closes the harbour again",
		"Données: la grève continue", "<b>Markup</b> & \"quotes\" in a title", "日本語の記事",
	} {
		a := news.Article{
			URL:       fmt.Sprintf("https://example.org/seed/%d", i),
			Title:     title,
			Text:      strings.Repeat(title+". The harbour authority said ships wait outside while the storm passes. ", 3),
			Published: time.Date(2024, time.Month(1+i), 1+i, 8, 0, 0, 0, time.UTC),
			Source:    []string{"port", "bank", "port", "presse", "markup", "nikkei"}[i],
			Language:  "en", Authors: []string{"Ana Lima"}, Topics: []string{"weather", "economy"}[i%2 : i%2+1],
			Paywall: news.Paywall{Kind: kinds[i%len(kinds)], Detected: i%len(kinds) != 0, Signals: []string{}},
		}
		a.ID = news.DocID(a.URL)
		docs = append(docs, a)
	}
	for i, err := range idx.Store(ctx, docs) {
		if err != nil {
			return fmt.Errorf("storing %s: %w", docs[i].URL, err)
		}
	}
	if err := idx.Refresh(ctx); err != nil {
		return err
	}
	fmt.Println(docs[0].ID) // an id for the related endpoint's examples
	return nil
}
